"""Score many files on a dask.distributed cluster.

``score_files(paths)`` maps one task per file over the cluster's workers and
returns the table ``acuity score -o DIR`` writes as DIR/summary.csv, as a
pandas DataFrame: one row per file in input order, the same columns, the
same numbers. A file that cannot be scored is a row with status "error" and
the CLI's message; a task whose worker died runs again on another worker
and, should it fail for good, becomes an error row too. The batch never raises
because of one file.

Workers need ``acuity`` importable (same PYTHONPATH or install) and the
files at the same paths (a shared filesystem or object store mount).
"""

from __future__ import annotations

import csv
import io

from . import _FILE_OPTIONS, _acuity, _check

__all__ = ["score_files"]


def _score_file_row(path: str, metrics: str, options: dict) -> str:
    """The task: summary.csv (header + rows) for one input, on a worker."""
    from acuity import _acuity as worker_acuity  # imported on the worker

    return worker_acuity.summary_csv([path], metrics, options)


def score_files(
    paths,
    client=None,
    metrics: str = "default",
    retries: int = 2,
    **options,
):
    """Score files on a dask.distributed cluster; summary.csv as a DataFrame.

    Args:
      paths: file paths (or anything ``acuity score`` takes: image sequence
        patterns, folders, which expand as the CLI expands them), readable
        at the same path on every worker.
      client: a ``dask.distributed.Client``; None: the current one
        (``distributed.get_client()``).
      metrics: as in ``acuity.score``.
      retries: how many times a task that raised is run again (a lost
        connection, a mount that hiccupped). A task whose worker died is
        rescheduled by the scheduler on its own, up to
        ``distributed.scheduler.allowed-failures`` times (3 by default).
        Scoring is deterministic: a rerun file gives the same numbers.
      **options: ``acuity.score``'s options (fps, every, threads, ...). Each
        worker thread scores one file at a time; ``threads=1`` with
        ``nthreads`` = cores per worker is the CLI's many-files setting.

    Returns:
      A pandas DataFrame with summary.csv's columns (path, status, error,
      verdict, ..., KEY_median per output), one row per input in order.

    Raises:
      acuity.InvalidArgumentError for a bad option or metric (before any
      task is sent); ValueError from dask when there is no client.

    Example:
      >>> from dask.distributed import Client
      >>> client = Client("scheduler:8786")
      >>> df = acuity.dask.score_files(paths, client, fps=2)
      >>> df[df.status == "error"][["path", "error"]]
    """
    import pandas as pd

    _check("score_files", options, _FILE_OPTIONS)
    paths = [str(p) for p in paths]
    # Scoring no input checks the options and metrics here, at once, and
    # gives the header.
    header = _acuity.summary_csv([], metrics, options)
    columns = next(csv.reader(io.StringIO(header)))
    if client is None:
        from distributed import get_client

        client = get_client()
    futures = client.map(
        _score_file_row,
        paths,
        metrics=metrics,
        options=options,
        retries=retries,
        pure=False,
    )
    out = io.StringIO()
    out.write(header)
    writer = csv.writer(out, lineterminator="\n")
    for path, future in zip(paths, futures):
        try:
            text = future.result()
        except Exception as e:  # noqa: BLE001  one file never stops a batch
            row = [path, "error", f"{path}: task failed: {type(e).__name__}: {e}"]
            writer.writerow(row + [""] * (len(columns) - len(row)))
            continue
        out.write(text.split("\n", 1)[1])  # its rows, without the header
    out.seek(0)
    return pd.read_csv(out)
