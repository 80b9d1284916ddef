"""Errors raise acuity.Error subclasses with the CLI's one-line messages."""

import _thread
import os
import subprocess
import tempfile
import threading
import unittest

import numpy as np

import acuity
from util import run_cli, sample


def cli_error(*args):
    """The message of `acuity score ARGS`'s error line, without its prefix."""
    rc, _, err = run_cli("score", "-q", *args)
    assert rc != 0
    line = [l for l in err.splitlines() if "error: " in l][0]
    return line.split("error: ", 1)[1]


class Errors(unittest.TestCase):
    def test_missing_file(self):
        path = "no/such/clip.mp4"
        with self.assertRaises(acuity.NotFoundError) as cm:
            acuity.score(path)
        self.assertIsInstance(cm.exception, FileNotFoundError)
        self.assertEqual(str(cm.exception), cli_error(path))
        self.assertEqual(cm.exception.code, "not_found")

    def test_corrupt_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "junk.mp4")
            with open(path, "wb") as f:
                f.write(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8)
            with self.assertRaises(acuity.Error) as cm:
                acuity.score(path)
            self.assertEqual(str(cm.exception), cli_error(path))
            self.assertIn("junk.mp4", str(cm.exception))

    def test_truncated_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "cut.mp4")
            with open(sample("ladder_sigma1.mp4"), "rb") as f:
                data = f.read()
            with open(path, "wb") as f:
                f.write(data[:2000])
            with self.assertRaises(acuity.Error) as cm:
                acuity.score(path)
            self.assertEqual(str(cm.exception), cli_error(path))

    def test_unknown_metric(self):
        with self.assertRaises(acuity.Error) as cm:
            acuity.score(sample("still.png"), metrics="sharpness9000")
        self.assertEqual(str(cm.exception),
                         cli_error("--metrics", "sharpness9000",
                                   sample("still.png")))

    def test_bad_option_values(self):
        with self.assertRaises(acuity.InvalidArgumentError) as cm:
            acuity.score(sample("still.png"), brisque_every=0)
        self.assertIsInstance(cm.exception, ValueError)
        self.assertIn("brisque-every", str(cm.exception))
        with self.assertRaises(ValueError) as cm:
            acuity.score(sample("still.png"), fps=-1)
        self.assertIn("--fps", str(cm.exception))
        with self.assertRaises(TypeError) as cm:
            acuity.score(sample("still.png"), fsp=2)
        self.assertIn("fsp", str(cm.exception))
        with self.assertRaises(TypeError):
            acuity.score_frames([], fps=2, every=3)  # not for frames
        with self.assertRaises(TypeError) as cm:
            acuity.score(sample("still.png"), fps="2")
        self.assertIn("fps must be a number", str(cm.exception))
        with self.assertRaises(TypeError):
            acuity.score(sample("still.png"), every=2.5)

    def test_nothing_selected(self):
        with self.assertRaises(acuity.InvalidArgumentError) as cm:
            acuity.score(sample("ladder_sigma1.mp4"), start=100)
        self.assertEqual(str(cm.exception),
                         cli_error("--start", "100", sample("ladder_sigma1.mp4")))

    def test_bad_frames(self):
        s = acuity.Scorer(fps=10)
        with self.assertRaises(acuity.InvalidArgumentError) as cm:
            s.push(np.zeros((4, 4, 4), np.uint8))
        self.assertIn("HxWx3", str(cm.exception))
        with self.assertRaises(ValueError):
            s.push(np.zeros((4, 4), np.float32))
        with self.assertRaises(ValueError):
            s.push(np.zeros((4, 4, 3), np.uint16))
        s.push(np.zeros((8, 8), np.uint8))
        with self.assertRaises(ValueError) as cm:
            s.push(np.zeros((8, 9), np.uint8))
        self.assertIn("8x9", str(cm.exception))
        with self.assertRaises(ValueError):
            acuity.Scorer(fps=10, bit_depth=10).push(np.zeros((4, 4), np.uint8))
        with self.assertRaises(ValueError):
            acuity.Scorer(channels="bgra")
        with self.assertRaises(acuity.InvalidArgumentError) as cm:
            acuity.score_frames([], fps=10)
        self.assertIn("no frame", str(cm.exception))

    def test_ctrl_c_stops_score(self):
        # A 20 s clip takes seconds to score; SIGINT's KeyboardInterrupt
        # arrives inside acuity.score (which then stops at the next frame),
        # not after it returned.
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "long.mp4")
            subprocess.run(
                ["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                 "testsrc2=s=320x240:d=20", "-c:v", "libx264", "-preset",
                 "ultrafast", path], check=True)
            timer = threading.Timer(0.3, _thread.interrupt_main)
            innermost = None
            timer.start()
            try:
                acuity.score(path, metrics="all", brisque_every=1)
            except KeyboardInterrupt as e:
                tb = e.__traceback__
                while tb.tb_next is not None:
                    tb = tb.tb_next
                innermost = tb.tb_frame.f_code.co_name
            finally:
                timer.cancel()
            # Raised inside acuity.score, not at the next line after it.
            self.assertEqual(innermost, "score")
            # And the module still works afterwards.
            self.assertEqual(acuity.score(path, max_frames=2).video["frames_used"], 2)

    def test_cancel(self):
        s = acuity.Scorer(fps=10, metrics="laplacian_var")
        s.push(np.zeros((8, 8), np.uint8))
        s.cancel()
        with self.assertRaises(acuity.CancelledError):
            s.push(np.zeros((8, 8), np.uint8))
        with self.assertRaises(acuity.CancelledError):
            s.result()


if __name__ == "__main__":
    unittest.main()
