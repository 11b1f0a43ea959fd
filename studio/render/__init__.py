"""Project -> one ffmpeg filter graph -> argv -> a runner that writes the file."""
