"""Organization integration: ties across organizations, the E-I index, silos.

References: Krackhardt & Stern (1988) E-I index ``(E - I) / (E + I)`` (-1: all
ties inside the organization, +1: all outside); coworking interviews — large
companies often stay at the periphery, together.  Ties are those of the window's
tie graph (presence excluded, weight >= ``min_tie``).

* ``cross_org_tie_share``: share of ties between members of different
  organizations.
* ``ei_index``: member-weighted mean E-I over organizations with at least
  :data:`EI_MIN_MEMBERS` current members and one tie.
* ``siloed_member_share``: share of members who belong to a *siloed*
  organization (:func:`is_siloed`: at least :data:`SILO_MIN_MEMBERS` current
  members, at least :data:`SILO_PERIPHERAL_SHARE` of them peripheral or
  inactive, and few outside ties — E-I <= 0, or fewer outside ties than
  members).  The same rule finds the ``siloed_organization`` pattern
  (:func:`cop.participation.patterns.find_patterns`), period by period.

The ranges are declared with each indicator (see ``docs/indicators.md``).

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> t = organizations_table(HealthContext.from_log(cop.load_example()))
>>> t.columns.tolist()
['organization', 'members', 'internal_ties', 'external_ties', 'ei_index', 'share_peripheral', 'siloed']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import ArrayLike

from cop.health._base import HealthContext, number_word
from cop.health.declaration import Reading, indicator, not_available

__all__ = [
    "organizations_table", "cross_org_tie_share", "ei_index", "siloed_member_share", "is_siloed", "stays_at_edge",
    "few_outside_ties", "SILO_MIN_MEMBERS", "SILO_PERIPHERAL_SHARE", "EI_MIN_MEMBERS",
]

_P = "organization_integration"
#: Fewest current members of an organization that can be siloed (a pair is not a silo).
SILO_MIN_MEMBERS = 3
#: Share of an organization's current members peripheral or inactive from which it stays at the edge together.
SILO_PERIPHERAL_SHARE = 0.7
#: Fewest current members of an organization that enters the mean E-I index.
EI_MIN_MEMBERS = 2


def stays_at_edge(members: ArrayLike, share_peripheral: ArrayLike, *, share: float = SILO_PERIPHERAL_SHARE) -> np.ndarray:
    """Organizations of at least :data:`SILO_MIN_MEMBERS` members, at least ``share`` of them peripheral or inactive.

    Examples
    --------
    >>> stays_at_edge([3, 2, 5], [0.7, 1.0, 0.6]).tolist()
    [True, False, False]
    """
    return (np.asarray(members) >= SILO_MIN_MEMBERS) & (np.asarray(share_peripheral, dtype=np.float64) >= share)


def few_outside_ties(ei_index: ArrayLike, external_ties: ArrayLike, members: ArrayLike) -> np.ndarray:
    """Organizations with few ties out: E-I <= 0 (NaN: no ties at all) or fewer outside ties than members.

    Examples
    --------
    >>> few_outside_ties([0.5, 0.5, -0.2, float("nan")], [10, 2, 9, 0], [4, 4, 4, 4]).tolist()
    [False, True, True, True]
    """
    ei = np.asarray(ei_index, dtype=np.float64)
    return np.isnan(ei) | (ei <= 0) | (np.asarray(external_ties) < np.asarray(members))


def is_siloed(members: ArrayLike, share_peripheral: ArrayLike, ei_index: ArrayLike, external_ties: ArrayLike, *,
              share: float = SILO_PERIPHERAL_SHARE) -> np.ndarray:
    """The siloed-organization rule: it stays at the edge together (:func:`stays_at_edge`) with few outside ties.

    Examples
    --------
    >>> is_siloed([5, 5], [0.8, 0.8], [-1.0, 0.6], [0, 12]).tolist()
    [True, False]
    """
    return stays_at_edge(members, share_peripheral, share=share) & few_outside_ties(ei_index, external_ties, members)


def organizations_table(ctx: HealthContext) -> pd.DataFrame:
    """Per organization of current members: size, internal and external ties, E-I index, share peripheral."""
    cols = ["organization", "members", "internal_ties", "external_ties", "ei_index", "share_peripheral", "siloed"]
    if "_orgs" in ctx.__dict__:
        return ctx._orgs
    p = ctx.prep
    base = ctx.regular_members
    org = p.organization
    known = np.array([o is not None for o in org]) & base
    if not known.any():
        ctx._orgs = pd.DataFrame({c: [] for c in cols})
        return ctx._orgs
    names, codes = np.unique(np.where(known, org, ""), return_inverse=True)
    codes = np.where(known, codes, -1)
    k = len(names)
    up = sp.triu(ctx.window.adjacency, k=1, format="coo")
    r, c = up.row, up.col
    cr, cc = codes[r], codes[c]
    same = (cr >= 0) & (cr == cc)
    internal = np.bincount(cr[same], minlength=k)
    ext_r = (cr >= 0) & ~same
    ext_c = (cc >= 0) & ~same
    external = np.bincount(cr[ext_r], minlength=k) + np.bincount(cc[ext_c], minlength=k)
    size = np.bincount(codes[known], minlength=k)
    lv = ctx.level
    per = np.bincount(codes[known], weights=np.isin(lv[known], ["peripheral", "inactive"]).astype(float), minlength=k)
    tot = internal + external
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = np.where(tot > 0, (external - internal) / np.maximum(tot, 1), np.nan)
        share_per = per / np.maximum(size, 1)
    siloed = is_siloed(size, share_per, ei, external)
    out = pd.DataFrame({"organization": names, "members": size, "internal_ties": internal, "external_ties": external,
                        "ei_index": ei, "share_peripheral": share_per, "siloed": siloed})
    out = out[out["organization"] != ""].sort_values(["members", "organization"], ascending=[False, True]).reset_index(drop=True)
    ctx._orgs = out[cols]
    return ctx._orgs


@indicator(principle=_P, unit="share of member ties", healthy=(0.5, np.inf), watch=(0.3, 0.5),
           reference="share of member ties crossing organizations: {healthy} healthy, {watch} watch (coworking interviews)",
           source="coworking interviews: large companies often stay at the periphery, together",
           interventions=("matchmaking_tool", "seat_cap", "theme"), requires=("organizations",))
def cross_org_tie_share(ctx: HealthContext) -> Reading:
    """Share of ties between members of different organizations."""
    t = organizations_table(ctx)
    internal, external = t["internal_ties"].sum(), t["external_ties"].sum()
    # external ties between two known organizations are counted at both ends
    if internal + external == 0:
        return not_available("no ties between members in the window")
    v = float(1.0 - internal / (internal + external / 2.0)) if external else 0.0
    pct = f"{100 * v:.0f}%"
    return Reading(v, {"healthy": f"{pct} of ties connect people from different organizations.",
                       "watch": f"Only {pct} of ties cross organizations; teams mostly keep to themselves.",
                       "critical": f"{pct} of ties cross organizations: the community is a set of separate teams."})


@indicator(principle=_P, unit="E-I index", healthy=(0.0, np.inf), watch=(-0.5, 0.0),
           reference=f"Krackhardt & Stern (1988) E-I index, member-weighted over organizations of >= {EI_MIN_MEMBERS}: "
                     "{healthy} healthy, {watch} watch, {critical} critical",
           source="Krackhardt & Stern (1988) E-I index", interventions=("seat_cap", "matchmaking_tool", "theme"),
           requires=("organizations",))
def ei_index(ctx: HealthContext) -> Reading:
    """Member-weighted mean E-I index over multi-member organizations."""
    t = organizations_table(ctx)
    t = t[(t["members"] >= EI_MIN_MEMBERS) & t["ei_index"].notna()]
    if t.empty:
        return not_available(f"no organization with {number_word(EI_MIN_MEMBERS)} or more members and ties")
    v = float(np.average(t["ei_index"], weights=t["members"]))
    worst = t.sort_values("ei_index").iloc[0]
    low = f"(lowest: {worst['organization']}, E-I {worst['ei_index']:.2f})"
    return Reading(v, {"healthy": "Teams of several people have more ties outside their organization than inside.",
                       "watch": f"Multi-person teams lean inward {low}.",
                       "critical": f"Multi-person teams keep to themselves {low}."})


@indicator(principle=_P, unit="share of current members", healthy=(-np.inf, 0.05), watch=(0.05, 0.15),
           reference=f"members in organizations of >= {SILO_MIN_MEMBERS} that stay peripheral together with few outside "
                     "ties: {healthy:%} healthy, {watch:%} watch",
           source="coworking interviews: large companies often stay at the periphery, together",
           interventions=("seat_cap", "matchmaking_tool", "onboarding_program"), requires=("organizations", "members"))
def siloed_member_share(ctx: HealthContext) -> Reading:
    """Share of current members in siloed organizations (peripheral together, few outside ties)."""
    t = organizations_table(ctx)
    sil = t[t["siloed"]]
    v = float(sil["members"].sum() / ctx.regular_members.sum())
    names = ", ".join(sil["organization"].head(3))
    msg = f"{100 * v:.0f}% of members are in organizations that stay peripheral together ({names})."
    return Reading(v, {"healthy": "No sizeable organization stays at the edge together.", "watch": msg, "critical": msg})
