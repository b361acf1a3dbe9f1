"""Organization integration: ties across organizations, the E-I index, silos.

References: Krackhardt & Stern (1988) E-I index ``(E - I) / (E + I)`` (-1: all
ties inside the organization, +1: all outside); coworking interviews — large
companies often stay at the periphery, together.  Ties are those of the window's
tie graph (presence excluded, weight >= ``min_tie``).

Ties are *weighed*: the internal and external **volume** of an organization is
the sum of the kernel's tie weights (the interaction volume: a pair that met in
hundreds of contacts weighs hundreds of times a single corridor encounter).
The tie *counts* stay in the table beside the volumes.

Chance is the yardstick.  Under random mixing a member's partner is in the own
organization with probability ``(n_g - 1) / (N - 1)`` (``n_g`` the
organization's current members, ``N`` all current members with a known
organization), so the E-I expected at random is
:func:`expected_ei` ``= 1 - 2 (n_g - 1) / (N - 1)``.  An organization's
``ei_excess`` is its weighted E-I minus that expectation (< 0: more inward than
chance).

Each organization gets one ``integration`` verdict (first that applies):

``isolated``
    few ties at all: at least :data:`SILO_MIN_MEMBERS` members and fewer ties
    (inside and outside together) than members — whatever their direction (a
    firm whose two ties both leave it, E-I 1.00, is isolated, not siloed);
``siloed``
    inward and at the edge together (:func:`is_siloed`): at least
    :data:`SILO_MIN_MEMBERS` members, at least :data:`SILO_PERIPHERAL_SHARE`
    of them peripheral or inactive, and leaning inward (:func:`leans_inward`);
``inward``
    weighted E-I at least :data:`INWARD_MARGIN` below its random-mixing
    expectation (a group that keeps to itself although its members take part);
``mixed``
    otherwise (``no ties`` for an organization of fewer members without ties).

Indicators:

* ``cross_org_tie_share``: share of the interaction volume between members
  of different organizations.
* ``ei_index``: member-weighted mean weighted E-I over organizations with at
  least :data:`EI_MIN_MEMBERS` current members and one tie.
* ``ei_vs_random``: member-weighted mean ``ei_excess`` over the same
  organizations: how far inward the organizations lean compared with random
  mixing given their sizes.
* ``siloed_member_share``: share of members who belong to an organization
  at the edge together (:func:`stays_at_edge`) that is *siloed* or
  *isolated*; its advice starts with introductions (onboarding, matchmaking)
  when most of them are isolated, with a seat cap when most are siloed.  The same rule finds the ``siloed_organization`` pattern
  (:func:`cop.participation.patterns.find_patterns`), period by period; the
  ``isolated_organization`` pattern is the isolated verdict.

The ranges are declared with each indicator (see ``docs/indicators.md``).

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> t = organizations_table(HealthContext.from_log(cop.load_example()))
>>> t.columns.tolist()
['organization', 'members', 'internal_ties', 'external_ties', 'ei_index', 'share_peripheral', 'siloed', 'internal_volume', 'external_volume', 'weighted_ei', 'expected_ei', 'ei_excess', 'integration']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import ArrayLike

from cop.health._base import HealthContext, number_word
from cop.health.declaration import Reading, indicator, not_available

__all__ = [
    "organizations_table", "cross_org_tie_share", "ei_index", "ei_vs_random", "siloed_member_share", "is_siloed",
    "is_isolated", "isolated_organizations", "stays_at_edge", "leans_inward", "few_ties", "expected_ei", "integration_verdict",
    "SILO_MIN_MEMBERS", "SILO_PERIPHERAL_SHARE", "EI_MIN_MEMBERS", "INWARD_MARGIN", "INTEGRATION_VERDICTS",
]

_P = "organization_integration"
#: Fewest current members of an organization that can be siloed (a pair is not a silo).
SILO_MIN_MEMBERS = 3
#: Share of an organization's current members peripheral or inactive from which it stays at the edge together.
SILO_PERIPHERAL_SHARE = 0.7
#: Fewest current members of an organization that enters the mean E-I index.
EI_MIN_MEMBERS = 2
#: How far below its random-mixing expectation an organization's weighted E-I is ``inward``.
INWARD_MARGIN = 0.2
#: The ``integration`` verdicts of the organizations table.
INTEGRATION_VERDICTS: tuple[str, ...] = ("isolated", "siloed", "inward", "mixed", "no ties")


def expected_ei(members: ArrayLike, total: int) -> np.ndarray:
    """E-I expected under random mixing: ``1 - 2 (n_g - 1) / (N - 1)`` for groups of ``n_g`` among ``N``.

    Examples
    --------
    >>> expected_ei([10, 30, 60], 100).round(3).tolist()
    [0.818, 0.414, -0.192]
    """
    n = np.asarray(members, dtype=np.float64)
    if total <= 1:
        return np.full(n.shape, np.nan)
    return 1.0 - 2.0 * (n - 1.0) / (total - 1.0)


def stays_at_edge(members: ArrayLike, share_peripheral: ArrayLike, *, share: float = SILO_PERIPHERAL_SHARE) -> np.ndarray:
    """Organizations of at least :data:`SILO_MIN_MEMBERS` members, at least ``share`` of them peripheral or inactive.

    Examples
    --------
    >>> stays_at_edge([3, 2, 5], [0.7, 1.0, 0.6]).tolist()
    [True, False, False]
    """
    return (np.asarray(members) >= SILO_MIN_MEMBERS) & (np.asarray(share_peripheral, dtype=np.float64) >= share)


def leans_inward(weighted_ei: ArrayLike, expected: ArrayLike) -> np.ndarray:
    """Organizations whose interaction volume leans inward: weighted E-I <= 0, or below its random-mixing expectation.

    NaN (no ties) does not lean inward: it is a matter for :func:`few_ties`.

    Examples
    --------
    >>> leans_inward([0.5, 0.5, -0.2, float("nan")], [0.8, 0.3, -0.5, 0.8]).tolist()
    [True, False, True, False]
    """
    ei = np.asarray(weighted_ei, dtype=np.float64)
    ex = np.asarray(expected, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return ~np.isnan(ei) & ((ei <= 0) | (ei < ex))


def few_ties(internal_ties: ArrayLike, external_ties: ArrayLike, members: ArrayLike) -> np.ndarray:
    """Organizations of at least :data:`SILO_MIN_MEMBERS` members with fewer ties (inside and out) than members.

    Examples
    --------
    >>> few_ties([0, 6, 0], [2, 1, 0], [5, 5, 2]).tolist()
    [True, False, False]
    """
    m = np.asarray(members)
    return (m >= SILO_MIN_MEMBERS) & (np.asarray(internal_ties) + np.asarray(external_ties) < m)


def is_siloed(members: ArrayLike, share_peripheral: ArrayLike, weighted_ei: ArrayLike, expected: ArrayLike, *,
              share: float = SILO_PERIPHERAL_SHARE) -> np.ndarray:
    """The siloed-organization rule: at the edge together (:func:`stays_at_edge`) and leaning inward (:func:`leans_inward`).

    Examples
    --------
    >>> is_siloed([5, 5, 5], [0.8, 0.8, 0.2], [-1.0, 0.9, -1.0], [0.6, 0.6, 0.6]).tolist()
    [True, False, False]
    """
    return stays_at_edge(members, share_peripheral, share=share) & leans_inward(weighted_ei, expected)


def is_isolated(members: ArrayLike, internal_ties: ArrayLike, external_ties: ArrayLike) -> np.ndarray:
    """The isolated-organization rule: few ties at all (:func:`few_ties`), whichever way they go.

    Examples
    --------
    >>> is_isolated([4, 4], [0, 3], [2, 3]).tolist()
    [True, False]
    """
    return few_ties(internal_ties, external_ties, members)


def integration_verdict(members: ArrayLike, share_peripheral: ArrayLike, internal_ties: ArrayLike,
                        external_ties: ArrayLike, weighted_ei: ArrayLike, expected: ArrayLike, *,
                        share: float = SILO_PERIPHERAL_SHARE) -> np.ndarray:
    """One verdict per organization: isolated, siloed, inward, mixed or no ties (module docs, first that applies).

    Examples
    --------
    >>> integration_verdict([5, 5, 5, 5, 1], [0.8, 0.8, 0.0, 0.0, 1.0], [0, 20, 20, 5, 0], [2, 2, 2, 20, 0],
    ...                     [1.0, -0.8, -0.8, 0.7, float("nan")], [0.8] * 5).tolist()
    ['isolated', 'siloed', 'inward', 'mixed', 'no ties']
    """
    ei = np.asarray(weighted_ei, dtype=np.float64)
    ex = np.asarray(expected, dtype=np.float64)
    iso = is_isolated(members, internal_ties, external_ties)
    sil = is_siloed(members, share_peripheral, ei, ex, share=share) & ~iso
    with np.errstate(invalid="ignore"):
        inward = ~np.isnan(ei) & (ei < ex - INWARD_MARGIN)
    out = np.where(np.isnan(ei), "no ties", "mixed").astype(object)
    out[inward] = "inward"
    out[sil] = "siloed"
    out[iso] = "isolated"
    return out


#: The columns of :func:`organizations_table`, in order.
_ORG_COLUMNS = ["organization", "members", "internal_ties", "external_ties", "ei_index", "share_peripheral", "siloed",
                "internal_volume", "external_volume", "weighted_ei", "expected_ei", "ei_excess", "integration"]
#: The table of a window without organizations (copied for each).
_NO_ORGS = pd.DataFrame({c: [] for c in _ORG_COLUMNS})


def organizations_table(ctx: HealthContext) -> pd.DataFrame:
    """Per organization of current members: size, ties and volume inside and out, E-I (counted, weighted, at random), verdict.

    ``ei_index`` counts ties; ``weighted_ei`` weighs them by volume; ``expected_ei``
    is :func:`expected_ei`; ``ei_excess = weighted_ei - expected_ei``;
    ``siloed`` is ``integration == "siloed"``.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> orgs = organizations_table(HealthContext.from_log(cop.load_example()))
    >>> len(orgs), orgs.columns.tolist()[:3]
    (88, ['organization', 'members', 'internal_ties'])
    """
    if "_orgs" in ctx.__dict__:
        return ctx._orgs
    p = ctx.prep
    base = ctx.regular_members
    org = p.organization
    known = np.array([o is not None for o in org]) & base
    if not known.any():
        ctx._orgs = _NO_ORGS.copy()  # (the empty table, copied: built once)
        return ctx._orgs
    names, codes = np.unique(np.where(known, org, ""), return_inverse=True)
    codes = np.where(known, codes, -1)
    k = len(names)
    up = sp.triu(ctx.window.adjacency, k=1, format="coo")
    r, c, w = up.row, up.col, up.data.astype(np.float64)
    cr, cc = codes[r], codes[c]
    same = (cr >= 0) & (cr == cc)
    internal = np.bincount(cr[same], minlength=k)
    ext_r = (cr >= 0) & ~same
    ext_c = (cc >= 0) & ~same
    external = np.bincount(cr[ext_r], minlength=k) + np.bincount(cc[ext_c], minlength=k)
    internal_vol = np.bincount(cr[same], weights=w[same], minlength=k)
    external_vol = np.bincount(cr[ext_r], weights=w[ext_r], minlength=k) + np.bincount(cc[ext_c], weights=w[ext_c], minlength=k)
    size = np.bincount(codes[known], minlength=k)
    lv = ctx.level
    per = np.bincount(codes[known], weights=np.isin(lv[known], ["peripheral", "inactive"]).astype(float), minlength=k)
    tot = internal + external
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = np.where(tot > 0, (external - internal) / np.maximum(tot, 1), np.nan)
        share_per = per / np.maximum(size, 1)
        vol = internal_vol + external_vol
        wei = np.where(vol > 0, (external_vol - internal_vol) / np.where(vol > 0, vol, 1.0), np.nan)
    real = names != ""
    expected = expected_ei(size, int(size[real].sum()))
    verdict = integration_verdict(size, share_per, internal, external, wei, expected)
    out = pd.DataFrame({"organization": names, "members": size, "internal_ties": internal, "external_ties": external,
                        "ei_index": ei, "share_peripheral": share_per, "siloed": verdict == "siloed",
                        "internal_volume": internal_vol, "external_volume": external_vol, "weighted_ei": wei,
                        "expected_ei": expected, "ei_excess": wei - expected, "integration": verdict})
    out = out[out["organization"] != ""].sort_values(["members", "organization"], ascending=[False, True]).reset_index(drop=True)
    ctx._orgs = out[_ORG_COLUMNS]
    return ctx._orgs


@indicator(principle=_P, unit="share of interaction volume", healthy=(0.5, np.inf), watch=(0.3, 0.5),
           reference="share of the interaction volume (tie weights) crossing organizations: {healthy} healthy, "
                     "{watch} watch (coworking interviews)",
           source="coworking interviews: large companies often stay at the periphery, together",
           interventions=("matchmaking_tool", "seat_cap", "theme"), requires=("organizations",))
def cross_org_tie_share(ctx: HealthContext) -> Reading:
    """Share of the interaction volume (tie weights) between members of different organizations.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = cross_org_tie_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 1.0)
    """
    t = organizations_table(ctx)
    internal, external = t["internal_volume"].sum(), t["external_volume"].sum()
    # external volume between two known organizations is counted at both ends
    if internal + external == 0:
        return not_available("no ties between members in the window")
    v = float(1.0 - internal / (internal + external / 2.0)) if external else 0.0
    pct = f"{100 * v:.0f}%"
    return Reading(v, {"healthy": f"{pct} of the interaction volume connects people from different organizations.",
                       "watch": f"Only {pct} of the interaction volume crosses organizations; teams mostly keep to themselves.",
                       "critical": f"{pct} of the interaction volume crosses organizations: the community is a set of separate teams."})


def _mixing_orgs(ctx: HealthContext) -> pd.DataFrame:
    t = organizations_table(ctx)
    return t[(t["members"] >= EI_MIN_MEMBERS) & t["weighted_ei"].notna()]


@indicator(principle=_P, unit="E-I index (weighted)", healthy=(0.0, np.inf), watch=(-0.5, 0.0),
           reference=f"Krackhardt & Stern (1988) E-I index on interaction volume, member-weighted over organizations of "
                     f">= {EI_MIN_MEMBERS}: " + "{healthy} healthy, {watch} watch, {critical} critical",
           source="Krackhardt & Stern (1988) E-I index", interventions=("seat_cap", "matchmaking_tool", "theme"),
           requires=("organizations",))
def ei_index(ctx: HealthContext) -> Reading:
    """Member-weighted mean weighted E-I index (interaction volume) over multi-member organizations.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = ei_index(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 1.0)
    """
    t = _mixing_orgs(ctx)
    if t.empty:
        return not_available(f"no organization with {number_word(EI_MIN_MEMBERS)} or more members and ties")
    v = float(np.average(t["weighted_ei"], weights=t["members"]))
    worst = t.sort_values(["weighted_ei", "organization"]).iloc[0]
    low = f"(lowest: {worst['organization']}, weighted E-I {worst['weighted_ei']:.2f})"
    return Reading(v, {"healthy": "Teams of several people spend more of their interaction outside their organization than inside.",
                       "watch": f"Multi-person teams lean inward {low}.",
                       "critical": f"Multi-person teams keep to themselves {low}."})


@indicator(principle=_P, unit="E-I minus its random-mixing expectation", healthy=(-INWARD_MARGIN, np.inf),
           watch=(-0.5, -INWARD_MARGIN),
           reference="weighted E-I minus the E-I random mixing would give organizations of these sizes, member-weighted: "
                     "{healthy} healthy, {watch} watch, {critical} critical",
           source="Krackhardt & Stern (1988): the E-I index is read against its expectation given group sizes",
           interventions=("matchmaking_tool", "seat_cap", "theme"), requires=("organizations",))
def ei_vs_random(ctx: HealthContext) -> Reading:
    """Member-weighted mean of each organization's weighted E-I minus its random-mixing expectation.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = ei_vs_random(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 0.103)
    """
    t = _mixing_orgs(ctx)
    t = t[t["expected_ei"].notna()]
    if t.empty:
        return not_available(f"no organization with {number_word(EI_MIN_MEMBERS)} or more members and ties")
    v = float(np.average(t["ei_excess"], weights=t["members"]))
    exp = float(np.average(t["expected_ei"], weights=t["members"]))
    got = float(np.average(t["weighted_ei"], weights=t["members"]))
    inward = t[t["ei_excess"] < -INWARD_MARGIN].sort_values(["ei_excess", "organization"])
    names = ", ".join(inward["organization"].astype(str).head(3))
    base = f"weighted E-I {got:.2f} where random mixing would give {exp:.2f}"
    return Reading(v, {"healthy": f"Organizations mix about as much as chance would have them ({base}).",
                       "watch": f"{len(inward)} of {len(t)} organizations keep more to themselves than chance ({base}; {names}).",
                       "critical": f"{len(inward)} of {len(t)} organizations keep to themselves far more than chance ({base}; {names})."})


@indicator(principle=_P, unit="share of current members", healthy=(-np.inf, 0.05), watch=(0.05, 0.15),
           reference=f"members in organizations of >= {SILO_MIN_MEMBERS} that stay at the edge together, siloed (inward) "
                     "or isolated (few ties at all): {healthy:%} healthy, {watch:%} watch",
           source="coworking interviews: large companies often stay at the periphery, together",
           interventions=("seat_cap", "matchmaking_tool", "onboarding_program"), requires=("organizations", "members"))
def siloed_member_share(ctx: HealthContext) -> Reading:
    """Share of current members in organizations at the edge together: siloed (inward) or isolated (few ties).

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = siloed_member_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('critical', 0.194)
    """
    t = organizations_table(ctx)
    edge = stays_at_edge(t["members"], t["share_peripheral"])
    sil = t[edge & t["integration"].isin(["siloed", "isolated"])]
    v = float(sil["members"].sum() / ctx.regular_members.sum())
    names = ", ".join(f"{o} ({g})" for o, g in zip(sil["organization"].head(3), sil["integration"].head(3)))
    msg = f"{100 * v:.0f}% of members are in organizations that stay peripheral together ({names})."
    isolated = int(sil.loc[sil["integration"] == "isolated", "members"].sum())
    # isolated teams need introductions first; siloed ones need mixing (advice per pattern)
    itv = ("onboarding_program", "matchmaking_tool", "seat_cap") if isolated * 2 > sil["members"].sum() else None
    return Reading(v, {"healthy": "No sizeable organization stays at the edge together.", "watch": msg, "critical": msg},
                   interventions=itv)


def isolated_organizations(ctx: HealthContext) -> pd.DataFrame:
    """The rows of :func:`organizations_table` whose verdict is ``isolated`` (few ties at all).

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> isolated_organizations(HealthContext.from_log(cop.load_example()))["organization"].tolist()
    ['Nordbank Digital', 'Kivi Industrial Labs']
    """
    t = organizations_table(ctx)
    return t[t["integration"] == "isolated"]
