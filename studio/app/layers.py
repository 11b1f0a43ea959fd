"""Layer edits on a saved project, for the command line and scripts: add an overlay, a title,
a clip or a transition, set an item's transform and keys, remove an item. Each loads the
project, makes one edit of model/arrange.py and saves it, and says what it did.

Key texts are "T:prop=V[,prop=V]..." (T seconds from the item's start), as `studio add` and
`studio set` take them; a `speed` key's T is seconds of the clip's media from its in point (a
ramp's keys stay with the moments of the media they slow or speed up).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from studio.errors import NO_SOUND, MediaError
from studio.io.probe import probe
from studio.io.project_file import load_project, save_project
from studio.model import arrange, edits
from studio.model.clip import colour_media
from studio.model.ducking import VOICE, Ducking, duck_keys
from studio.model.edits import clip_of
from studio.model.keys import Ease, Key, Keys
from studio.model.limits import check_choice, check_color, check_range, refuse
from studio.model.motion import Motion
from studio.model.speed import preset_keys
from studio.model.stored import GENERATED
from studio.model.time import nearest_frame, parse_time
from studio.model.timeline import Clip, MediaRef, Project, Track, Transition, cut_frames
from studio.model.titles import TextStyle, Title
from studio.model.tracks import SOUND_ROLES
from studio.model.transform import PROPERTIES, ChromaKey, Mask, Transform


@dataclass(frozen=True)
class Placement:
    """Where an added item is: its id, its track and its start and end (seconds)."""

    id: str
    track: str
    start: float
    end: float


@dataclass(frozen=True)
class Look:
    """An overlay's transform options as given (None: the default)."""

    x: float | None = None
    y: float | None = None
    scale: float | None = None
    rotation: float | None = None
    opacity: float | None = None
    blend: str | None = None
    mask: str | None = None
    chroma_key: str | None = None
    keys: tuple[str, ...] = ()
    ease: str = "linear"
    ramp: str | None = None  # a speed ramp preset, or "none" to play at one speed again
    ramp_sound: str | None = None
    voice_effect: str | None = None  # "none" takes it off
    gain_db: float | None = None  # the sound's gain
    denoise: float | None = None  # how strongly its steady noise is taken out, 0..1

    def transform(self, base: Transform | None = None) -> Transform:
        given = {
            name: float(value)
            for name in ("x", "y", "scale", "rotation", "opacity")
            if (value := getattr(self, name)) is not None
        }
        transform = replace(base or Transform(), **given)  # type: ignore[arg-type]
        if self.blend is not None:
            transform = replace(transform, blend=self.blend)  # type: ignore[arg-type]
        if self.mask is not None:
            transform = replace(transform, mask=Mask(self.mask))  # type: ignore[arg-type]
        if self.chroma_key is not None:
            transform = replace(transform, chroma=ChromaKey(_colour(self.chroma_key)))
        return transform

    def parsed_keys(self) -> list[tuple[str, Key]]:
        check_choice("key.ease", self.ease, "ease")
        return [key for text in self.keys for key in parse_keys(text, self.ease)]  # type: ignore[arg-type]

    def transform_keys(self) -> list[tuple[str, Key]]:
        return [(name, key) for name, key in self.parsed_keys() if name in PROPERTIES]

    def paced(self, clip: Clip) -> Clip:
        """The clip with the speed ramp, speed keys and volume keys asked for."""
        ramp = clip.ramp
        if self.ramp == "none":
            ramp = Keys()
        elif self.ramp is not None:
            check_choice("clip.ramp", self.ramp, "speed_ramp")
            ramp = preset_keys(self.ramp, clip.source_in, clip.source_out)
        volume = clip.volume_keys
        for name, key in self.parsed_keys():
            if name == "speed":
                ramp = ramp.with_key(replace(key, time=clip.source_in + key.time))
            elif name == "volume":
                volume = volume.with_key(key)
        sound = self.ramp_sound or clip.ramp_sound
        voice = clip.voice_effect if self.voice_effect is None else self.voice_effect
        voice = "" if voice == "none" else voice
        paced = replace(clip, ramp=ramp, ramp_sound=sound, volume_keys=volume)  # type: ignore[arg-type]
        paced = replace(paced, voice_effect=voice)
        if self.gain_db is not None:
            paced = replace(paced, volume=volume_of(self.gain_db))
        return paced if self.denoise is None else replace(paced, denoise=self.denoise)


