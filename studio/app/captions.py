"""Captions as user actions: the words spoken in a file or a whole edit, with their times, and
the SRT / WebVTT sidecars."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.analysis.speech import Transcript, Word, transcribe
from studio.errors import ProjectError
from studio.io.project_file import load_project, save_project
from studio.io.runner import Task, as_task
from studio.model.captions import cues, srt, vtt
from studio.model.speed import exact
from studio.model.timeline import Captions, CaptionWord, Clip, Project, Track


@dataclass(frozen=True)
class CaptionsRequest:
    """What `studio captions` and the app's Captions panel ask for, in plain values."""

    source: str | Path  # a media file or a project (.studio.json)
    model: str | Path | None = None  # another local CTranslate2 Whisper model folder
    language: str = "en"
    add: bool = False  # a project: transcribe into its captions track (and save it)
    style: str | None = None  # with add: the captions' style
    width: int | None = None  # with add: characters per line
    lines: int | None = None  # with add: lines per caption
    font: str | None = None  # with add: a bundled font or a font file
    x: float | None = None  # with add: the captions' centre across, of the width
    y: float | None = None  # with add: their centre down, of the height (0: the default)
    size: float | None = None  # with add: their size, times the style's


def captions(request: CaptionsRequest, task: Task | None = None) -> Transcript:
    """The words of a media file, or of a project: its captions track as edited when it has
    one (transcribed into it first with `add`), else its edit's speech in timeline time."""
    source = request.source
    if not str(source).endswith(".studio.json"):
        if request.add or request.style or request.width or request.lines or _looks(request):
            raise ProjectError("--add and the captions' look need a project", field="add")
        return transcribe(source, model=request.model, language=request.language, task=task)
    project = add_captions(request, task) if request.add else load_project(source)
    if project.captions is not None:
        shown = project.captions.shown
        words = tuple(Word(w.start, w.end, w.text) for w in shown)
        return Transcript(words, request.language, "the project's captions")
    return edit_transcript(project, request.model, task, request.language)


def transcript_of(
    source: str | Path, model: str | Path | None = None, task: Task | None = None
) -> Transcript:
    """The words of a media file, or of a project's edit (`.studio.json`) in timeline time."""
    if str(source).endswith(".studio.json"):
        return edit_transcript(load_project(source), model, task)
    return transcribe(source, model=model, task=task)


def edit_transcript(
    project: Project,
    model: str | Path | None = None,
    task: Task | None = None,
    language: str = "en",
) -> Transcript:
    """The words heard in the edit, in timeline seconds: each audible clip's words mapped
    through its in/out, speed and place on the timeline (the music is not transcribed); in a
    duet or a stitch, your side's words."""
    task = as_task(task)
    placed = _heard(project)
    words: list[Word] = []
    name, language = "", "en"
    for index, (clip, start) in enumerate(placed):
        share = task.part(index / len(placed), (index + 1) / len(placed))
        heard = transcribe(
            clip.media.path,
            float(clip.source_in),
            float(clip.source_duration),
            model,
            language,
            share,
        )
        name, language = heard.model, heard.language
        words += [_placed(word, clip, start, project.duration) for word in heard.words]
    kept = tuple(word for word in words if word.start < float(project.duration))
    return Transcript(kept, language, name or "tiny.en")


def _heard(project: Project) -> list[tuple[Clip, Fraction]]:
    """(clip, its timeline start) for every clip whose own sound is heard: the main track's
    (not a stitched original's) and, in a duet, yours."""
    from studio.model.remix import YOURS

    yours = [t for t in project.layers if t.id == YOURS and not t.muted]
    if yours:
        return [(c, s) for c, s, _ in _ranges(yours[0]) if c.volume > 0 and c.media.has_audio]
    placed, start = [], Fraction(0)
    for index, clip in enumerate(project.main.clips):
        if clip.volume > 0 and clip.media.has_audio and not _stitched_original(project, index):
            placed.append((clip, start))
        start += clip.duration
    return placed


def _ranges(track: Track) -> list[tuple[Clip, Fraction, Fraction]]:
    return [(i, s, e) for i, s, e in track.ranges() if isinstance(i, Clip)]


def _stitched_original(project: Project, index: int) -> bool:
    """The original's part of a stitch (its first clip, credited in the attribution): its
    speech is theirs, and its credit sits where captions would."""
    clip = project.main.clips[index]
    return index == 0 and project.attribution == f"Stitched from {clip.media.name}"


def _placed(word: Word, clip: Clip, start: Fraction, end: Fraction) -> Word:
    begin = float(start + clip.timeline_at(clip.source_in + exact(word.start)))
    finish = float(start + clip.timeline_at(clip.source_in + exact(word.end)))
    finish = min(finish, float(start + clip.duration), float(end))
    return Word(round(begin, 3), round(max(finish, begin), 3), word.text, word.probability)


def add_captions(request: CaptionsRequest, task: Task | None = None) -> Project:
    """Transcribe the project's edit into its captions track and save it; the user's word edits
    are kept, and so are the style and layout unless the request names new ones."""
    project = load_project(request.source)
    words = edit_transcript(project, request.model, task, request.language).words
    detected = tuple(CaptionWord(w.start, w.end, w.text) for w in words)
    before = project.captions or Captions()
    captions = replace(
        before,
        words=detected,
        style=request.style or before.style,  # type: ignore[arg-type]  # checked by Captions
        width=request.width or before.width,
        lines=request.lines or before.lines,
        **_looks(request),
    )
    if captions.font:
        from studio.render.titles import font_file

        font_file(captions.font)  # an unknown font is refused before anything is saved
    project = replace(project, captions=captions)
    save_project(project, request.source)
    return project


def _looks(request: CaptionsRequest) -> dict[str, Any]:
    """The captions' font, place and size the request gives."""
    given = {"font": request.font, "x": request.x, "y": request.y, "scale": request.size}
    return {name: value for name, value in given.items() if value is not None}


def caption_sidecars(
    project_path: str | Path, srt_path: str | Path | None, vtt_path: str | Path | None
) -> list[Path]:
    """The project's captions track (with the user's fixes) as .srt / .vtt files."""
    if srt_path is None and vtt_path is None:
        return []
    captions = load_project(project_path).captions
    if captions is None:
        raise ProjectError(
            "has no captions yet: studio captions PROJECT --add", project_path, field="srt"
        )
    words = tuple(Word(w.start, w.end, w.text) for w in captions.shown)
    return write_sidecars(Transcript(words, "en", "captions"), srt_path, vtt_path)


def write_sidecars(
    transcript: Transcript,
    srt_path: str | Path | None = None,
    vtt_path: str | Path | None = None,
) -> list[Path]:
    """The transcript's cues as .srt and/or .vtt files; the paths written."""
    found = cues(transcript.words)
    written = []
    for path, render, ending in ((srt_path, srt, ".srt"), (vtt_path, vtt, ".vtt")):
        if path is None:
            continue
        target = Path(path)
        if target.suffix.lower() != ending:
            raise ProjectError(f"must end in {ending}", target, field=ending[1:])
        target.write_text(render(found), encoding="utf-8")
        written.append(target)
    return written
