"""Rasa action server: thin adapters from Rasa trackers to the pure code in `cancellation/`."""
