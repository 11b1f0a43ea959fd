"""Analysis of media: results are plain data, computed without Qt and cached by content."""
