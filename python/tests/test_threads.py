"""Two Python threads scoring two clips at once (the GIL is released around
the C++ work): both complete, with the results of one thread alone. Speed is
measured in docs/benchmarks.md, never asserted here."""

import threading
import unittest

import numpy as np

import acuity
from util import sample


class Threads(unittest.TestCase):
    def test_two_threads_two_files(self):
        paths = [sample("ladder_sigma0.mp4"), sample("hevc_10bit.mp4")]
        alone = [acuity.score(p, threads=1).to_dict() for p in paths]
        results = [None, None]
        errors = []

        def work(i):
            try:
                results[i] = acuity.score(paths[i], threads=1).to_dict()
            except Exception as e:  # noqa: BLE001  reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(results, alone)

    def test_two_threads_two_scorers(self):
        rng = np.random.default_rng(3)
        clips = [rng.integers(0, 256, (6, 90, 120, 3), dtype=np.uint8)
                 for _ in range(2)]
        alone = [acuity.score_frames(c, fps=25).to_dict() for c in clips]
        results = [None, None]

        def work(i):
            results[i] = acuity.score_frames(clips[i], fps=25).to_dict()

        threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, alone)

    def test_pushes_from_two_threads_into_one_scorer(self):
        # Serialised, not deadlocked (the lock is taken without the GIL).
        s = acuity.Scorer(fps=25, metrics="laplacian_var,edge_width_px")
        rng = np.random.default_rng(4)
        frames = rng.integers(0, 256, (20, 64, 80), dtype=np.uint8)

        def work(part):
            for f in part:
                s.push(f)

        threads = [threading.Thread(target=work, args=(frames[i::2],))
                   for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertFalse(any(t.is_alive() for t in threads))
        self.assertEqual(s.frames_pushed, 20)
        r = s.result()
        # Every frame measured once: the same multiset of values as in order.
        alone = acuity.score_frames(frames, fps=25, metrics="laplacian_var")
        self.assertEqual(sorted(r.frames["laplacian_var"]),
                         sorted(alone.frames["laplacian_var"]))

    def test_score_runs_while_another_thread_holds_python(self):
        # A pure-Python loop in a second thread keeps running (it would not
        # advance at all if score() held the GIL for the whole file).
        ticks = [0]
        done = threading.Event()

        def spin():
            while not done.is_set():
                ticks[0] += 1

        t = threading.Thread(target=spin)
        t.start()
        try:
            before = ticks[0]
            acuity.score(sample("ladder_sigma2.mp4"), threads=1)
            during = ticks[0] - before
        finally:
            done.set()
            t.join()
        self.assertGreater(during, 1000)


if __name__ == "__main__":
    unittest.main()
