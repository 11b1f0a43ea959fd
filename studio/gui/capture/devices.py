"""What can be recorded on this machine: cameras (with the formats they offer), microphones and
screens, as QtMultimedia sees them."""

from __future__ import annotations

from typing import Any

from studio.gui.qt import multimedia


def gui_app(offscreen: bool) -> Any:
    """The process's QGuiApplication (made offscreen where there is no display)."""
    from studio.gui.qt import QGuiApplication

    found = QGuiApplication.instance()
    if found is not None:
        return found
    arguments = ["studio", "-platform", "offscreen"] if offscreen else ["studio"]
    return QGuiApplication(arguments)


def device_list() -> dict[str, list[dict[str, Any]]]:
    """Cameras, microphones and screens (a QGuiApplication must exist)."""
    from studio.gui.qt import QGuiApplication

    QMediaDevices = multimedia().QMediaDevices

    cameras = [
        {
            "id": bytes(camera.id().data()).decode(errors="replace"),
            "name": camera.description(),
            "front": camera.position().name == "FrontFace",
            "formats": formats_of(camera),
        }
        for camera in QMediaDevices.videoInputs()
    ]
    microphones = [
        {"id": bytes(mic.id().data()).decode(errors="replace"), "name": mic.description()}
        for mic in QMediaDevices.audioInputs()
    ]
    screens = [
        {
            "id": index,
            "name": screen.name(),
            "width": screen.size().width(),
            "height": screen.size().height(),
        }
        for index, screen in enumerate(QGuiApplication.screens())
    ]
    return {"cameras": cameras, "microphones": microphones, "screens": screens}


def formats_of(camera: Any) -> list[dict[str, int]]:
    """The sizes and top frame rates a camera offers, largest first, each once."""
    found = {
        (f.resolution().width(), f.resolution().height(), round(f.maxFrameRate()))
        for f in camera.videoFormats()
    }
    return [{"width": w, "height": h, "fps": r} for w, h, r in sorted(found, reverse=True)]
