"""Async service layer for the X API v2 manage-Likes endpoints. Never imports textual."""
