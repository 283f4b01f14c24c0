"""Inbound and outbound channel adapters, one Django app each; every one funnels into cases.services."""
