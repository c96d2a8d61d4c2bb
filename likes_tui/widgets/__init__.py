"""Reusable widgets: post card, session table, status bar, URL input."""
