"""Every mask a project's render needs, by the key the plan knows it under (model/prepared.py):
"person:" / "faces:" / "skin:" / "sticker:" / "slow:" + a clip's id for its person, face and
skin masks, its sticker layer and its picture with per-frame effects, "yours" for a green-screen
duet. Each effect kind declares which of them it is drawn from (model/effects.py)."""

from __future__ import annotations

from pathlib import Path

from studio.io.runner import Task, as_task
from studio.model.prepared import FACES, SKIN, SLOW, STICKER
from studio.model.timeline import Project


def needed_masks(project: Project, fps: int, task: Task | None = None) -> dict[str, Path]:
    """All masks, made where missing (export, `studio frame`)."""
    from studio.analysis.denoise import cleaned_sounds
    from studio.analysis.faces import face_masks, skin_masks
    from studio.analysis.people import person_masks
    from studio.analysis.slow import slow_renders
    from studio.analysis.stickers import sticker_layers

    task = as_task(task)
    masks = person_masks(project, fps, task.part(0, 0.4))
    faces = face_masks(project, fps, task.part(0.4, 0.55))
    skin = skin_masks(project, fps, task.part(0.55, 0.7))
    stickers = sticker_layers(project, fps, task.part(0.7, 0.8))
    slow = slow_renders(project, fps, task.part(0.8, 0.95))
    sounds = cleaned_sounds(project, task.part(0.95, 1))
    return {
        **sounds,
        **{SLOW + key: path for key, path in slow.items()},
        **masks,
        **{FACES + key: path for key, path in faces.items()},
        **{SKIN + key: path for key, path in skin.items()},
        **{STICKER + key: path for key, path in stickers.items()},
    }


def made_masks(project: Project, fps: int) -> dict[str, Path]:
    """The masks made already (the app's preview never waits for an analysis)."""
    from studio.analysis.denoise import made_cleaned_sounds
    from studio.analysis.faces import made_face_masks, made_skin_masks
    from studio.analysis.people import made_masks as made_person_masks
    from studio.analysis.slow import made_slow_renders
    from studio.analysis.stickers import made_sticker_layers

    faces, skin = made_face_masks(project, fps), made_skin_masks(project, fps)
    stickers = made_sticker_layers(project, fps)
    slow = made_slow_renders(project, fps)
    return {
        **made_cleaned_sounds(project),
        **{SLOW + key: path for key, path in slow.items()},
        **made_person_masks(project, fps),
        **{FACES + key: path for key, path in faces.items()},
        **{SKIN + key: path for key, path in skin.items()},
        **{STICKER + key: path for key, path in stickers.items()},
    }
