# Type stubs of the acuity package (docs/python.md).
from typing import Any, Iterable, Optional

import numpy as np
import numpy.typing as npt

__version__: str

class Error(RuntimeError):
    code: str
class InvalidArgumentError(Error, ValueError): ...
class NotFoundError(Error, FileNotFoundError): ...
class IoError(Error, OSError): ...
class CancelledError(Error): ...

class Result:
    @property
    def summary(self) -> dict[str, dict[str, Optional[float]]]: ...
    @property
    def frames(self) -> dict[str, npt.NDArray[Any] | list[str]]: ...
    @property
    def video(self) -> dict[str, Any]: ...
    @property
    def metrics(self) -> list[str]: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def frames_csv(self) -> str: ...

Frame = npt.NDArray[np.uint8] | npt.NDArray[np.uint16]

def score(
    path: str,
    metrics: str = ...,
    *,
    fps: float = ...,
    every: int = ...,
    keyframes: bool = ...,
    max_frames: int = ...,
    start: float = ...,
    duration: float = ...,
    threads: int = ...,
    max_pixels: int = ...,
    sequence_fps: float = ...,
    sequence: bool = ...,
    io_timeout: float = ...,
    heatmap: bool = ...,
    metric_threads: int = ...,
    frames_in_flight: int = ...,
    brisque_every: int = ...,
    face_every: int = ...,
    face_model: str = ...,
) -> Result: ...

class Scorer:
    def __init__(
        self,
        fps: float = ...,
        metrics: str = ...,
        channels: str = ...,
        bit_depth: Optional[int] = ...,
        range: str = ...,
        name: str = ...,
        *,
        heatmap: bool = ...,
        metric_threads: int = ...,
        frames_in_flight: int = ...,
        brisque_every: int = ...,
        face_every: int = ...,
        face_model: str = ...,
    ) -> None: ...
    def push(self, frame: Frame, pts: Optional[float] = ...) -> None: ...
    def result(self) -> Result: ...
    def cancel(self) -> None: ...
    @property
    def frames_pushed(self) -> int: ...

def score_frames(
    frames: Iterable[Frame],
    fps: float = ...,
    metrics: str = ...,
    channels: str = ...,
    bit_depth: Optional[int] = ...,
    range: str = ...,
    name: str = ...,
    *,
    heatmap: bool = ...,
    metric_threads: int = ...,
    frames_in_flight: int = ...,
    brisque_every: int = ...,
    face_every: int = ...,
    face_model: str = ...,
) -> Result: ...

def metric_keys(metrics: str = ...) -> list[str]: ...
def set_ffmpeg_logging(verbose: bool) -> None: ...
