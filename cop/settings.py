"""A manager's own thresholds: a small TOML file that replaces indicators' reference ranges.

The reference ranges of the health indicators (``docs/indicators.md``) are set
for a coworking space.  A community unlike one — an online network where 1 %
of the people write most of the posts, a school where everyone attends every
day, an open-source project where a few maintainers review everything — can
give its own ranges in a settings file (``cop diagnose --settings cop.toml``,
``cop.diagnose(log, settings="cop.toml")``)::

    title = "Our online network"            # optional: shown in the report
    description = "Forum and chat of ..."   # optional

    [indicators.core_share]
    healthy = [0.01, 0.10]                  # [low, high]: both ends included
    watch = [0.005, 0.20]                   # inf for no upper end: [0.1, inf]
    why = "Participation inequality: about 1 % write most posts (Nielsen's 90-9-1)."

Each ``[indicators.NAME]`` table names an indicator (its technical name) and
gives ``healthy`` and/or ``watch`` (a missing one keeps its declared band) and
an optional ``why``.  Values are in the unit the indicator is graded in
(shares as fractions: 10 % is ``0.1``; the ``unit`` column of
:func:`cop.health.indicator_catalogue`).  Anything else — an unknown indicator
or key, a range that is not two increasing numbers, healthy and watch bands
that neither overlap nor touch — stops with one :class:`~cop.exceptions.ConfigError`
naming the file, the key and what was expected (and the close names of a
misspelt one).  A status is ``healthy`` inside the healthy band, else
``watch`` inside the watch band, else ``critical``.

Three example files ship with cop, usable by name (``--settings school``):
:func:`bundled_settings`.  The diagnosis records the settings it used
(:attr:`cop.Diagnosis.settings`, the ``settings`` key of its JSON) and the
report says on its first screen which ranges are its own.

Examples
--------
>>> s = read_settings({"indicators": {"core_share": {"healthy": [0.01, 0.1], "watch": [0.005, 0.2]}}})
>>> s.names, s.thresholds[0].healthy
(('core_share',), Band(lo=0.01, hi=0.1, closed='both'))
>>> read_settings({"indicators": {"core_shar": {"healthy": [0.01, 0.1]}}})
Traceback (most recent call last):
...
cop.exceptions.ConfigError: <dict>: [indicators.core_shar]: unknown indicator; did you mean core_share, active_share or cross_org_tie_share?
>>> sorted(bundled_settings())
['online-network', 'open-source', 'school']
"""

from __future__ import annotations

import difflib
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cop.exceptions import ConfigError
from cop.health.bands import Band

__all__ = ["Threshold", "Settings", "read_settings", "bundled_settings", "SETTINGS_KEYS", "INDICATOR_KEYS"]

#: Keys allowed at the top of a settings file.
SETTINGS_KEYS: tuple[str, ...] = ("title", "description", "indicators")
#: Keys allowed in an ``[indicators.NAME]`` table.
INDICATOR_KEYS: tuple[str, ...] = ("healthy", "watch", "why")

_RANGE = ("two numbers [low, high] with low <= high, such as [0.1, 0.5] (shares as fractions: 10 % is 0.1; "
          "inf for no upper end, -inf for no lower end)")


def _end(x: float) -> float | None:
    return None if math.isinf(x) else float(x)


def _band_dict(b: Band) -> list[float | None]:
    """A band as JSON: ``[lo, hi]`` with ``null`` for an infinite end."""
    return [_end(b.lo), _end(b.hi)]


