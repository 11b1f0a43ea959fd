"""Every mask a project's render needs, by the key the plan knows it under: a clip's id for
its person mask, "faces:" / "skin:" / "sticker:" + its id for its face and skin masks and its
sticker layer, "yours" for a green-screen duet."""

from __future__ import annotations

from pathlib import Path

from studio.io.runner import Task, as_task
from studio.model.timeline import Project

FACES = "faces:"
SKIN = "skin:"
STICKER = "sticker:"


def needed_masks(project: Project, fps: int, task: Task | None = None) -> dict[str, Path]:
    """All masks, made where missing (export, `studio frame`)."""
    from studio.analysis.faces import face_masks, skin_masks
    from studio.analysis.people import person_masks
    from studio.analysis.stickers import sticker_layers

    task = as_task(task)
    masks = person_masks(project, fps, task.part(0, 0.5))
    faces = face_masks(project, fps, task.part(0.5, 0.7))
    skin = skin_masks(project, fps, task.part(0.7, 0.85))
    stickers = sticker_layers(project, fps, task.part(0.85, 1))
    return {
        **masks,
        **{FACES + key: path for key, path in faces.items()},
        **{SKIN + key: path for key, path in skin.items()},
        **{STICKER + key: path for key, path in stickers.items()},
    }


def made_masks(project: Project, fps: int) -> dict[str, Path]:
    """The masks made already (the app's preview never waits for an analysis)."""
    from studio.analysis.faces import made_face_masks, made_skin_masks
    from studio.analysis.people import made_masks as made_person_masks
    from studio.analysis.stickers import made_sticker_layers

    faces, skin = made_face_masks(project, fps), made_skin_masks(project, fps)
    stickers = made_sticker_layers(project, fps)
    return {
        **made_person_masks(project, fps),
        **{FACES + key: path for key, path in faces.items()},
        **{SKIN + key: path for key, path in skin.items()},
        **{STICKER + key: path for key, path in stickers.items()},
    }
