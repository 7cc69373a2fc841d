"""Tracker and lock stores configured from the environment (see cancellation/settings.py)."""
