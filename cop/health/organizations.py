"""Organization integration: ties across organizations, the E-I index, silos.

References: Krackhardt & Stern (1988) E-I index ``(E - I) / (E + I)`` (-1: all
ties inside the organization, +1: all outside); coworking interviews — large
companies often stay at the periphery, together.  Ties are those of the window's
tie graph (presence excluded, weight >= ``min_tie``).

* ``cross_org_tie_share``: share of ties between members of different
  organizations: >= 0.5 healthy, 0.3-0.5 watch.
* ``ei_index``: member-weighted mean E-I over organizations with at least two
  current members and one tie: >= 0 healthy, -0.5-0 watch, < -0.5 critical.
* ``siloed_member_share``: share of members who belong to a *siloed*
  organization (>= 3 current members, >= 70 % of them peripheral or inactive,
  and E-I <= 0 or fewer than one outside tie per member): <= 5 % healthy,
  5-15 % watch.

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

from cop.health._base import HealthContext, Indicator, grade, unavailable

__all__ = ["organizations_table", "cross_org_tie_share", "ei_index", "siloed_member_share"]

_P = "organization_integration"
_NO_ORG = "the members table has no organizations"


def _has_orgs(ctx: HealthContext) -> bool:
    org = ctx.prep.organization
    return any(o is not None for o in org[ctx.members])


def organizations_table(ctx: HealthContext) -> pd.DataFrame:
    """Per organization of current members: size, internal and external ties, E-I index, share peripheral."""
    cols = ["organization", "members", "internal_ties", "external_ties", "ei_index", "share_peripheral", "siloed"]
    if "_orgs" in ctx.__dict__:
        return ctx._orgs
    p = ctx.prep
    base = ctx.members & ~p.is_coordinator
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
    siloed = (size >= 3) & (share_per >= 0.7) & ((np.nan_to_num(ei, nan=-1.0) <= 0) | (external < size))
    out = pd.DataFrame({"organization": names, "members": size, "internal_ties": internal, "external_ties": external,
                        "ei_index": ei, "share_peripheral": share_per, "siloed": siloed})
    out = out[out["organization"] != ""].sort_values(["members", "organization"], ascending=[False, True]).reset_index(drop=True)
    ctx._orgs = out[cols]
    return ctx._orgs


def cross_org_tie_share(ctx: HealthContext) -> Indicator:
    """Share of ties between members of different organizations."""
    name, itv = "cross_org_tie_share", ["matchmaking_tool", "seat_cap", "theme"]
    ref = "share of member ties crossing organizations: >= 0.5 healthy, 0.3-0.5 watch (coworking interviews)"
    if not _has_orgs(ctx):
        return unavailable(name, _P, _NO_ORG, itv, ref)
    t = organizations_table(ctx)
    internal, external = t["internal_ties"].sum(), t["external_ties"].sum()
    # external ties between two known organizations are counted at both ends
    if internal + external == 0:
        return unavailable(name, _P, "no ties between members in the window", itv, ref)
    v = float(1.0 - internal / (internal + external / 2.0)) if external else 0.0
    st = grade(v, healthy=(0.5, 1.0), watch=(0.3, 0.5))
    msg = {"healthy": f"{100 * v:.0f}% of ties connect people from different organizations.",
           "watch": f"Only {100 * v:.0f}% of ties cross organizations; teams mostly keep to themselves.",
           "critical": f"{100 * v:.0f}% of ties cross organizations: the community is a set of separate teams."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def ei_index(ctx: HealthContext) -> Indicator:
    """Member-weighted mean E-I index over multi-member organizations."""
    name, itv = "ei_index", ["seat_cap", "matchmaking_tool", "theme"]
    ref = "Krackhardt & Stern (1988) E-I index, member-weighted over organizations of >= 2: >= 0 healthy, -0.5-0 watch, < -0.5 critical"
    if not _has_orgs(ctx):
        return unavailable(name, _P, _NO_ORG, itv, ref)
    t = organizations_table(ctx)
    t = t[(t["members"] >= 2) & t["ei_index"].notna()]
    if t.empty:
        return unavailable(name, _P, "no organization with two or more members and ties", itv, ref)
    v = float(np.average(t["ei_index"], weights=t["members"]))
    st = grade(v, healthy=(0.0, 1.0), watch=(-0.5, 0.0))
    worst = t.sort_values("ei_index").iloc[0]
    msg = {"healthy": "Teams of several people have more ties outside their organization than inside.",
           "watch": f"Multi-person teams lean inward (lowest: {worst['organization']}, E-I {worst['ei_index']:.2f}).",
           "critical": f"Multi-person teams keep to themselves (lowest: {worst['organization']}, E-I {worst['ei_index']:.2f})."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def siloed_member_share(ctx: HealthContext) -> Indicator:
    """Share of current members in siloed organizations (peripheral together, few outside ties)."""
    name, itv = "siloed_member_share", ["seat_cap", "matchmaking_tool", "onboarding_program"]
    ref = "members in organizations of >= 3 that stay peripheral together with few outside ties: <= 5 % healthy, 5-15 % watch"
    if not _has_orgs(ctx):
        return unavailable(name, _P, _NO_ORG, itv, ref)
    t = organizations_table(ctx)
    n = int((ctx.members & ~ctx.prep.is_coordinator).sum())
    if n == 0:
        return unavailable(name, _P, "no current members", itv, ref)
    sil = t[t["siloed"]]
    v = float(sil["members"].sum() / n)
    st = grade(v, healthy=(0.0, 0.05), watch=(0.05, 0.15))
    names = ", ".join(sil["organization"].head(3))
    msg = {"healthy": "No sizeable organization stays at the edge together.",
           "watch": f"{100 * v:.0f}% of members are in organizations that stay peripheral together ({names}).",
           "critical": f"{100 * v:.0f}% of members are in organizations that stay peripheral together ({names})."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)
