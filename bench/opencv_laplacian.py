#!/usr/bin/env python3
"""Baseline for scripts/bench: the usual hand-written OpenCV sharpness loop.

Reads a video with cv2.VideoCapture (or, for a folder, each image with cv2.imread, in
name order), converts each frame to grey and takes the variance of its Laplacian
(cv2.Laplacian(gray, cv2.CV_64F).var()), the recipe most blur-detection snippets use. Prints the frame count and the mean, so the bench can check it saw every
frame. It measures what people run today, so keep it the plain recipe, not a tuned one.
"""

import argparse
import os
import sys

import cv2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="video file, or a folder of images")
    parser.add_argument("--threads", type=int, default=0,
                        help="OpenCV worker threads (0: OpenCV's default)")
    args = parser.parse_args()

    params = []
    if args.threads > 0:
        cv2.setNumThreads(args.threads)
        # Only OpenCV >= 4.7 lets the caller size the FFmpeg decoder's thread pool;
        # older builds pick one thread per CPU themselves.
        if hasattr(cv2, "CAP_PROP_N_THREADS"):
            params = [cv2.CAP_PROP_N_THREADS, args.threads]

    if os.path.isdir(args.path):
        frames = 0
        total = 0.0
        for name in sorted(os.listdir(args.path)):
            frame = cv2.imread(os.path.join(args.path, name))
            if frame is None:
                continue
            gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
            total += cv2.Laplacian(gray, cv2.CV_64F).var()
            frames += 1
        if frames == 0:
            print(f"opencv_laplacian: no images in {args.path}", file=sys.stderr)
            return 1
        print(f"frames={frames} mean_laplacian_var={total / frames:.4f}")
        return 0

    capture = cv2.VideoCapture(args.path, cv2.CAP_FFMPEG, params)
    if not capture.isOpened():
        print(f"opencv_laplacian: cannot open {args.path}", file=sys.stderr)
        return 1

    frames = 0
    total = 0.0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        total += cv2.Laplacian(gray, cv2.CV_64F).var()
        frames += 1
    capture.release()

    if frames == 0:
        print(f"opencv_laplacian: no frames decoded from {args.path}", file=sys.stderr)
        return 1
    print(f"frames={frames} mean_laplacian_var={total / frames:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
