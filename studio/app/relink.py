"""Media that moved: find what a project is missing, and point it at a folder that has it.

A missing file is found again by its name anywhere under the folder (the first match in sorted
order); it is taken only when its length matches what the project knew (within a tenth of a
second), so a different take with the same name is not swapped in silently.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from studio.errors import MediaError, StudioError
from studio.io.probe import probe
from studio.io.runner import Task, as_task
from studio.model.timeline import MediaRef, Project

SAME_LENGTH = 0.1  # seconds


@dataclass(frozen=True)
class Relinked:
    project: Project
    found: dict[str, str]  # old path: new path
    missing: list[str]  # still missing, with why when a same-named file was refused


def missing_media(project: Project) -> list[str]:
    """Paths of the clips' and the music's files that are not where the project says (a
    generated source, such as a plain colour, has no file)."""
    clips = [clip for track in project.tracks for clip in track.clips]
    paths = [clip.media.path for clip in clips if not clip.media.generated]
    if project.music is not None:
        paths.append(project.music.media.path)
    return sorted({path for path in paths if not Path(path).is_file()})


def relink(project: Project, folder: str | Path, task: Task | None = None) -> Relinked:
    """The project with each missing file replaced by its namesake under `folder`."""
    task = as_task(task)
    root = Path(folder)
    if not root.is_dir():
        raise MediaError("not a folder", str(root))
    wanted = missing_media(project)
    media = {m.path: m for m in _all_media(project) if m.path in wanted}
    found: dict[str, str] = {}
    refused: list[str] = []
    for index, path in enumerate(wanted):
        task.check()
        task.report(index / max(1, len(wanted)), "looking for moved media")
        match, reason = _match(media[path], root)
        if match is not None:
            found[path] = str(match)
        else:
            refused.append(f"{Path(path).name}: {reason}")
    return Relinked(_with_paths(project, found), found, refused)


def _all_media(project: Project) -> list[MediaRef]:
    media = [clip.media for track in project.tracks for clip in track.clips]
    return media + ([project.music.media] if project.music is not None else [])


def _match(media: MediaRef, root: Path) -> tuple[Path | None, str]:
    name = Path(media.path).name
    candidates = sorted(p for p in root.rglob(name) if p.is_file())
    if not candidates:
        return None, f"not in {root}"
    for candidate in candidates:
        try:
            found = probe(candidate)
        except StudioError:
            continue
        if abs(float(found.duration - media.duration)) <= SAME_LENGTH:
            return candidate, ""
    return None, f"{candidates[0]} has another length ({float(media.duration):.2f} s expected)"


def _with_paths(project: Project, found: dict[str, str]) -> Project:
    def moved(media: MediaRef) -> MediaRef:
        return replace(media, path=found[media.path]) if media.path in found else media

    project = project.with_every_clip(lambda clip: replace(clip, media=moved(clip.media)))
    music = project.music
    if music is not None:
        music = replace(music, media=moved(music.media))
    return replace(project, music=music)
