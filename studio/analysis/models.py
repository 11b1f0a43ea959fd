"""The models the analyses run, loaded from bytes that Python read.

On Windows, mediapipe and OpenCV open files through the system's ANSI code page: a model under
a folder whose name it cannot spell (the installer puts studio under the user's profile, which
holds the user's name: C:\\Users\\Jürgen\\...) is "not found". So no path reaches their native
code: mediapipe's graph is read here, expanded, and every model it would load by path is handed
to it as bytes through a side packet (TfLiteModelCalculator's MODEL_BLOB); OpenCV's face
cascade is parsed from memory. Each gives the same results as the library's own loader.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from studio.errors import AnalysisError

MODULES = "mediapipe/modules/"


def person_segmenter(model: int = 0) -> Any:
    """MediaPipe's selfie segmentation (0: portrait, 1: landscape); `.process(rgb)` gives a
    result with `segmentation_mask`."""
    folder = MODULES + "selfie_segmentation/"
    name = ("selfie_segmentation.tflite", "selfie_segmentation_landscape.tflite")[model]
    return _solution(
        folder + "selfie_segmentation_cpu.binarypb",
        loader_models=[folder + name],
        side_inputs={"model_selection": model},
        outputs=["segmentation_mask"],
    )


def face_detector(model: int = 0) -> Any:
    """MediaPipe's face detection (0: short range, 1: full range) with the graphs' own score
    thresholds (mediapipe's FaceDetection sets its min_detection_confidence after the graph is
    expanded, where nothing reads it); `.process(rgb)` gives a result with `detections`."""
    graph = ("face_detection_short_range_cpu", "face_detection_full_range_cpu")[model]
    return _solution(MODULES + f"face_detection/{graph}.binarypb", outputs=["detections"])


def face_mesh(still: bool, most_faces: int, refine: bool) -> Any:
    """MediaPipe's face mesh (468 points, 478 with `refine`: the irises); `still` treats every
    frame as a new picture instead of tracking; `.process(rgb)` gives `multi_face_landmarks`."""
    name = "face_landmark_with_attention.tflite" if refine else "face_landmark.tflite"
    scores = {
        "facedetectionshortrangecpu__facedetectionshortrange__facedetection__"
        "TensorsToDetectionsCalculator.min_score_thresh": 0.5,
        "facelandmarkcpu__ThresholdingCalculator.threshold": 0.5,
    }
    return _solution(
        MODULES + "face_landmark/face_landmark_front_cpu.binarypb",
        loader_models=[MODULES + "face_landmark/" + name],
        side_inputs={
            "num_faces": most_faces,
            "with_attention": refine,
            "use_prev_landmarks": not still,
        },
        calculator_params=scores,
        outputs=["multi_face_landmarks"],
    )


def face_cascade() -> Any:
    """OpenCV's frontal face cascade (Viola-Jones), parsed from memory."""
    import cv2

    text = _read(Path(cv2.data.haarcascades) / "haarcascade_frontalface_default.xml")  # type: ignore[attr-defined]
    storage = cv2.FileStorage(text.decode("utf-8"), cv2.FILE_STORAGE_READ | cv2.FILE_STORAGE_MEMORY)
    try:
        cascade = cv2.CascadeClassifier()
        if not cascade.read(storage.getFirstTopLevelNode()) or cascade.empty():
            raise AnalysisError("OpenCV's face cascade cannot be read")
    finally:
        storage.release()
    return cascade


def _solution(binarypb: str, outputs: Sequence[str], **options: Any) -> Any:
    """A mediapipe solution (the legacy API: `.process`, `.close`) built from `binarypb` with
    every model given as bytes; AnalysisError where mediapipe cannot load."""
    try:
        load_mediapipe()
        from mediapipe.python.solution_base import SolutionBase
    except Exception as error:  # ImportError, or a native library that does not load
        raise AnalysisError(
            f"the face and person finder (mediapipe) cannot load here: {error}"
        ) from None
    side = options.pop("side_inputs", {})
    graph, blobs = in_memory_graph(binarypb, options.pop("loader_models", ()))
    return SolutionBase(
        graph_config=graph, side_inputs={**side, **blobs}, outputs=list(outputs), **options
    )


