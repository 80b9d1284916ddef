# Type stubs of acuity.dask (docs/python.md).
from typing import Any, Iterable, Optional

import pandas

def score_files(
    paths: Iterable[str],
    client: Optional[Any] = ...,
    metrics: str = ...,
    retries: int = ...,
    **options: Any,
) -> pandas.DataFrame: ...