def volume_of(gain_db: float) -> float:
    """A clip's volume (a factor) for a gain in dB."""
    check_range("clip.gain_db", gain_db, "gain")
    return round(10 ** (gain_db / 20), 4)


def parse_keys(text: str, ease: Ease = "linear") -> list[tuple[str, Key]]:
    """ "1.5:x=0.2,y=0.8" -> [("x", Key(1.5, 0.2)), ("y", Key(1.5, 0.8))]."""
    time_text, _, values = text.partition(":")
    if not values:
        refuse("key", f"must look like 1.5:x=0.2,scale=0.5 (got {text!r})")
    try:
        time = parse_time(time_text)
    except ValueError:
        refuse("key", f"{time_text!r} is not a time in seconds")
    found = []
    for pair in values.split(","):
        name, _, value = pair.partition("=")
        name = name.strip().replace("-", "_")
        if name not in (*PROPERTIES, "speed", "volume"):
            listed = ", ".join((*PROPERTIES, "speed", "volume"))
            refuse("key", f"{name!r} cannot be animated ({listed} can)")
        try:
            number = float(value)
        except ValueError:
            refuse("key", f"{value!r} is not a number (in {text!r})")
        found.append((name, Key(time, number, ease)))
    return found


def add_overlay(
    project_path: str | Path,
    file: str | Path,
    at: Fraction,
    length: Fraction | None = None,
    track: str | None = None,
    look: Look | None = None,
) -> Placement:
    """A picture or video laid over the edit from `at` for `length` seconds (all of a video,
    5 s of a picture, when not given)."""
    look = look or Look()
    project = load_project(project_path)
    clip = _sized(clip_of(source_of(file)), length)
    if not clip.media.has_video:
        refuse("file", f"{Path(file).name} has no picture: add it as a sound instead")
    clip = look.paced(replace(clip, transform=look.transform(Transform(scale=0.5))))
    project, track_id = arrange.place(project, clip, at, track)
    keys = look.transform_keys()
    project = arrange.add_keys(project, clip.id, keys) if keys else project
    return _saved(project, project_path, clip.id, track_id)


def add_title(
    project_path: str | Path,
    text: str,
    at: Fraction,
    length: Fraction,
    style: TextStyle,
    place: dict[str, float] | None = None,
    track: str | None = None,
    motion: Motion | None = None,
    snap: bool = False,
) -> Placement:
    """Text drawn over the edit from `at` for `length` seconds, at its style's size; `place`:
    its centre (x, y, of the canvas), rotation and opacity, where given; `motion`: how it
    comes in, goes out and moves; `snap`: its start and end on the music's nearest beats."""
    from studio.render.titles import font_file, title_for

    font_file(style.font)  # an unknown font is refused before anything is saved
    project = load_project(project_path)
    if snap:
        project = with_beats(project)
        at, end = on_beats(project, at, at + length)
        length = end - at
    title = replace(title_for(text, length, style, **(place or {})), motion=motion or Motion())
    project, track_id = arrange.place(project, title, at, track)
    return _saved(project, project_path, title.id, track_id)


