"""studio: a vertical short-video editor. The engine is Qt-free; the GUI lives in studio.gui."""

from __future__ import annotations

__version__ = "0.1.0"
