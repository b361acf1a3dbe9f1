"""Column specifications of the activity log and its side tables.

These constants are the single source of truth for column names, allowed
values and defaults; loaders, the simulation and the documentation use them.

Examples
--------
>>> from cop.schema import KINDS, REQUIRED_COLUMNS
>>> REQUIRED_COLUMNS
('activity_id', 'member_id', 'timestamp')
>>> "collaboration" in KINDS
True
"""

from __future__ import annotations

__all__ = [
    "KINDS",
    "CHANNELS",
    "MEMBER_ROLES",
    "COORDINATOR_ROLES",
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "SITE_COLUMNS",
    "LOG_COLUMNS",
    "EDGE_LIST_COLUMNS",
    "MEMBER_COLUMNS",
    "ACTIVITY_COLUMNS",
    "SPACE_COLUMNS",
    "DEFAULT_KIND",
    "DEFAULT_KIND_WEIGHTS",
    "TOPIC_SEPARATOR",
]

#: Allowed values of ``kind``, in their categorical order.
KINDS: tuple[str, ...] = ("event", "interaction", "collaboration", "presence", "contribution")
#: Kind given to rows without one.
DEFAULT_KIND = "event"
#: Allowed values of ``channel``.
CHANNELS: tuple[str, ...] = ("public", "private")
#: Allowed values of the members table's ``role``.
MEMBER_ROLES: tuple[str, ...] = ("member", "manager", "staff", "guest")
#: Member roles that make someone a coordinator of the community.
COORDINATOR_ROLES: tuple[str, ...] = ("manager", "staff")

REQUIRED_COLUMNS: tuple[str, ...] = ("activity_id", "member_id", "timestamp")
OPTIONAL_COLUMNS: tuple[str, ...] = ("kind", "role", "topic", "weight", "channel")
LOG_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
#: Optional columns kept only when the input has them (a log of one space has no ``space`` column):
#: ``space`` is where a participation happened, an id of the spaces table (:mod:`cop.network`).
SITE_COLUMNS: tuple[str, ...] = ("space",)
#: Columns that identify a message-style edge list (``kind`` optional).
EDGE_LIST_COLUMNS: tuple[str, ...] = ("source", "target", "timestamp")

MEMBER_COLUMNS: tuple[str, ...] = ("member_id", "organization", "role", "joined", "left")
ACTIVITY_COLUMNS: tuple[str, ...] = ("activity_id", "type", "topic", "external", "organizer")
#: Columns of the optional spaces table of a network (``--spaces``); ``managers`` holds member ids
#: separated by :data:`TOPIC_SEPARATOR`.  A members table may give each member's ``home_space``.
SPACE_COLUMNS: tuple[str, ...] = ("space_id", "name", "city", "seats", "managers", "opened")

#: Separator of several theme tags in one ``topic`` cell.
TOPIC_SEPARATOR = ";"

#: Default tie strength contributed by one shared activity of each kind (before
#: the group-size discount).  A formal collaboration is the strongest evidence of
#: a working tie; sharing the space on the same day is the weakest.
DEFAULT_KIND_WEIGHTS: dict[str, float] = {
    "event": 1.0,
    "interaction": 1.0,
    "collaboration": 3.0,
    "presence": 0.2,
    "contribution": 0.5,
}
