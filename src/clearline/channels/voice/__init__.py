"""Phone channel: voice webhooks, the hold queue with wait estimates, voicemail, callbacks."""
