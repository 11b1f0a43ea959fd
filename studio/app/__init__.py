"""The facade shared by the CLI and the desktop app: one call per user action.

Every call that can take long accepts `task: Task` (progress with ETA and message, cancel), and
requests come as plain values (DuetRequest, StitchRequest, BeatSyncRequest), so neither face
builds engine objects. Nothing here prints or exits; failures are StudioError subclasses
naming the file and the field at fault.
"""

from __future__ import annotations

from studio.app.beats import (
    BeatSyncRequest,
    analyse_beats,
    beat_synced_project,
    beatsync,
    refresh_beats,
)
from studio.app.captions import (
    CaptionsRequest,
    add_captions,
    caption_sidecars,
    captions,
    edit_transcript,
    transcript_of,
    write_sidecars,
)
from studio.app.cluster_batch import cluster_batch_export
from studio.app.demo import demo, demo_folder, demo_request
from studio.app.effects import (
    FxRequest,
    background_of,
    effect_list,
    fx,
    fx_project,
    sticker_name,
    sticker_names,
    sticker_of,
)
from studio.app.export import (
    BatchItem,
    batch_export,
    export_project,
    preset_names,
    preset_of,
    save_and_export,
)
from studio.app.project import (
    check_project_name,
    create_project_file,
    export_otio,
    frame_at,
    make_proxy,
    new_project,
    parse_seconds,
    parse_size,
    preview_pixels,
    probe_many,
    thumbnails_of,
    waveform_of,
    with_music,
)
from studio.app.relink import Relinked, missing_media, relink
from studio.app.remix import DuetRequest, Remix, StitchRequest, make_duet, make_stitch
from studio.errors import Cancelled, ProjectError, StudioError
from studio.io.project_file import load_project, save_project
from studio.io.runner import Progress, Task
from studio.model.captions import cues
from studio.render.export import ExportResult
from studio.settings import Settings, apply, current

__all__ = [
    "BatchItem",
    "BeatSyncRequest",
    "Cancelled",
    "CaptionsRequest",
    "DuetRequest",
    "ExportResult",
    "FxRequest",
    "Progress",
    "ProjectError",
    "Relinked",
    "Remix",
    "Settings",
    "StitchRequest",
    "StudioError",
    "Task",
    "add_captions",
    "analyse_beats",
    "apply",
    "background_of",
    "batch_export",
    "beat_synced_project",
    "beatsync",
    "caption_sidecars",
    "captions",
    "check_project_name",
    "cluster_batch_export",
    "create_project_file",
    "cues",
    "current",
    "demo",
    "demo_folder",
    "demo_request",
    "edit_transcript",
    "effect_list",
    "export_otio",
    "export_project",
    "frame_at",
    "fx",
    "fx_project",
    "load_project",
    "make_duet",
    "make_proxy",
    "make_stitch",
    "missing_media",
    "new_project",
    "parse_seconds",
    "parse_size",
    "preset_names",
    "preset_of",
    "preview_pixels",
    "probe_many",
    "refresh_beats",
    "relink",
    "save_and_export",
    "save_project",
    "sticker_name",
    "sticker_names",
    "sticker_of",
    "thumbnails_of",
    "transcript_of",
    "waveform_of",
    "with_music",
    "write_sidecars",
]