def add_words_on_beats(
    project_path: str | Path,
    text: str,
    at: Fraction,
    style: TextStyle,
    place: dict[str, float] | None = None,
    track: str | None = None,
    motion: Motion | None = None,
) -> list[Placement]:
    """One word of `text` per beat of the music from the first beat at or after `at`, each
    shown until the next beat, all in the same place on one overlay track."""
    from studio.render.titles import font_file, title_for

    font_file(style.font)
    project = with_beats(load_project(project_path))
    words = text.split()
    beats = _beats_from(project, at, len(words) + 1)[: len(words) + 1]
    titles = [
        replace(title_for(word, end - start, style, **(place or {})), motion=motion or Motion())
        for word, start, end in zip(words, beats, beats[1:])
    ]
    for title, start in zip(titles, beats):
        project, track = arrange.place(project, title, start, track)
    save_project(project, project_path)
    return [_placement(project, title.id, str(track)) for title in titles]


def with_beats(project: Project) -> Project:
    """The project with its music's beats found, where they were not yet."""
    if project.music is None or project.music.grid.beats:
        return project
    from studio.analysis.beats import analyse

    return edits.set_beat_analysis(project, analyse(project.music.media.path).grid())


def on_beats(project: Project, start: Fraction, end: Fraction) -> tuple[Fraction, Fraction]:
    """`start` and `end` moved to the music's nearest beats (on frames; never empty)."""
    beats = _beats_from(project, Fraction(0), 2)  # refused without music or its beats
    first = min(beats, key=lambda beat: abs(beat - start))
    last = min(beats, key=lambda beat: abs(beat - end))
    if last <= first:
        last = next((beat for beat in beats if beat > first), first + end - start)
    return first, last


def _beats_from(project: Project, at: Fraction, count: int) -> list[Fraction]:
    """The first `count` beats of the music at or after `at` (timeline times, on frames)."""
    if project.music is None:
        refuse("music", "the project has no music to find beats in (`studio new --music`)")
    beats = [b for b in _frame_beats(project) if b >= at - Fraction(1, 1000)]
    if count and len(beats) < count:
        have = f"{len(beats)} beats" if beats else "no beats"
        refuse("music", f"the music has {have} from {float(at):.2f} s: {count} are needed")
    return beats


def _frame_beats(project: Project) -> list[Fraction]:
    if project.music is None:
        return []
    fps = project.canvas.fps
    return sorted({Fraction(nearest_frame(b, fps), fps) for b in project.music.beat_times()})


def retitled(
    project: Project, item_id: str, text: str | None = None, style: TextStyle | None = None
) -> Project:
    """The title with new words or a new style, measured again: its letters keep the size
    they show at (its scale, keys too, follows the drawn width), its place stays."""
    from studio.model.transform import within
    from studio.render.titles import font_file, measure

    title = arrange.item(project, item_id)
    if not isinstance(title, Title):
        refuse("id", f"{item_id!r} is not a title")
    text = title.text if text is None else text
    style = title.style if style is None else style
    font_file(style.font)  # an unknown font is refused before anything changes
    width, height = measure(text, style)
    ratio = width / title.width
    transform = title.transform
    transform = replace(transform, scale=within("scale", transform.scale * ratio))
    if transform.animated("scale"):
        keys = transform.keys_of("scale").keys
        scaled = [replace(key, value=within("scale", key.value * ratio)) for key in keys]
        transform = transform.with_keys("scale", Keys(tuple(scaled)))
    changes = {"text": text, "style": style, "width": width, "height": height}
    return arrange.edit_item(project, item_id, transform=transform, **changes)


def add_sticker(
    project_path: str | Path,
    spec: str,
    at: Fraction,
    length: Fraction,
    place: dict[str, float] | None = None,
    track: str | None = None,
    motion: Motion | None = None,
) -> Placement:
    """A sticker (a bundled one's name, or a picture file) over the edit from `at` for
    `length` seconds; `place`: its centre, scale, rotation and opacity, where given."""
    from studio.render.stickers import source_named, sticker_for

    project = load_project(project_path)
    sticker = sticker_for(source_named(spec), length, **(place or {}))
    sticker = replace(sticker, motion=motion or Motion())
    project, track_id = arrange.place(project, sticker, at, track)
    return _saved(project, project_path, sticker.id, track_id)


