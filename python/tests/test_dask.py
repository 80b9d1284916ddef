"""acuity.dask.score_files on a LocalCluster of 2 worker processes: the
DataFrame equals the CLI's summary.csv, failed files are rows, and a worker
killed mid-run costs a retry, not a result."""

import logging
import os
import signal
import tempfile
import threading
import time
import unittest

import pandas as pd

import acuity.dask
from util import run_cli, sample

SAMPLES = ["ladder_sigma0.mp4", "ladder_sigma1.mp4", "ladder_sigma2.mp4",
           "ladder_sigma4.mp4", "hevc_10bit.mp4", "still.png"]


def cli_summary(paths, *args):
    with tempfile.TemporaryDirectory() as out:
        rc, _, err = run_cli("score", "-q", "-o", out, *args, *paths)
        assert rc in (0, 1), err
        return pd.read_csv(os.path.join(out, "summary.csv"))


class DaskScoring(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from distributed import Client, LocalCluster

        cls.cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.CRITICAL)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()

    def test_equals_cli_summary_with_failed_files_as_rows(self):
        paths = [sample(n) for n in SAMPLES[:3]] + ["no/such/clip.mp4",
                                                    sample("still.png")]
        df = acuity.dask.score_files(paths, self.client, fps=5)
        pd.testing.assert_frame_equal(df, cli_summary(paths, "--fps", "5"))
        self.assertEqual(list(df["path"]), paths)
        self.assertEqual(list(df["status"]), ["ok"] * 3 + ["error", "ok"])
        self.assertIn("no/such/clip.mp4", df["error"][3])
        self.assertIn("laplacian_var_median", df.columns)

    def test_worker_killed_mid_run(self):
        paths = [sample(n) for n in SAMPLES] * 2
        pids = self.client.run(os.getpid)  # worker address -> process id
        out = {}

        def run():
            out["df"] = acuity.dask.score_files(paths, self.client, retries=3,
                                                fps=10)

        t = threading.Thread(target=run)
        t.start()
        victim = None
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline:
            for worker, keys in self.client.processing().items():
                if any("score_file_row" in str(k) for k in keys):
                    victim = worker
                    break
            else:
                time.sleep(0.005)
        self.assertIsNotNone(victim, "no task ever reached a worker")
        os.kill(pids[victim], signal.SIGKILL)  # with a task on it
        t.join(240)
        self.assertFalse(t.is_alive())
        gone = False
        for _ in range(100):  # the scheduler notices the death
            if victim not in self.client.scheduler_info()["workers"]:
                gone = True
                break
            time.sleep(0.05)
        self.assertTrue(gone, "the killed worker is still listed")
        df = out["df"]
        self.assertEqual(list(df["status"]), ["ok"] * len(paths))
        pd.testing.assert_frame_equal(df, cli_summary(paths, "--fps", "10"))


if __name__ == "__main__":
    unittest.main()
