"""acuity: measure video sharpness from Python.

Three ways in, one set of numbers (the same as the ``acuity`` CLI's):

* ``acuity.score(path)`` scores a video file, image or image sequence.
* ``acuity.score_frames(frames, fps=...)`` scores NumPy frames in memory
  (HxW gray, HxWx3 RGB/BGR uint8, or HxW uint16 with ``bit_depth=``).
* ``acuity.Scorer`` scores frames one at a time, e.g. inside a generation loop.

``acuity.dask.score_files(paths)`` spreads files over a dask.distributed
cluster and returns summary.csv's table as a pandas DataFrame.

Every call releases the GIL while C++ works, so Python threads scoring
different clips run in parallel. Errors raise ``acuity.Error`` (or a subclass
that is also a ValueError, FileNotFoundError or OSError) with the CLI's
one-line message.

FFmpeg's own log lines are silenced when the package is imported, as the
CLI does without --verbose; ``acuity.set_ffmpeg_logging(True)`` turns them on.

Docs: docs/python.md. Metric definitions: docs/metrics.md.
"""

from __future__ import annotations

from . import _acuity
from ._acuity import (  # noqa: F401  (re-exported)
    CancelledError,
    Error,
    InvalidArgumentError,
    IoError,
    NotFoundError,
    Result,
)

__version__ = _acuity.__version__
__all__ = [
    "score",
    "score_frames",
    "Scorer",
    "Result",
    "metric_keys",
    "set_ffmpeg_logging",
    "Error",
    "InvalidArgumentError",
    "NotFoundError",
    "IoError",
    "CancelledError",
]

# Options of `acuity score`, by their flag names (--max-frames -> max_frames).
_FILE_OPTIONS = frozenset(
    {
        "fps",
        "every",
        "keyframes",
        "max_frames",
        "start",
        "duration",
        "threads",
        "max_pixels",
        "sequence_fps",
        "sequence",
        "io_timeout",
        "heatmap",
        "metric_threads",
        "frames_in_flight",
    }
) | frozenset(_acuity.metric_options())  # brisque_every, face_every, ...
# Options that apply to frames from memory (no decoding, no sampling):
# the heatmap, the measuring threads and the metric options the registry
# declares.
_FRAME_OPTIONS = frozenset(
    {"heatmap", "metric_threads", "frames_in_flight"}
) | frozenset(_acuity.metric_options())


def _check(function: str, options: dict, allowed: frozenset) -> dict:
    for name in options:
        if name not in allowed:
            raise TypeError(
                f"{function}() got an unexpected keyword argument '{name}' "
                f"(options: {', '.join(sorted(allowed))})"
            )
    return options


def set_ffmpeg_logging(verbose: bool) -> None:
    """Show FFmpeg's own warnings on stderr (True) or keep it quiet (False).

    Process-wide, like the CLI's --verbose. Quiet after ``import acuity``.
    """
    _acuity.set_ffmpeg_logging(bool(verbose))


def metric_keys(metrics: str = "default") -> list:
    """The output keys a metric selection produces, in report column order.

    >>> acuity.metric_keys("laplacian_var,edge_width_px")
    ['laplacian_var', 'edge_width_px', 'edge_width_p90', ...]
    """
    return _acuity.metric_keys(metrics)


def score(path: str, metrics: str = "default", **options) -> Result:
    """Score one video, image or image sequence, as ``acuity score PATH``.

    Args:
      path: a file FFmpeg reads (MP4, MKV, MOV, WebM, Y4M, PNG, JPEG...),
        an image sequence pattern ("frames/f%04d.png"), or with
        ``sequence=True`` a folder of images (one clip).
      metrics: comma-separated metric names, "default" or "all"
        (``acuity score --help`` lists them; docs/metrics.md defines them).
      **options: the CLI's options by name: fps, every, keyframes,
        max_frames, start, duration, threads, max_pixels, sequence_fps,
        sequence, io_timeout, heatmap, metric_threads (threads measuring
        one frame, default 1), frames_in_flight (frames measured at once,
        default 1; same numbers for every value), brisque_every,
        face_every, face_model.

    Returns:
      An ``acuity.Result``:
        ``.summary``  {key: {"n", "n_null", "mean", "median", "p5", "p10",
                      "p95", "std", "min", "max", "min_time", "max_time"}}
        ``.frames``   {"index", "pts", "key_frame", key...: NumPy arrays}
                      (float64, NaN where the report has null)
        ``.video``    the report's "video" object as a dict
        ``.to_dict()``  the same JSON as NAME.acuity.json, as a dict

    Raises:
      acuity.NotFoundError (a FileNotFoundError) when the file is missing,
      acuity.InvalidArgumentError (a ValueError) for a bad option or metric,
      acuity.Error for what cannot be decoded; the message is the CLI's.
      KeyboardInterrupt on Ctrl-C, within a frame's time.

    Example:
      >>> r = acuity.score("clip.mp4", metrics="laplacian_var", fps=2)
      >>> r.summary["laplacian_var"]["median"]
      1093.2
    """
    _check("score", options, _FILE_OPTIONS)
    return _acuity.score_file(str(path), metrics, options)