def add_sound_effect(
    project_path: str | Path,
    name: str,
    at: Fraction | None = None,
    beat: int | None = None,
    cut: int | None = None,
    track: str | None = None,
) -> Placement:
    """A sound effect of the library, written beside the project (sounds/NAME.wav, so the
    project keeps it), on a sound-effects track at `at`, or landing (a whoosh at its
    loudest) on beat number `beat` of the music or cut number `cut` of the main track
    (counting from 1)."""
    from studio.render.sfx import EFFECTS, write_effect

    project = load_project(project_path)
    project = with_beats(project) if beat is not None else project
    when = _moment(project, at, beat, cut)
    if (beat or cut) and name in EFFECTS:
        hit = Fraction(EFFECTS[name].hit).limit_denominator(1000)
        when = max(Fraction(0), when - hit)
    file = write_effect(name, Path(project_path).resolve().parent / "sounds")
    clip = clip_of(probe(file))
    project, track_id = arrange.place(project, clip, when, track, "effects")
    return _saved(project, project_path, clip.id, track_id)


def _moment(project: Project, at: Fraction | None, beat: int | None, cut: int | None) -> Fraction:
    """The time an item goes at: given, a beat of the music, or a cut of the main track."""
    if beat is not None:
        beats = _beats_from(project, Fraction(0), 0)
        if not 1 <= beat <= len(beats):
            refuse("on_beat", f"must be between 1 and {len(beats)}, the music's beats (got {beat})")
        return beats[beat - 1]
    if cut is not None:
        fps = project.canvas.fps
        cuts = [Fraction(frame, fps) for frame in cut_frames(project.main.clips, fps)[1:-1]]
        if not 1 <= cut <= len(cuts):
            have = f"between 1 and {len(cuts)}" if cuts else "a cut, and the edit has none"
            refuse("on_cut", f"must be {have} (got {cut})")
        return cuts[cut - 1]
    return at if at is not None else Fraction(0)


ROLE_NAMES = {"sfx": "effects"}  # what the command line calls a role


@dataclass(frozen=True)
class SoundLook:
    """How an added sound plays: its gain in dB, fades in and out (seconds), its voice changed
    (chipmunk, deep, robot, echo, radio, megaphone) and its noise reduced (0..1)."""

    gain_db: float = 0.0
    fade_in: Fraction = Fraction(0)
    fade_out: Fraction = Fraction(0)
    voice_effect: str = ""
    denoise: float = 0.0

    def applied(self, clip: Clip) -> Clip:
        volume = volume_of(self.gain_db)
        clip = replace(clip, volume=volume, voice_effect=self.voice_effect, denoise=self.denoise)
        return replace(clip, fade_in=self.fade_in, fade_out=self.fade_out)


def add_sound(
    project_path: str | Path,
    file: str | Path,
    at: Fraction,
    role: str = "voice",
    length: Fraction | None = None,
    track: str | None = None,
    look: SoundLook | None = None,
) -> Placement:
    """A sound (voice-over, sound effect, music) on an audio track of its role from `at`,
    played as `look` says."""
    role = ROLE_NAMES.get(role, role)
    if role not in SOUND_ROLES:
        refuse("role", f"must be one of {', '.join(SOUND_ROLES)} (got {role!r})")
    project = load_project(project_path)
    clip = (look or SoundLook()).applied(_sized(clip_of(probe(file)), length))
    if not clip.media.has_audio:
        raise MediaError(NO_SOUND, file)
    if role == VOICE:  # where it speaks: the music ducks there
        from studio.analysis.voice_activity import speech_spans

        clip = replace(clip, speech=speech_spans(file))
    project, track_id = arrange.place(project, clip, at, track, role)
    return _saved(project, project_path, clip.id, track_id)


