"""Constants shared without importing httpx."""

DEFAULT_BASE_URL = "https://api.x.com"