@dataclass(frozen=True)
class Threshold:
    """One indicator's own reference ranges, and the declared ones they replace.

    Attributes
    ----------
    name : str
        The indicator's technical name.
    healthy, watch : Band
        The bands used.
    default_healthy, default_watch : Band
        The declared bands (``docs/indicators.md``).
    why : str
        The settings file's reason, if given.
    """

    name: str
    healthy: Band
    watch: Band
    default_healthy: Band
    default_watch: Band
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the bands as ``[lo, hi]`` (``null`` for an infinite end)."""
        return {"healthy": _band_dict(self.healthy), "watch": _band_dict(self.watch),
                "default_healthy": _band_dict(self.default_healthy), "default_watch": _band_dict(self.default_watch),
                "why": self.why}


@dataclass(frozen=True)
class Settings:
    """A checked settings file (build it with :func:`read_settings`).

    Attributes
    ----------
    thresholds : tuple of Threshold
        The indicators whose ranges are replaced, in the reporting order of the indicators.
    title, description : str
        What the file says it is for.
    source : str
        The file's name (never its folder), or ``<dict>``.

    Examples
    --------
    >>> s = read_settings("school")  # a bundled file (bundled_settings() lists them) or a path
    >>> s.title, [t.name for t in s.thresholds][:2]
    ('School', ['core_share', 'recurring_format_share'])
    """

    thresholds: tuple[Threshold, ...] = ()
    title: str = ""
    description: str = ""
    source: str = "<dict>"
    _by_name: Mapping[str, Threshold] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {t.name: t for t in self.thresholds})

    @property
    def names(self) -> tuple[str, ...]:
        """The indicators with their own ranges."""
        return tuple(t.name for t in self.thresholds)

    def get(self, name: str) -> Threshold | None:
        """The threshold of indicator ``name``, or ``None`` when it keeps its declared ranges."""
        return self._by_name.get(name)

    def sentence(self) -> str:
        """One line saying which indicators are graded on these ranges (the report and ``cop diagnose`` print it).

        Examples
        --------
        >>> read_settings("school").sentence()[:62]
        'Your own reference ranges from School (school.toml) for 4 indi'
        """
        n = len(self.thresholds)
        return (f"Your own reference ranges from {self.label} for {n} indicator{'' if n == 1 else 's'}: "
                f"{', '.join(self.names) or 'none'}.")

    @property
    def label(self) -> str:
        """How the report names these settings: the title and the file."""
        if self.title and not self.source.startswith("<"):
            return f"{self.title} ({self.source})"
        return self.title or self.source

    def spec_for(self, spec: Any) -> Any:
        """The declaration ``spec`` graded on these ranges, or ``None`` when it keeps its own."""
        t = self.get(spec.name)
        if t is None:
            return None
        note = f"custom range from {self.label}" + (f": {t.why}" if t.why else "")
        return spec.with_bands(t.healthy, t.watch, note=note)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``source``, ``title``, ``description`` and ``indicators`` (name -> :meth:`Threshold.to_dict`)."""
        return {"source": self.source, "title": self.title, "description": self.description,
                "indicators": {t.name: t.to_dict() for t in self.thresholds}}


def bundled_settings() -> dict[str, Path]:
    """The example settings files shipped with cop: name -> path (``online-network``, ``open-source``, ``school``).

    Examples
    --------
    >>> bundled_settings()["school"].name
    'school.toml'
    """
    folder = resources.files("cop") / "data" / "settings"
    return {p.name[:-len(".toml")]: Path(str(p)) for p in sorted(folder.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".toml")}


def _close(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + (close[0] if len(close) == 1 else ", ".join(close[:-1]) + " or " + close[-1]) + "?"


def _range(value: Any, where: str) -> Band:
    ok = (isinstance(value, list) and len(value) == 2
          and all(isinstance(x, (int, float)) and not isinstance(x, bool) and not math.isnan(x) for x in value))
    if not ok or not value[0] <= value[1]:
        raise ConfigError(f"{where}: got {_show(value)}; expected {_RANGE}")
    return Band(float(value[0]), float(value[1]))


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_show(x) for x in value) + "]"
    return repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


def _fmt(b: Band) -> str:
    return f"[{b.lo:g}, {b.hi:g}]"


