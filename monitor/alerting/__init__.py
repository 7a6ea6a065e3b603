"""Alerting: group reports into incidents, build Slack messages, queue them in the outbox and deliver them."""
