"""Run the model with single-threaded BLAS.

The model multiplies many small matrices (members present x members); a
multi-threaded BLAS makes that several times *slower* (thread start-up and
contention, worst when replicates run in parallel processes).  This context
manager limits BLAS to one thread with :mod:`threadpoolctl` and restores the
previous setting afterwards.

Examples
--------
>>> from simulation._blas import single_threaded_blas
>>> with single_threaded_blas():
...     pass
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from threadpoolctl import threadpool_limits

__all__ = ["single_threaded_blas"]


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Limit BLAS to one thread inside the block."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield
