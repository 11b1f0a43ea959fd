"""Side effects: files and external programs."""