def _threshold(name: str, table: Any, where: str, spec: Any) -> Threshold:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table with {', '.join(INDICATOR_KEYS)} "
                          f"(e.g. [indicators.{name}] then healthy = [0.1, 0.5]), got {_show(table)}")
    for key in table:
        if key not in INDICATOR_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r}{_close(key, list(INDICATOR_KEYS))} "
                              f"(expected {', '.join(INDICATOR_KEYS)})")
    if "healthy" not in table and "watch" not in table:
        raise ConfigError(f"{where}: expected healthy = [low, high] and/or watch = [low, high]")
    healthy = _range(table["healthy"], f"{where[:-1]}.healthy]") if "healthy" in table else spec.healthy
    watch = _range(table["watch"], f"{where[:-1]}.watch]") if "watch" in table else spec.watch
    if max(healthy.lo, watch.lo) > min(healthy.hi, watch.hi):
        given = " and ".join(k for k in ("healthy", "watch") if k in table)
        raise ConfigError(f"{where}: healthy {_fmt(healthy)} and watch {_fmt(watch)} neither overlap nor touch "
                          f"({given} given; the declared bands are healthy {_fmt(spec.healthy)}, watch {_fmt(spec.watch)}); "
                          "expected a watch band next to or around the healthy one")
    why = table.get("why", "")
    if not isinstance(why, str):
        raise ConfigError(f"{where[:-1]}.why]: expected a text, got {_show(why)}")
    return Threshold(name, healthy, watch, spec.healthy, spec.watch, " ".join(why.split()))


def _from_dict(data: Mapping[str, Any], source: str) -> Settings:
    from cop.health import indicator_specs

    for key in data:
        if key not in SETTINGS_KEYS:
            raise ConfigError(f"{source}: unknown key {key!r}{_close(key, list(SETTINGS_KEYS))} "
                              f"(expected {', '.join(SETTINGS_KEYS)}: indicators go in [indicators.NAME] tables)")
    for key in ("title", "description"):
        if not isinstance(data.get(key, ""), str):
            raise ConfigError(f"{source}: {key}: expected a text, got {_show(data[key])}")
    indicators = data.get("indicators", {})
    if not isinstance(indicators, dict):
        raise ConfigError(f"{source}: [indicators]: expected tables [indicators.NAME], got {_show(indicators)}")
    specs = {s.name: s for s in indicator_specs()}
    for name in indicators:
        if name not in specs:
            hint = _close(name, list(specs)) or f" (known: {', '.join(specs)}; see docs/indicators.md)"
            raise ConfigError(f"{source}: [indicators.{name}]: unknown indicator{hint}")
    thresholds = tuple(_threshold(n, indicators[n], f"{source}: [indicators.{n}]", specs[n]) for n in specs if n in indicators)
    return Settings(thresholds, title=" ".join(data.get("title", "").split()),
                    description=" ".join(data.get("description", "").split()), source=source)


def read_settings(source: Settings | Mapping[str, Any] | str | os.PathLike[str]) -> Settings:
    """Read and check a settings file (see the module documentation for its layout).

    Parameters
    ----------
    source : path, name, mapping or Settings
        A TOML file, the name of a bundled example (:func:`bundled_settings`), the
        parsed content as a mapping, or settings already read (returned as they are).

    Returns
    -------
    Settings

    Raises
    ------
    cop.exceptions.ConfigError
        The file is missing, is not TOML, or holds an unknown indicator or key or a
        malformed range; the message names the file and the key and says what was expected.

    Examples
    --------
    >>> s = read_settings("open-source")
    >>> s.source, "contributor_absence_factor" in s.names
    ('open-source.toml', True)
    """
    if isinstance(source, Settings):
        return source
    if isinstance(source, Mapping):
        return _from_dict(source, "<dict>")
    if not isinstance(source, (str, os.PathLike)):
        raise ConfigError(f"parameter 'settings': expected a TOML file, a bundled name or a mapping, got {type(source).__name__}")
    path = Path(source)
    bundled = bundled_settings()
    if not path.exists() and str(source) in bundled:
        path = bundled[str(source)]
    name = path.name
    if not path.is_file():
        raise ConfigError(f"settings file {str(source)!r}: no such file (bundled examples: {', '.join(bundled)})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start}); expected a TOML settings file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML: {exc}") from None
    return _from_dict(data, name)
