"""Presets: declarative descriptions of the exports of event tools and coworking systems.

``--preset NAME`` (or ``read_activities(path, preset=NAME)``) loads such an
export as it is.  The presets shipped with cop are TOML files beside this
module; ``cop presets`` lists them with the columns each expects, and a user's
own TOML file of the same form works the same way.  See
:mod:`cop.presets.spec` for the keys and :mod:`cop.presets.apply` for what
they do to the rows.

Examples
--------
>>> from cop.presets import load_preset, preset_names
>>> len(preset_names()) >= 9, load_preset("luma-guests").per_event
(True, True)
"""

from __future__ import annotations

from cop.presets.apply import Prepared, apply_preset, date_in_name
from cop.presets.spec import PRESET_COLUMNS, Preset, RowFilter, load_preset, parse_preset, preset_names

__all__ = ["Preset", "RowFilter", "Prepared", "load_preset", "parse_preset", "preset_names", "apply_preset",
           "date_in_name", "PRESET_COLUMNS"]
