"""Studio.app's Info.plist entries beyond PyInstaller's defaults (studio.spec passes them to
BUNDLE, which lets them override its own; tests/test_packaging.py checks them).

- CFBundleExecutable: PyInstaller takes the first executable of the folder, and it sorts the
  folder's contents (6.20 on), so without this the app opened from Finder would be `studio`,
  the command line, which prints its help and exits. Both programs sit in Contents/MacOS.
- Documents: Launch Services types a file by the part of its name after the last dot, so
  `edit.studio.json` is a `.json` file to it and an extension "studio.json" never matches.
  Studio offers itself in "Open With" for JSON (rank Alternate: never the default for .json);
  the project arrives as a file-open event (studio.gui.file_open), which tells projects apart.
"""

from __future__ import annotations

GUI_PROGRAM = "studio-app"
CLI_PROGRAM = "studio"


def info_plist(version: str) -> dict[str, object]:
    return {
        "CFBundleExecutable": GUI_PROGRAM,
        "CFBundleName": "Studio",
        "CFBundleDisplayName": "Studio",
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "LSMinimumSystemVersion": "13.0",  # PySide6 6.11's macOS wheels need 13
        "NSHighResolutionCapable": True,
        "NSCameraUsageDescription": "Studio records you with the camera for your videos and duets.",
        "NSMicrophoneUsageDescription": (
            "Studio records your voice with the microphone for your videos and duets."
        ),
        "NSScreenCaptureUsageDescription": (
            "Studio records your screen when you choose a screen to record."
        ),
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "Studio project",
                "CFBundleTypeRole": "Editor",
                "LSHandlerRank": "Alternate",
                "LSItemContentTypes": ["public.json"],
            }
        ],
    }