def add_reading(
    project_path: str | Path,
    text: str,
    at: Fraction | None = None,
    voice: str = "us",
    speed: float = 1.0,
    track: str | None = None,
    read: str | None = None,
) -> Placement:
    """Text read aloud by a voice of `studio voices`, written beside the project (sounds/) and
    placed on a voice track at `at`; with `read`, the words of that title, from its start
    unless `at` is given."""
    from studio.render.tts import reading_in

    if read is not None:
        title, start = _title(load_project(project_path), read)
        text, at = title.text, start if at is None else at
    file = reading_in(Path(project_path).resolve().parent / "sounds", text, voice, speed)
    return add_sound(project_path, file, at or Fraction(0), "voice", None, track)


def _title(project: Project, item_id: str) -> tuple[Title, Fraction]:
    """A title of the edit and where it starts."""
    title = arrange.item(project, item_id)
    if not isinstance(title, Title):
        refuse("read", f"{item_id} is not a title: only a title's words are read aloud")
    start = next(a for t in project.tracks for i, a, _ in t.ranges() if i.id == item_id)
    return title, start


def add_main_clip(
    project_path: str | Path, file: str | Path, at: Fraction | None = None
) -> Placement:
    """A clip added to the main track at the cut nearest `at` (at the end when not given)."""
    project = load_project(project_path)
    clip = _sized(clip_of(source_of(file)), None)
    project = arrange.insert_main(project, clip, at)  # a fresh clip keeps its new id
    return _saved(project, project_path, clip.id, project.main.id)


def add_transitions(
    project_path: str | Path,
    kind: str,
    length: Fraction,
    after: str | None = None,
    ease: str = "linear",
) -> list[Placement]:
    """A transition after the clip `after`, or between every two clips when None."""
    project = load_project(project_path)
    targets = [after] if after is not None else [c.id for c in project.main.clips[:-1]]
    if not targets:
        refuse("all", "the main track needs two clips for a transition")
    added = []
    for clip_id in targets:
        transition = Transition(kind, length, ease)  # type: ignore[arg-type]
        project = arrange.add_transition(project, clip_id, transition)
        added.append(transition.id)
    save_project(project, project_path)
    return [_placement(project, item_id, project.main.id) for item_id in added]


def set_item(project_path: str | Path, item_id: str, look: Look) -> Placement:
    """An item's transform values and keys changed."""
    project = load_project(project_path)
    found = arrange.item(project, item_id)
    if not isinstance(found, Clip):
        refuse("id", f"{item_id!r} is not a clip")
    paced = look.paced(found)
    sounding = ("ramp", "ramp_sound", "volume_keys", "voice_effect", "volume", "denoise")
    timing = {name: getattr(paced, name) for name in sounding}
    if any(getattr(found, name) != value for name, value in timing.items()):
        project = arrange.edit_item(project, item_id, **timing)
    if _moves(look, found):
        project = arrange.edit_item(project, item_id, transform=look.transform(found.transform))
    keys = look.transform_keys()
    if keys:
        project = arrange.add_keys(project, item_id, keys)
    return _saved(project, project_path, item_id, _track_of(project, item_id))


def set_ducking(
    project_path: str | Path,
    depth_db: float,
    attack: Fraction | None = None,
    release: Fraction | None = None,
) -> Ducking:
    """How far (0: off) and how fast the other sound drops under the voices. Voices added
    before studio looked at where they speak are looked at now."""
    project = load_project(project_path)
    ducking = project.ducking
    ducking = Ducking(
        depth_db,
        ducking.attack if attack is None else attack,
        ducking.release if release is None else release,
    )
    project = _voices_heard(replace(project, ducking=ducking))
    save_project(project, project_path)
    return ducking


def edit_ducking(
    project_path: str | Path, keys: list[tuple[Fraction, float]], automatic: bool = False
) -> Keys:
    """The ducking curve edited as keys (seconds of the edit, dB): each key added, replacing
    one at its time; the automatic curve (made by the voices) first, if `automatic`."""
    project = _voices_heard(load_project(project_path))
    if automatic:
        project = edits.automatic_ducking(project)
    for time, gain_db in keys:
        project = edits.set_duck_key(project, None, time, gain_db)
    save_project(project, project_path)
    return duck_keys(project)


