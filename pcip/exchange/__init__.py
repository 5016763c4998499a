"""Exchange with the rest of the national system (Art. 6, 20, 24-25): the intake of the municipal
data-sharing system over NATS JetStream, the change feed to the national platform and receiving
departments, and the registry of those receivers (docs/exchange.md)."""
