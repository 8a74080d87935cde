"""Capture day: the photo store, the hot folder, code cards, photo-folder import and the accept/retake loop."""