def parse_duck_key(text: str) -> tuple[Fraction, float]:
    """ "2.5:-18" -> (2.5 s, -18 dB)."""
    time_text, _, gain_text = text.partition(":")
    try:
        return parse_time(time_text), float(gain_text)
    except ValueError:
        refuse("duck_key", f"must look like 2.5:-18 (seconds:dB), not {text!r}")


def set_track(
    project_path: str | Path,
    track_id: str,
    gain_db: float | None = None,
    switches: dict[str, bool] | None = None,
) -> Track:
    """A track's gain and its switches (muted, solo, hidden, locked), as given."""
    project = load_project(project_path)
    track_id = arrange.track(project, track_id).id
    if gain_db is not None:
        project = arrange.set_track_gain(project, track_id, gain_db)
    for name, on in (switches or {}).items():
        project = arrange.set_track_switch(project, track_id, name, on)
    save_project(project, project_path)
    return next(track for track in project.tracks if track.id == track_id)


def _voices_heard(project: Project) -> Project:
    """Voice clips with where they speak found (older projects' voices were not looked at)."""
    from studio.analysis.voice_activity import speech_spans

    for track in project.layers:
        if track.role != VOICE:
            continue
        for item in track.items:
            if isinstance(item, Clip) and not item.speech and item.media.has_audio:
                spans = speech_spans(item.media.path)
                project = arrange.edit_item(project, item.id, speech=spans)
    return project


def _moves(look: Look, clip: Clip) -> bool:
    """Whether `look` sets anything of a transform (a main clip keeps none until asked)."""
    return clip.transform is not None or look.transform() != Transform()


def remove(project_path: str | Path, item_id: str) -> str:
    """The item gone; returns the id of the track it was on."""
    project = load_project(project_path)
    arrange.item(project, item_id)  # says so when there is no such item
    track = _track_of(project, item_id)
    save_project(arrange.remove_item(project, item_id), project_path)
    return track


def source_of(file: str | Path) -> MediaRef:
    """A media file, probed, or a plain colour: "color:#RRGGBB" or "color:NAME"."""
    text = str(file)
    if not text.lower().startswith(GENERATED):
        return probe(file)
    return colour_media(_colour(text[len(GENERATED) :]))


def _sized(clip: Clip, length: Fraction | None) -> Clip:
    if clip.media.endless:  # a picture, 5 s unless asked; an animation, at least once through
        shown = Fraction(5) if clip.media.still else max(clip.media.duration, Fraction(5))
        return replace(clip, source_out=length or shown)
    if length is None:
        return clip
    return replace(clip, source_out=min(clip.media.duration, clip.source_in + length))


def _saved(project: Project, path: str | Path, item_id: str, track: str) -> Placement:
    save_project(project, path)
    return _placement(project, item_id, track)


def _placement(project: Project, item_id: str, track_id: str) -> Placement:
    track = next(t for t in project.tracks if t.id == track_id)
    start, end = track.range_of(item_id)
    return Placement(item_id, track_id, float(start), float(end))


def _track_of(project: Project, item_id: str) -> str:
    return next(t.id for t in project.tracks if any(i.id == item_id for i in t.items))


COLOUR_NAMES = {
    "green": "#00ff00",
    "blue": "#0000ff",
    "red": "#ff0000",
    "black": "#000000",
    "white": "#ffffff",
    "yellow": "#ffff00",
}


def _colour(text: str) -> str:
    return COLOUR_NAMES.get(text.lower(), text.lower())


def named_colour(text: str, field: str) -> str:
    """ "#rrggbb", "rrggbb" or a colour's name, as "#rrggbb"; anything else is refused."""
    colour = _colour(text.strip())
    colour = colour if colour.startswith("#") else "#" + colour
    check_color(colour, field)
    return colour
