#!/usr/bin/python3
"""Speed of the Python module (docs/benchmarks.md#python).

  PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py CLIP [--repeat R]

Times, best of R runs, interleaved so that a slow spell hits every row alike:
  1. `acuity score -q CLIP` (the CLI) against acuity.score(CLIP) (same options);
  2. acuity.score_frames on in-memory RGB frames (the first N decoded frames of CLIP,
     default 120) against the usual per-frame recipe on the same arrays,
     cv2.Laplacian(cv2.cvtColor(f, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var();
     the same on gray frames (no colour conversion on either side), and two halves of
     the gray frames scored one after the other against two Python threads at once;
  3. two clips (CLIP and a copy) scored by acuity.score one after the other on one
     thread, against two Python threads at once (threads=1 each).
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def decode_rgb(path, n):
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
         "stream=width,height", "-of", "csv=p=0", path],
        capture_output=True, text=True, check=True).stdout.split(",")
    w, h = int(probe[0]), int(probe[1])
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-frames:v", str(n),
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True).stdout
    return list(np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("clip")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--cli", default="build/acuity")
    args = ap.parse_args()

    import cv2

    import acuity

    rows = []
    # 1. CLI vs acuity.score, interleaved.
    # CPU seconds too (user + system, all threads): on a shared machine they
    # move much less than wall time when neighbours load the cores.
    cli_t, py_t, cli_cpu, py_cpu = [], [], [], []

    def cpu(who):
        u = resource.getrusage(who)
        return u.ru_utime + u.ru_stime

    for _ in range(args.repeat):
        t, c = time.perf_counter(), cpu(resource.RUSAGE_CHILDREN)
        subprocess.run([args.cli, "score", "-q", args.clip], check=True,
                       stdout=subprocess.DEVNULL)
        cli_t.append(time.perf_counter() - t)
        cli_cpu.append(cpu(resource.RUSAGE_CHILDREN) - c)
        t, c = time.perf_counter(), cpu(resource.RUSAGE_SELF)
        r = acuity.score(args.clip)
        py_t.append(time.perf_counter() - t)
        py_cpu.append(cpu(resource.RUSAGE_SELF) - c)
    n = r.video["frames_used"]
    print(f"CPU seconds, best of {args.repeat}: CLI {min(cli_cpu):.2f}, "
          f"acuity.score {min(py_cpu):.2f} (ratio {min(py_cpu) / min(cli_cpu):.3f}); "
          f"wall: CLI {sorted(cli_t)}, acuity.score {sorted(py_t)}")
    rows.append(("acuity score CLIP (CLI)", n, min(cli_t)))
    rows.append(("acuity.score(CLIP)", n, min(py_t)))

    # 2. In-memory frames: score_frames (default set) vs the cv2 recipe.
    frames = decode_rgb(args.clip, args.frames)

    def recipe():
        return [cv2.Laplacian(cv2.cvtColor(f, cv2.COLOR_RGB2GRAY),
                              cv2.CV_64F).var() for f in frames]

    fr_t, cv_t = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        acuity.score_frames(frames, fps=30)
        fr_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        recipe()
        cv_t.append(time.perf_counter() - t)
    rows.append(("acuity.score_frames(RGB frames), default set", len(frames), min(fr_t)))
    rows.append(("cv2 cvtColor + Laplacian(CV_64F).var() loop", len(frames), min(cv_t)))

    # 2b. The same on gray (luma) frames: no colour conversion on either side.
    grays = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in frames]
    g_def, g_lv, g_cv = [], [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        acuity.score_frames(grays, fps=30)
        g_def.append(time.perf_counter() - t)
        t = time.perf_counter()
        lv = acuity.score_frames(grays, fps=30, metrics="laplacian_var")
        g_lv.append(time.perf_counter() - t)
        t = time.perf_counter()
        ref = [cv2.Laplacian(g, cv2.CV_64F).var() for g in grays]
        g_cv.append(time.perf_counter() - t)
    rel = np.max(np.abs(lv.frames["laplacian_var"] - ref) / np.array(ref))
    rows.append(("acuity.score_frames(gray frames), default set", len(frames), min(g_def)))
    rows.append(("acuity.score_frames(gray frames), laplacian_var", len(frames), min(g_lv)))
    rows.append(("cv2 Laplacian(CV_64F).var() loop on gray", len(frames), min(g_cv)))

    # 2c. Two in-memory clips: one after the other vs two Python threads
    # (score_frames measures on the calling thread: the GIL must be free).
    halves = [grays[: len(grays) // 2], grays[len(grays) // 2:]]

    def mem_serial():
        for h in halves:
            acuity.score_frames(h, fps=30)

    def mem_parallel():
        ts = [threading.Thread(target=acuity.score_frames, args=(h,),
                               kwargs={"fps": 30}) for h in halves]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    m_s, m_p = [], []
    for _ in range(args.repeat):
        m_s.append(best(mem_serial, 1))
        m_p.append(best(mem_parallel, 1))
    rows.append(("2 gray clips in memory, 1 thread", len(grays), min(m_s)))
    rows.append(("2 gray clips in memory, 2 Python threads", len(grays), min(m_p)))

    # 3. Two clips: one thread after the other vs two Python threads.
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "copy" + os.path.splitext(args.clip)[1])
        shutil.copy(args.clip, copy)
        clips = [args.clip, copy]

        def serial():
            for c in clips:
                acuity.score(c, threads=1)

        def parallel():
            ts = [threading.Thread(target=acuity.score, args=(c,),
                                   kwargs={"threads": 1}) for c in clips]
            for t in ts:
                t.start()
            for t in ts:
                t.join()

        s_t, p_t = [], []
        for _ in range(args.repeat):
            s_t.append(best(serial, 1))
            p_t.append(best(parallel, 1))
        rows.append(("2 clips, 1 thread (threads=1)", 2 * n, min(s_t)))
        rows.append(("2 clips, 2 Python threads (threads=1 each)", 2 * n, min(p_t)))

    print(f"cores: {os.cpu_count()}, clip: {args.clip}, repeat: {args.repeat}")
    print("| run | frames | seconds | frames/s |")
    print("|---|---|---|---|")
    for name, frames_n, secs in rows:
        print(f"| {name} | {frames_n} | {secs:.2f} | {frames_n / secs:.1f} |")
    by = {name: secs for name, _, secs in rows}
    print(f"\nacuity.score / CLI time: {rows[1][2] / rows[0][2]:.3f}")
    print(f"score_frames RGB default set vs cv2 recipe (frames/s): {rows[3][2] / rows[2][2]:.2f}x")
    print(f"score_frames gray default set vs cv2 recipe on gray: {rows[6][2] / rows[4][2]:.2f}x")
    print(f"score_frames gray laplacian_var vs cv2 recipe on gray: {rows[6][2] / rows[5][2]:.2f}x"
          f" (largest relative difference of the values: {rel:.2e})")
    print(f"2 threads speed-up, in memory: {rows[7][2] / rows[8][2]:.2f}x")
    print(f"2 threads speed-up, files: {by['2 clips, 1 thread (threads=1)'] / by['2 clips, 2 Python threads (threads=1 each)']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
