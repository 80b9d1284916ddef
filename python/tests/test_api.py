"""acuity.score_frames / Scorer / Result: shapes, dtypes, nulls, layouts."""

import math
import unittest

import numpy as np

import acuity


def textured(h=72, w=96, seed=1):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (h, w), dtype=np.uint8)


class Api(unittest.TestCase):
    def test_result_shape(self):
        frames = [textured(seed=i) for i in range(5)]
        r = acuity.score_frames(frames, fps=20, metrics="laplacian_var,motion_mean")
        self.assertEqual(r.metrics[0], "laplacian_var")
        self.assertIn("motion_mean", r.metrics)
        self.assertEqual(r.frames["laplacian_var"].shape, (5,))
        np.testing.assert_array_equal(r.frames["pts"], np.arange(5) / 20)
        np.testing.assert_array_equal(r.frames["index"], np.arange(5))
        self.assertTrue(r.frames["key_frame"].all())
        self.assertEqual(r.summary["laplacian_var"]["n"], 5)
        v = r.video
        self.assertEqual((v["width"], v["height"], v["frames_used"]), (96, 72, 5))
        self.assertEqual(v["pix_fmt"], "gray")
        self.assertEqual(v["duration"], 0.25)
        d = r.to_dict()
        self.assertEqual(d["video"]["path"], "<memory>")
        self.assertEqual(v, d["video"])  # one writer: the report's JSON
        self.assertEqual(len(d["frames"]), 5)
        self.assertIn("laplacian_var", repr(r) + str(r.metrics))
        self.assertTrue(r.frames_csv().startswith("index,pts"))

    def test_nan_where_null(self):
        flat = np.full((40, 40), 128, np.uint8)
        r = acuity.score_frames([flat, textured(40, 40)], fps=1,
                                metrics="laplacian_var")
        lv = r.frames["laplacian_var"]
        self.assertTrue(math.isnan(lv[0]))
        self.assertFalse(math.isnan(lv[1]))
        self.assertEqual(r.summary["laplacian_var"]["n_null"], 1)
        self.assertIsNone(r.to_dict()["frames"][0]["metrics"]["laplacian_var"])

    def test_uint16_with_bit_depth(self):
        g8 = [textured(seed=i) for i in range(3)]
        g10 = [g.astype(np.uint16) * 4 for g in g8]
        r8 = acuity.score_frames(g8, fps=10, metrics="laplacian_var")
        r10 = acuity.score_frames(g10, fps=10, metrics="laplacian_var",
                                  bit_depth=10)
        self.assertEqual(r10.video["bit_depth"], 10)
        self.assertEqual(r10.video["pix_fmt"], "gray10le")
        np.testing.assert_allclose(r10.frames["laplacian_var"],
                                   r8.frames["laplacian_var"], rtol=1e-12)

    def test_views_are_read_in_place_or_copied_alike(self):
        rng = np.random.default_rng(5)
        big = rng.integers(0, 256, (100, 140, 3), dtype=np.uint8)
        crop = big[10:90, 20:120]  # row-strided view: read in place
        flipped = np.ascontiguousarray(big[:, ::-1])[:, ::-1]  # negative stride
        keys = "laplacian_var,saturation_mean"
        a = acuity.score_frames([crop], metrics=keys)
        b = acuity.score_frames([np.ascontiguousarray(crop)], metrics=keys)
        self.assertEqual(a.to_dict()["frames"], b.to_dict()["frames"])
        c = acuity.score_frames([flipped], metrics=keys)
        d = acuity.score_frames([big], metrics=keys)
        self.assertEqual(c.to_dict()["frames"], d.to_dict()["frames"])
        # A stack of frames is an iterable of frames.
        stack = rng.integers(0, 256, (3, 40, 50, 3), dtype=np.uint8)
        e = acuity.score_frames(stack, metrics=keys)
        f = acuity.score_frames(list(stack), metrics=keys)
        self.assertEqual(e.to_dict()["frames"], f.to_dict()["frames"])
        self.assertEqual(e.video["frames_used"], 3)

    def test_scorer_incremental_and_pts(self):
        s = acuity.Scorer(fps=30, metrics="laplacian_var", name="gen")
        for i in range(4):
            s.push(textured(seed=i), pts=10.0 + i)
        self.assertEqual(s.frames_pushed, 4)
        r = s.result()
        np.testing.assert_array_equal(r.frames["pts"], [10.0, 11.0, 12.0, 13.0])
        self.assertEqual(r.video["path"], "gen")
        self.assertEqual(r.video["fps"], 30)

    def test_help_teaches(self):
        for f in (acuity.score, acuity.score_frames, acuity.Scorer,
                  acuity.Result):
            self.assertGreater(len(f.__doc__ or ""), 200, f)
        self.assertIn("Example", acuity.score.__doc__)
        self.assertTrue(acuity.__version__)
        self.assertIn("edge_width_px", acuity.metric_keys("default"))


if __name__ == "__main__":
    unittest.main()
