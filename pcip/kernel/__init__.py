"""The kernel: what every area stands on (actors, shared vocabulary, the platform handle,
platform metadata, shared state, log redaction). See docs/architecture.md."""
