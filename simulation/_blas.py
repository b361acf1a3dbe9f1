"""Run the model with single-threaded BLAS.

The model multiplies many small matrices (members present × members); a
multi-threaded BLAS makes that several times *slower* (thread start-up and
contention, worst when replicates run in parallel processes).  This context
manager limits OpenBLAS to one thread and restores the previous setting after,
using :mod:`threadpoolctl` when installed and OpenBLAS's own
``*_set_num_threads`` entry point otherwise; where neither is found it does
nothing.

Examples
--------
>>> from simulation._blas import single_threaded_blas
>>> with single_threaded_blas():
...     pass
"""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Iterator

__all__ = ["single_threaded_blas"]

_PREFIXES = ("scipy_openblas", "openblas")
_SUFFIXES = ("64_", "")
_handles: list | None = None


def _openblas() -> list:
    global _handles
    if _handles is not None:
        return _handles
    _handles = []
    try:
        import numpy  # noqa: F401  (loads BLAS)

        with open("/proc/self/maps") as fh:
            libs = sorted({ln.split()[-1] for ln in fh if "openblas" in ln.lower() and ln.split()[-1].startswith("/")})
    except OSError:
        return _handles
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for pre in _PREFIXES:
            for suf in _SUFFIXES:
                get = getattr(lib, f"{pre}_get_num_threads{suf}", None)
                put = getattr(lib, f"{pre}_set_num_threads{suf}", None)
                if get is not None and put is not None:
                    get.restype = ctypes.c_int
                    _handles.append((get, put))
                    break
            else:
                continue
            break
    return _handles


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Limit BLAS to one thread inside the block."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    if threadpool_limits is not None:
        with threadpool_limits(limits=1, user_api="blas"):
            yield
        return
    handles = _openblas()
    before = [get() for get, _ in handles]
    for _, put in handles:
        put(1)
    try:
        yield
    finally:
        for (_, put), n in zip(handles, before):
            put(n)