def in_memory_graph(
    binarypb: str, loader_models: Sequence[str] = ()
) -> tuple[Any, dict[str, bytes]]:
    """The graph with its subgraphs expanded and no model loaded by path, and the models'
    bytes by side-packet name. `loader_models`: for each model loader of the graph
    (ResourceProviderCalculator, in order), the model its switch would pick."""
    from mediapipe.framework import calculator_pb2
    from mediapipe.python._framework_bindings import validated_graph_config

    graph = calculator_pb2.CalculatorGraphConfig.FromString(read_resource(binarypb))
    validated = validated_graph_config.ValidatedGraphConfig()
    validated.initialize(graph_config=graph)
    expanded = calculator_pb2.CalculatorGraphConfig.FromString(validated.binary_config)
    blobs: dict[str, bytes] = {}
    nodes = list(_fed_from_memory(expanded.node, iter(loader_models), blobs))
    del expanded.node[:]
    expanded.node.extend(nodes)
    expanded.input_side_packet.extend(blobs)
    return expanded, blobs


def _fed_from_memory(nodes: Any, loader_models: Iterator[str], blobs: dict[str, bytes]) -> Any:
    """The graph's nodes, each model load by path replaced by a load from a side packet."""
    for node in nodes:
        if node.calculator == "ResourceProviderCalculator":
            continue  # the model loader it feeds reads MODEL_BLOB instead
        if node.calculator == "TfLiteModelCalculator" and _reads_resource(node):
            blob = f"model_blob_{len(blobs)}"
            blobs[blob] = read_resource(next(loader_models))
            del node.input_side_packet[:]
            node.input_side_packet.append(f"MODEL_BLOB:{blob}")
        elif node.calculator.startswith("InferenceCalculator"):
            yield from _model_loaders(node, blobs)
        yield node
    if next(loader_models, None) is not None:
        raise AnalysisError("mediapipe's graph has fewer model loaders than expected")


def _reads_resource(node: Any) -> bool:
    return any(side.startswith("MODEL_RESOURCE:") for side in node.input_side_packet)


def _model_loaders(node: Any, blobs: dict[str, bytes]) -> Iterator[Any]:
    """For an inference node that names its model by path: a node that loads those bytes,
    and the inference node rewired to take the model from it (a path would win)."""
    from mediapipe.calculators.tensor import inference_calculator_pb2
    from mediapipe.framework import calculator_pb2

    for packed in node.node_options:
        options = inference_calculator_pb2.InferenceCalculatorOptions()
        if not (packed.Unpack(options) and options.model_path):
            continue
        blob, model = f"model_blob_{len(blobs)}", f"model_{len(blobs)}"
        blobs[blob] = read_resource(options.model_path)
        options.ClearField("model_path")
        packed.Pack(options)
        node.input_side_packet.append(f"MODEL:{model}")
        yield calculator_pb2.CalculatorGraphConfig.Node(
            calculator="TfLiteModelCalculator",
            input_side_packet=[f"MODEL_BLOB:{blob}"],
            output_side_packet=[f"MODEL:{model}"],
        )


class _Unused(types.ModuleType):
    """Stands in for a module while mediapipe imports (load_mediapipe)."""


def load_mediapipe() -> Any:
    """mediapipe, imported without matplotlib: its package imports its drawing helpers, which
    import matplotlib's pyplot (a third of a second, half of mediapipe's import, holding the
    GIL the app's GUI thread needs); studio never draws with them. While mediapipe imports, a
    stand-in answers for matplotlib; it leaves sys.modules after, so anything else that
    imports matplotlib gets the real one."""
    if "mediapipe" in sys.modules:
        return sys.modules["mediapipe"]
    placed = [name for name in ("matplotlib", "matplotlib.pyplot") if name not in sys.modules]
    for name in placed:
        sys.modules[name] = _Unused(name)
    try:
        import mediapipe
    finally:
        for name in placed:
            if isinstance(sys.modules.get(name), _Unused):
                del sys.modules[name]
    return mediapipe


def read_resource(resource: str) -> bytes:
    """A file of the mediapipe package by its resource name ("mediapipe/modules/...")."""
    mediapipe = load_mediapipe()
    first, *rest = resource.split("/")
    if first != "mediapipe":
        raise AnalysisError(f"not a mediapipe resource: {resource}")
    return _read(Path(mediapipe.__file__).parent.joinpath(*rest))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise AnalysisError(f"a model file cannot be read: {error.strerror}", path) from None
