"""Shared plumbing of the doors (HTTP API and web pages): routers, error handlers, input
guards, rate limits, the health endpoint. See docs/architecture.md."""
