"""likes-tui: like and unlike posts on X from the terminal."""

__version__ = "0.1.0"
