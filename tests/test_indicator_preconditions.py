"""Declared preconditions: an unmet one makes an indicator ``not_available`` with the derived reason.

``full()`` is a small coworking log that meets every precondition kind: a
manager ``mgr`` (organization Hub) and six members of two organizations meet at
weekly meetups (kind ``event``, topics ``python`` and ``data``) and in pairs
(``interaction``; the manager organizes the introductions of newcomers), two of
them collaborate, and three newcomers ``n1``-``n3`` first come in January 2024
(everybody else since 2022); the members table has organizations and joined
dates and there is an activities table.  Each variant removes exactly one thing, so exactly the
precondition about it fails (``as_of`` 2024-07-01 closes June: the window is the last three months, from 2024-04-01).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cop
from cop.health import INDICATORS, REQUIREMENTS, HealthContext, Reading, indicator, spec_of

AS_OF = "2024-07-01"
MEMBERS = ["a1", "a2", "a3", "b1", "b2", "b3"]
NEWCOMERS = ["n1", "n2", "n3"]


def _rows(*, mgr_in_window: bool = True, newcomers_early: bool = True) -> pd.DataFrame:
    """The participations; without ``newcomers_early`` the newcomers first come in mid-May (too late to count)."""
    rows = []
    # history: monthly meetups from September 2022 with everybody but the newcomers
    for m, day in enumerate(pd.date_range("2022-09-01", "2024-03-31", freq="MS") + pd.Timedelta(days=4)):
        rows += [(f"meetup-h{m}", p, day, "event", "python") for p in ["mgr", *MEMBERS]]
    if newcomers_early:
        rows += [("meetup-jan", p, pd.Timestamp("2024-01-20"), "event", "python") for p in NEWCOMERS]
    for w, day in enumerate(pd.date_range("2024-04-05", "2024-06-28", freq="7D")):
        people = ([*MEMBERS[:4], *NEWCOMERS] + (["mgr"] if mgr_in_window else []))
        rows += [(f"meetup-{w}", p, day, "event", "python" if w % 2 else "data") for p in people]
        a, b = MEMBERS[w % 6], MEMBERS[(w + 1) % 6]
        rows += [(f"chat-{w}", a, day + pd.Timedelta(days=1), "interaction", None),
                 (f"chat-{w}", b, day + pd.Timedelta(days=1), "interaction", None)]
        n = NEWCOMERS[w % 3]
        rows += [(f"intro-{w}", n, day + pd.Timedelta(days=2), "interaction", None),
                 (f"intro-{w}", MEMBERS[w % 6], day + pd.Timedelta(days=2), "interaction", None)]
    rows += [("collab-1", "a1", pd.Timestamp("2024-05-15"), "collaboration", None),
             ("collab-1", "b1", pd.Timestamp("2024-05-15"), "collaboration", None)]
    out = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp", "kind", "topic"])
    if not newcomers_early:
        out = out[~(out["member_id"].isin(NEWCOMERS) & (out["timestamp"] < pd.Timestamp("2024-05-10")))]
    return out


def _members(**changes: object) -> pd.DataFrame:
    people = ["mgr", *MEMBERS, *NEWCOMERS]
    m = pd.DataFrame({"member_id": people, "role": ["manager"] + ["member"] * (len(people) - 1),
                      "organization": ["Hub", "Acme", "Acme", "Acme", "Beta", "Beta", "Beta", "Acme", "Beta", "Acme"],
                      "joined": ["2023-01-01"] * 7 + ["2024-01-20"] * 3})
    for col, value in changes.items():
        if value is None:
            m = m.drop(columns=col)
        else:
            m[col] = value
    return m


def _activities(rows: pd.DataFrame) -> pd.DataFrame:
    ids = rows["activity_id"].unique()
    kind = [i.split("-")[0] for i in ids]
    return pd.DataFrame({"activity_id": ids, "type": ["introduction" if k == "intro" else k for k in kind],
                         "organizer": ["mgr" if k == "intro" else None for k in kind]})


def _log(rows: pd.DataFrame, members: pd.DataFrame | None = None, activities: bool = True) -> cop.ActivityLog:
    members = _members() if members is None else members
    return cop.ActivityLog.from_frame(rows, members, _activities(rows) if activities else None)


#: Preconditions that fail with another one by construction (no coordinator at all: none took part either; ...)
IMPLIED = {
    "coordinator": {"active_coordinator"},
    "members": {"newcomers"},  # everybody is staff: nobody is a newcomer member either
    "participants": {"active_coordinator", "ties", "newcomers"},  # a window after the data
    "side_table": {"organizations", "joined", "coordinator", "active_coordinator"},
}


def full() -> cop.ActivityLog:
    return _log(_rows())


def _solo(rows: pd.DataFrame) -> pd.DataFrame:
    """Every participation in the window on its own (no two people share an activity there)."""
    out = rows.copy()
    inside = out["timestamp"] >= pd.Timestamp("2024-04-02")
    out.loc[inside, "activity_id"] = out.loc[inside, "activity_id"] + "-" + out.loc[inside, "member_id"]
    return out


#: kind -> (log lacking it, as_of)
VARIANTS = {
    "events": lambda: (_log(_rows().replace({"kind": {"event": "interaction"}})), AS_OF),
    "topics": lambda: (_log(_rows().drop(columns="topic")), AS_OF),
    "collaborations": lambda: (_log(_rows().replace({"kind": {"collaboration": "interaction"}})), AS_OF),
    "organizations": lambda: (_log(_rows(), _members(organization=None)), AS_OF),
    "joined": lambda: (_log(_rows(), _members(joined=None)), AS_OF),
    "coordinator": lambda: (_log(_rows(), _members(role="member")), AS_OF),
    "active_coordinator": lambda: (_log(_rows(mgr_in_window=False)), AS_OF),
    "members": lambda: (_log(_rows(), _members(role="staff")), AS_OF),
    "participants": lambda: (full(), "2025-06-01"),
    "ties": lambda: (_log(_solo(_rows())), AS_OF),
    "side_table": lambda: (cop.ActivityLog.from_frame(_rows()), AS_OF),
    "newcomers": lambda: (_log(_rows(newcomers_early=False)), AS_OF),
}


@pytest.fixture(scope="module")
def full_ctx() -> HealthContext:
    return HealthContext.from_log(full(), as_of=AS_OF)


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def variant(request) -> tuple[str, HealthContext]:
    log, as_of = VARIANTS[request.param]()
    return request.param, HealthContext.from_log(log, as_of=as_of)


def test_every_kind_has_a_variant():
    assert set(VARIANTS) == set(REQUIREMENTS)


def test_the_full_log_meets_every_precondition(full_ctx):
    assert {k: r.met(full_ctx) for k, r in REQUIREMENTS.items()} == {k: True for k in REQUIREMENTS}


def _probe(kind: str):
    calls = []

    @indicator(principle="rhythm", unit="share", healthy=(0.5, 1.0), watch=(0.2, 0.5), reference="{healthy} healthy",
               source="test", interventions=("theme",), requires=(kind,), name=f"needs_{kind}")
    def probe(ctx: HealthContext) -> Reading:
        """A probe that needs one precondition."""
        calls.append(ctx)
        return Reading(0.7, {"healthy": "ok", "watch": "meh", "critical": "bad"})

    return probe, calls


def test_unmet_precondition_is_not_available_with_its_reason(variant, full_ctx):
    kind, ctx = variant
    # this precondition (and only those it implies) fails on the variant
    assert {k for k, r in REQUIREMENTS.items() if not r.met(ctx)} == {kind} | IMPLIED.get(kind, set())
    probe, calls = _probe(kind)
    r = probe(ctx)
    assert (r.status, r.reason, r.explanation) == ("not_available", REQUIREMENTS[kind].reason,
                                                    f"Not available: {REQUIREMENTS[kind].reason}.")
    assert np.isnan(r.value) and r.name == f"needs_{kind}" and r.interventions == ["theme"]
    assert calls == []  # the function body never ran
    ok = probe(full_ctx)
    assert (ok.status, ok.value, ok.reason, len(calls)) == ("healthy", 0.7, None, 1)


def test_registered_indicators_give_the_derived_reason(variant, full_ctx):
    kind, ctx = variant
    needing = [f for f in INDICATORS if kind in spec_of(f).requires]
    for f in needing:
        first_unmet = next(k for k in spec_of(f).requires if not REQUIREMENTS[k].met(ctx))
        r = f(ctx)
        assert r.status == "not_available" and r.reason == REQUIREMENTS[first_unmet].reason, (kind, r.name)
    if kind != "joined":  # declared for indicators of tenure; none uses it yet
        assert needing, f"no indicator declares {kind!r}"
    # on the full log the same indicators are computed
    assert all(f(full_ctx).status != "not_available" for f in needing), [f(full_ctx) for f in needing]


def test_preconditions_are_checked_in_declared_order():
    log, as_of = VARIANTS["collaborations"]()
    ctx = HealthContext.from_log(log, as_of="2025-06-01")  # no collaborations and nobody in the window
    from cop.health import events_per_active_member

    # events are there, participants are not: the second precondition gives the reason
    assert events_per_active_member(ctx).reason == REQUIREMENTS["participants"].reason
