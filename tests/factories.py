"""Hand-made projects for pure tests: MediaRefs with known facts, no files needed."""

from __future__ import annotations

from fractions import Fraction

from studio.model.timeline import Canvas, Clip, Fit, MediaRef, MusicTrack, Project, Track


def ref(
    path: str = "/media/a.mp4", seconds: float = 10, audio: bool = True, **facts: object
) -> MediaRef:
    base: dict[str, object] = dict(
        width=1920,
        height=1080,
        fps=Fraction(30),
        has_audio=audio,
        audio_rate=48000 if audio else 0,
        audio_channels=2 if audio else 0,
    )
    base.update(facts)
    return MediaRef(path, Fraction(str(seconds)), **base)  # type: ignore[arg-type]


def clip(
    media: MediaRef | None = None, start: float = 0, end: float = 2, **options: object
) -> Clip:
    return Clip(media or ref(), Fraction(str(start)), Fraction(str(end)), **options)  # type: ignore[arg-type]


def project(*clips: Clip, music: MusicTrack | None = None, fps: int = 30) -> Project:
    return Project(Canvas(fps=fps), Track(clips), music)


def sample_project() -> Project:
    """Three clips (rotated, anamorphic without audio, 2x speed) over music."""
    a = ref("/media/phone clip.mov", 12, rotation=90, width=1080, height=1920)
    b = ref("/media/b.mp4", 8, audio=False, sar=Fraction(16, 11), width=1024, height=576)
    song = ref("/media/song.m4a", 60, width=0, height=0, has_video=False)
    return project(
        clip(a, 1, 3.5),
        clip(b, 0, 2, fit=Fit("blur")),
        clip(a, 4, 8, speed=Fraction(2), fit=Fit("pad", pad_color="#102030"), volume=0.5),
        music=MusicTrack(song, Fraction(5), -3.0, Fraction(1, 2), Fraction(1)),
    )
