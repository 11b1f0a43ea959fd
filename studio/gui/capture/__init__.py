"""Capture: recording takes from a camera, a screen or the test source (QtMultimedia)."""
