"""Shared helpers of the Python tests (run by ctest: python_*)."""

import json
import os
import subprocess
import tempfile

import numpy as np

SOURCE = os.environ.get(
    "ACUITY_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..")
)
BINARY = os.environ.get("ACUITY_BINARY_DIR", os.path.join(SOURCE, "build"))
CLI = os.environ.get("ACUITY_CLI", os.path.join(BINARY, "acuity"))


def sample(name):
    return os.path.join(SOURCE, "samples", name)


def run_cli(*args):
    """Runs the acuity CLI; returns (exit code, stdout, stderr)."""
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def cli_report(path, *args):
    """NAME.acuity.json of `acuity score -o TMP PATH ARGS` as a dict."""
    with tempfile.TemporaryDirectory() as out:
        rc, _, err = run_cli("score", "-q", "-o", out, *args, path)
        assert rc == 0, err
        stem = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out, stem + ".acuity.json")) as f:
            return json.load(f)


def ffmpeg(*args):
    subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y", *args],
        check=True,
    )


def decode_raw(path, pix_fmt, width, height):
    """Every frame of `path` as FFmpeg hands it over in `pix_fmt` (rgb24,
    gray, yuv420p): a list of NumPy arrays (planes as one buffer)."""
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "rawvideo",
         "-pix_fmt", pix_fmt, "-"],
        capture_output=True, check=True,
    ).stdout
    if pix_fmt == "rgb24":
        size, shape = width * height * 3, (height, width, 3)
    elif pix_fmt == "yuv420p":
        size = width * height + 2 * ((width + 1) // 2) * ((height + 1) // 2)
        shape = None
    else:
        size, shape = width * height, (height, width)
    frames = []
    for i in range(len(raw) // size):
        buf = np.frombuffer(raw, np.uint8, size, i * size)
        frames.append(buf.reshape(shape) if shape else buf)
    return frames