class Scorer:
    """Incremental scoring of frames held in memory.

    Push NumPy frames one by one (``push``), then take the ``result()``;
    every frame is measured before ``push`` returns, so the array may be
    reused at once. Frames are HxW gray (uint8, or uint16 with
    ``bit_depth``), or HxWx3 uint8 in ``channels`` order ("rgb" or "bgr",
    OpenCV's). RGB/BGR is converted as the CLI converts an RGB PNG or FFV1
    file (BT.601 YCbCr, full range), so a frame scores exactly as the same
    frame read from a lossless file. Contiguous arrays (and row-strided
    ones, e.g. crops) are read in place; other layouts are copied once.

    Args:
      fps: frame rate, for timestamps (frame i is at i / fps seconds unless
        ``push`` gets ``pts``) and the report's "video" object; 0: unknown.
      metrics: as in ``acuity.score``.
      channels: "rgb" (default) or "bgr" for HxWx3 frames.
      bit_depth: significant bits of uint16 gray frames (9..16; default 16).
      range: "full" (default) or "limited": the code range of gray frames.
      name: the report's video path ("<memory>").
      **options: heatmap, metric_threads, frames_in_flight (as in
        ``acuity.score``), brisque_every, face_every, face_model.

    Example, scoring inside a generation loop:
      >>> s = acuity.Scorer(fps=24, metrics="laplacian_var,edge_width_px")
      >>> for frame in generate():  # HxWx3 uint8 RGB
      ...     s.push(frame)
      >>> s.result().summary["edge_width_px"]["median"]

    One Scorer takes one clip, pushed from one thread at a time (pushes from
    several threads are serialised). ``cancel()`` may come from any thread.
    """

    def __init__(
        self,
        fps: float = 0.0,
        metrics: str = "default",
        channels: str = "rgb",
        bit_depth: int | None = None,
        range: str = "full",  # noqa: A002  (the CLI's word)
        name: str = "<memory>",
        **options,
    ):
        _check("Scorer", options, _FRAME_OPTIONS)
        self._s = _acuity.Scorer(
            metrics, float(fps), channels, bit_depth, range, options, name
        )

    def push(self, frame, pts: float | None = None) -> None:
        """Measure one frame (a NumPy array); ``pts`` in seconds."""
        self._s.push(frame, pts)

    def result(self) -> Result:
        """Pool the pushed frames into a Result. The Scorer is spent after."""
        return self._s.result()

    def cancel(self) -> None:
        """Stop: later push() and result() raise acuity.CancelledError."""
        self._s.cancel()

    @property
    def frames_pushed(self) -> int:
        """How many frames were pushed so far."""
        return self._s.frames_pushed


def score_frames(
    frames,
    fps: float = 0.0,
    metrics: str = "default",
    channels: str = "rgb",
    bit_depth: int | None = None,
    range: str = "full",  # noqa: A002
    name: str = "<memory>",
    **options,
) -> Result:
    """Score an iterable of NumPy frames (one clip) held in memory.

    ``frames`` is any iterable of arrays (a list, a generator, a TxHxW(x3)
    array); each is HxW gray, HxWx3 uint8 RGB (or BGR with
    ``channels="bgr"``), or HxW uint16 with ``bit_depth=``. Arguments as for
    ``acuity.Scorer``; returns an ``acuity.Result`` like ``acuity.score``.

    Example, the whole default set where one would call
    ``cv2.Laplacian(gray, cv2.CV_64F).var()`` per frame:
      >>> r = acuity.score_frames(frames, fps=30)
      >>> r.frames["laplacian_var"]      # per frame, NumPy float64
      >>> r.summary["edge_width_px"]["median"]
    """
    s = Scorer(fps, metrics, channels, bit_depth, range, name, **options)
    for frame in frames:
        s.push(frame)
    return s.result()


set_ffmpeg_logging(False)
