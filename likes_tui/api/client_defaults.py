"""Constants shared without importing httpx."""

DEFAULT_BASE_URL = "https://api.x.com"

DEADLINE = 30.0
"""Seconds one request may take in all, unless the client is given its own."""
