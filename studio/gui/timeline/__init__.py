"""The timeline: pure geometry (time <-> pixels, what is where) and the widget that paints it."""
