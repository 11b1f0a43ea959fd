"""The pure project model: frozen dataclasses and edit functions. No I/O, no Qt, no subprocess."""
