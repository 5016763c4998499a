"""Operations above the areas: initialising the platform, backup and restore, key rotation,
the registry of every table, and their CLI commands. See docs/architecture.md."""
