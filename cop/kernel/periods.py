"""Calendar periods: parse a frequency and find the period that contains a date.

Examples
--------
>>> import pandas as pd
>>> from cop.kernel.periods import parse_freq, period_floor
>>> period_floor(pd.Timestamp("2024-03-17T10:00Z"), parse_freq("MS"))
Timestamp('2024-03-01 00:00:00+0000', tz='UTC')
"""

from __future__ import annotations

import pandas as pd

from cop.exceptions import ConfigError

__all__ = ["parse_freq", "period_floor"]


def parse_freq(freq: str) -> pd.DateOffset:
    """A pandas offset for ``freq`` (``MS``, ``QS``, ``W-MON``...), or :class:`ConfigError` naming the parameter.

    Examples
    --------
    >>> parse_freq("QS").rule_code
    'QS-JAN'
    """
    try:
        return pd.tseries.frequencies.to_offset(freq)
    except (ValueError, TypeError):
        raise ConfigError(f"parameter 'freq': {freq!r} is not a pandas frequency such as 'MS', 'QS' or 'W-MON'") from None


def period_floor(when: pd.Timestamp, offset: pd.DateOffset) -> pd.Timestamp:
    """Start of the period of ``offset`` that contains the day of ``when``."""
    day = when.normalize()
    return day if offset.is_on_offset(day) else offset.rollback(day)
