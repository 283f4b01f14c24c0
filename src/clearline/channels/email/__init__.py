"""Email channel: IMAP poller, MTA pipe and SMTP receiver, parser, threading, outbound mail with DKIM."""
