"""The same video through the CLI, acuity.score and acuity.score_frames gives
the same numbers: exactly, wherever the frames the metrics see are equal."""

import math
import os
import tempfile
import unittest

import numpy as np

import acuity
from util import cli_report, decode_raw, ffmpeg, sample


def same(a, b):
    return a == b or (math.isnan(a) and math.isnan(b))


class CliParity(unittest.TestCase):
    def test_score_equals_cli_report(self):
        # The whole NAME.acuity.json, every field and number.
        for name in ("ladder_sigma1.mp4", "hevc_10bit.mp4"):
            path = sample(name)
            with self.subTest(name):
                self.assertEqual(acuity.score(path).to_dict(), cli_report(path))

    def test_options_reach_the_decoder_as_cli_flags(self):
        path = sample("ladder_sigma2.mp4")
        got = acuity.score(path, metrics="laplacian_var,motion_mean", fps=5,
                           start=0.5, max_frames=4).to_dict()
        want = cli_report(path, "--metrics", "laplacian_var,motion_mean",
                          "--fps", "5", "--start", "0.5", "--max-frames", "4")
        self.assertEqual(got, want)
        self.assertEqual(got["video"]["frames_used"], 4)

    def test_measuring_threads_do_not_change_numbers(self):
        # --metric-threads and --frames-in-flight by name; the report is the
        # same for every value, from a file and from memory.
        path = sample("ladder_sigma1.mp4")
        want = acuity.score(path, metrics="all").to_dict()
        got = acuity.score(path, metrics="all", metric_threads=2,
                           frames_in_flight=3).to_dict()
        self.assertEqual(got, want)
        frames = decode_raw(path, "rgb24", 640, 360)[:12]
        one = acuity.score_frames(frames, fps=25).to_dict()
        many = acuity.score_frames(frames, fps=25, metric_threads=2,
                                   frames_in_flight=4).to_dict()
        self.assertEqual(many["frames"], one["frames"])
        self.assertEqual(many["summary"], one["summary"])
        with self.assertRaisesRegex(ValueError, "frames in flight: 0"):
            acuity.score(path, frames_in_flight=0)

    def test_frames_and_summary_follow_the_report(self):
        path = sample("ladder_sigma4.mp4")
        r = acuity.score(path)
        d = r.to_dict()
        frames = d["frames"]
        self.assertEqual(len(r.frames["pts"]), len(frames))
        np.testing.assert_array_equal(r.frames["pts"], [f["pts"] for f in frames])
        np.testing.assert_array_equal(r.frames["index"],
                                      [f["index"] for f in frames])
        np.testing.assert_array_equal(r.frames["key_frame"],
                                      [f["key_frame"] for f in frames])
        self.assertEqual(r.metrics, list(d["metrics"]))
        nulls = 0
        for key in r.metrics:
            want = [f["metrics"][key] for f in frames]
            got = r.frames[key]
            self.assertEqual(got.dtype, np.float64)
            for g, w in zip(got, want):
                if w is None:
                    nulls += 1
                    self.assertTrue(math.isnan(g), key)
                else:
                    self.assertEqual(g, w, key)
            self.assertEqual(r.summary[key], d["summary"][key])
        self.assertGreater(nulls, 0)  # some outputs are null (brisque_every)


class FramesParity(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        # Lossless RGB video: PNG in Matroska decodes to rgb24, the very
        # pixels score_frames gets.
        cls.rgb_clip = os.path.join(cls.tmp.name, "rgb.mkv")
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=176x144:d=0.8:r=10,format=rgb24",
               "-c:v", "png", cls.rgb_clip)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_rgb_frames_equal_the_lossless_file(self):
        frames = decode_raw(self.rgb_clip, "rgb24", 176, 144)
        self.assertEqual(len(frames), 8)
        from_file = acuity.score(self.rgb_clip, metrics="all")
        from_memory = acuity.score_frames(frames, fps=10, metrics="all")
        self.assertEqual(from_file.metrics, from_memory.metrics)
        for key in from_file.metrics:
            a, b = from_file.frames[key], from_memory.frames[key]
            self.assertTrue(all(same(x, y) for x, y in zip(a, b)),
                            f"{key}: {a} vs {b}")
        # i / fps against the stream's i * (1/10) in its time base.
        np.testing.assert_allclose(from_file.frames["pts"],
                                   from_memory.frames["pts"], atol=1e-12)
        # BGR order (OpenCV's) is the same picture.
        bgr = acuity.score_frames([f[:, :, ::-1] for f in frames], fps=10,
                                  metrics="all", channels="bgr")
        for key in from_file.metrics:
            self.assertTrue(all(same(x, y) for x, y in
                                zip(from_file.frames[key], bgr.frames[key])), key)

    def test_luma_of_a_compressed_clip_equals_the_cli(self):
        # H.264 4:2:0 limited range: its Y plane, handed over as gray with
        # range="limited", is exactly what luma metrics see in the CLI.
        path = sample("ladder_sigma1.mp4")
        keys = "laplacian_var,edge_width_px,gradient_energy,detail_scale_px"
        planes = decode_raw(path, "yuv420p", 640, 360)
        luma = [p[: 640 * 360].reshape(360, 640) for p in planes]
        from_memory = acuity.score_frames(luma, fps=25, metrics=keys,
                                          range="limited")
        cli = cli_report(path, "--metrics", keys)
        got = from_memory.to_dict()
        self.assertEqual(len(got["frames"]), len(cli["frames"]))
        for mine, theirs in zip(got["frames"], cli["frames"]):
            self.assertEqual(mine["metrics"], theirs["metrics"])
        for key, stats in cli["summary"].items():
            for stat, value in stats.items():
                if stat.endswith("_time"):  # n / fps vs the stream's pts
                    self.assertAlmostEqual(got["summary"][key][stat], value)
                else:
                    self.assertEqual(got["summary"][key][stat], value, key)


if __name__ == "__main__":
    unittest.main()
