"""Members: arrival and admission, engagement, and exit.

Mechanisms and their grounding
------------------------------
* **Arrival and admission.** Applicants arrive as a Poisson stream and belong to
  a freelancer, a startup or a large company.  A themed space refuses a share of
  applicants without the theme (``theme.fit``) and attracts applicants who carry
  it; a seat cap refuses large-company staff beyond ``seat_cap.max_seats`` per
  organisation; a full space refuses everyone.  Themes make the domain and the
  business value clearer (coworking field studies; Wenger, McDermott & Snyder
  2002 on the *domain*).
* **Heterogeneity.** Sociability is lognormal: a few members talk to many
  others, which produces skewed participation.  Members have a membership
  plan (full-time, part-time, day pass: ``arrivals.share_part_time``,
  ``arrivals.share_day_pass``) that sets how often they come.  Large-company
  staff are not closed by a factor of their own: they come with colleagues,
  talk and lunch mostly with them and spend part of the day in their team's
  room (organizational homophily, :mod:`simulation.partners`,
  :mod:`simulation.groups`), so their peripherality emerges (coworking field
  studies: large companies often stay peripheral).
* **Engagement** rises with value received (conversations, useful introductions,
  events, collaborations, shared success stories) and falls by a constant share
  each week without it (neglect).
* **Exit** is a weekly hazard that grows steeply as engagement falls and is
  higher for newcomers (the liability of newness) and for members on a
  flexible plan (part-time, day pass: ``members.flexible_plan_hazard_factor``;
  the Flexspace Observatory reports average stays of 5.3 months on hot desks
  against 9.1 in offices); survival therefore falls with low engagement.

Examples
--------
>>> from simulation.model import run
>>> from simulation.config import Scenario
>>> res = run(Scenario(space={"years": 0.25, "seats": 40}, arrivals={"initial_members": 20}), seed=1)
>>> int((res.members["role"] == "member").sum()) >= 20
True
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri as _ndtri

from .space import Space

__all__ = ["admit_initial", "arrivals", "member_life", "weekly_engagement_and_exit", "apply_value"]

_DAYS_PER_MONTH = 365.25 / 12


def _draw_interests(space: Space, theme: str | None, theme_share: float, rng: np.random.Generator,
                    u_theme: float) -> np.ndarray:
    k = len(space.topics)
    n = min(k, 1 + rng.poisson(max(space.scenario.arrivals.topics_per_member - 1.0, 0.0)))
    # a mildly skewed popularity of topics; n of them drawn without replacement, proportional to
    # popularity (successive sampling, as keys log(u) / popularity: Efraimidis & Spirakis 2006)
    log_pop = getattr(space, "_topic_log_pop", None)
    if log_pop is None:
        exponent = space.scenario.arrivals.topic_popularity_exponent
        log_pop = space._topic_log_pop = exponent * np.log(np.arange(1, k + 1))  # -log(1 / rank ** exponent)
    keys = np.log(rng.random(k)) * np.exp(log_pop)
    chosen = np.argpartition(-keys, n - 1)[:n] if n < k else np.arange(k)
    vec = np.zeros(k, dtype=bool)
    vec[chosen] = True
    if theme is not None and u_theme < theme_share:
        vec[space.topic_index[theme]] = True
    return vec


def _choose_org(space: Space, org_type: int, u_join: float, u_which: float) -> int:
    """An existing organisation of this type with room, or a new one."""
    a = space.scenario.arrivals
    if org_type == 0:
        return _new_org(space, 0)
    mean_size = a.startup_size if org_type == 1 else a.large_company_size
    if mean_size > 1 and u_join < 1.0 - 1.0 / mean_size:
        n = len(space.org_names)
        existing = np.flatnonzero((space.org_types[:n] == org_type) & (space.org_members[:n] > 0))
        if len(existing):
            return int(existing[min(int(u_which * len(existing)), len(existing) - 1)])
    return _new_org(space, org_type)


def _normal_ppf(u: float) -> float:
    """The standard normal quantile of ``u`` (inversion keeps one uniform per draw)."""
    return float(_ndtri(min(max(u, 1e-12), 1 - 1e-12)))


def _new_org(space: Space, org_type: int) -> int:
    o = len(space.org_names)
    prefix = ("freelancer", "startup", "company")[org_type]
    space.org_names.append(f"{prefix}-{o + 1:04d}")
    if o == len(space.org_types):
        space.org_types = np.concatenate([space.org_types, np.zeros(o, dtype=np.int8)])
        space.org_members = np.concatenate([space.org_members, np.zeros(o, dtype=np.int64)])
    space.org_types[o] = org_type
    space.org_members[o] = 0
    return o


def _applicant(space: Space, day: int, *, initial: bool) -> int | None:
    """Draw one applicant and admit them if the admission policy allows; return the index.

    Every applicant has their own stream (keyed by their serial number) and
    draws the same numbers in the same order whatever the policy: type,
    sociability, fit, tool adoption, organisation, theme, then interests.
    """
    serial = space.n_applicants
    space.n_applicants += 1
    rng = space.streams.for_("applicant", serial)
    a = space.scenario.arrivals
    lv = space.levers
    u, soc_z, fit_draw, u_tool, u_join, u_which, u_theme = rng.random(7).tolist()
    u_plan = float(space.streams.for_("applicant", serial, 1).random())
    org_type = 0 if u < a.share_freelancer else (1 if u < a.share_freelancer + a.share_startup else 2)
    soc = float(np.exp(space.scenario.members.sociability_sigma * _normal_ppf(soc_z)))
    interests = _draw_interests(space, lv.theme, lv.theme_interest_share, rng, u_theme)
    org = _choose_org(space, org_type, u_join, u_which)
    # admission policy
    if space.roster.n_active >= space.scenario.space.seats:
        return None
    if lv.theme is not None and not interests[space.topic_index[lv.theme]] and fit_draw < lv.theme_fit:
        return None
    if org_type == 2 and lv.seat_cap is not None and space.org_members[org] >= lv.seat_cap:
        return None
    m = space.scenario.members
    plan = 2 if u_plan < a.share_day_pass else (1 if u_plan < a.share_day_pass + a.share_part_time else 0)
    # normalise sociability to mean one
    soc /= np.exp(m.sociability_sigma**2 / 2)
    i = space.roster.add(
        day=day, org=org, org_type=org_type, sociability=soc, plan=plan,
        interests=interests, engagement=m.initial_engagement, serial=serial,
    )
    space.org_members[org] += 1
    r = space.roster
    if lv.tool_adoption > 0 and u_tool < lv.tool_adoption:
        r.tool_user[i] = True
    if initial:
        r.set_onboarded(i, day)
        r.joined[i] = day
    space.env.process(member_life(space.env, space, i, initial=initial))
    return i


def admit_initial(space: Space) -> None:
    """Admit the members present on day one (already onboarded)."""
    for _ in range(space.scenario.arrivals.initial_members):
        _applicant(space, 0, initial=True)


def arrivals(env, space: Space):
    """SimPy process: a Poisson stream of applicants, admitted by the current policy."""
    rate = space.scenario.arrivals.per_month / _DAYS_PER_MONTH
    while True:
        yield env.timeout(1)
        day = int(env.now)
        if day >= space.horizon:
            return
        for _ in range(int(space.streams.for_("arrivals", day).poisson(rate))):
            _applicant(space, day, initial=False)


def member_life(env, space: Space, i: int, *, initial: bool):
    """SimPy process of one member: wait for onboarding, then for departure.

    A newcomer is peripheral (comes less, meets fewer people, gets no
    introductions) until the manager onboards them or the request is dropped
    from the backlog.
    """
    leave = env.event()
    space.departure_events[i] = leave
    if not initial:
        onboarded = env.event()
        space.onboarding_events[i] = onboarded
        space.onboarding_queue.append(i)
        yield onboarded | leave
    yield leave
    space.departure_events.pop(i, None)


def apply_value(space: Space, idx, amount) -> None:
    """Add value (engagement) to members, clipped to [0, 1]."""
    e = space.roster.engagement
    if isinstance(idx, (int, np.integer)):
        e[idx] = min(1.0, float(e[idx]) + float(amount))
        return
    e[idx] = np.minimum(1.0, e[idx] + amount)


def weekly_engagement_and_exit(space: Space, day: int) -> None:
    """Neglect lowers engagement; members leave with an engagement- and tenure-dependent hazard."""
    r = space.roster
    m = space.scenario.members
    idx = r.active_idx()
    if len(idx) == 0:
        return
    e = r.engagement
    e[idx] *= 1.0 - m.engagement_decay_per_week
    tenure_months = (day - r.joined[idx]) / _DAYS_PER_MONTH
    hazard = m.exit_hazard_per_month * m.low_engagement_hazard_factor ** (1.0 - e[idx])
    hazard = np.where(tenure_months < m.newcomer_months, hazard * m.newcomer_hazard_factor, hazard)
    hazard = np.where(r.plan[idx] > 0, hazard * m.flexible_plan_hazard_factor, hazard)
    p = 1.0 - np.exp(-hazard * 7.0 / _DAYS_PER_MONTH)
    leaving = idx[space.member_uniforms("exits", day, idx) < p]
    r.remove(leaving, day)
    np.subtract.at(space.org_members, r.org[leaving], 1)
    for i in leaving.tolist():
        ev = space.departure_events.get(i)
        if ev is not None and not ev.triggered:
            ev.succeed()
