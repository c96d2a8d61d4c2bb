"""Persistence: the config directory, settings, credentials per profile, SQLite state."""
