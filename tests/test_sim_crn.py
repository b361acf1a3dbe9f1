"""Common random numbers: paired runs of two scenarios share the draws the intervention does not touch.

Before/after figures (8 paired replicates, 1 simulated year of the baseline) are in
docs/model.md, "Stochasticity and common random numbers".
"""

import numpy as np
import pytest

from scenarios import load_scenario
from simulation import run
from simulation.experiment import replicate_seeds
from simulation.streams import Streams, poisson_from_uniform

REPLICATES = 8


def _outcomes(scenario, seed):
    res = run(scenario, seed)
    members = res.members[res.members["role"] == "member"]
    return int(members["left"].isna().sum()), int((res.activities["type"] == "collaboration").sum())


def _arms(change):
    base = load_scenario("baseline_coworking").with_params({"space.years": 1.0})
    other = change(base)
    seeds, _ = replicate_seeds(2026, REPLICATES)
    a = np.array([_outcomes(base, s) for s in seeds], float)
    b = np.array([_outcomes(other, s) for s in seeds], float)
    return a, b


def _fewer_hours(base):
    # light: the calibrated manager is at capacity at 40 h, so 10 % fewer hours already cut collaborations
    return base.with_params({"manager.hours_per_week": 36.0})


def _theme_at_month_6(base):
    theme = load_scenario("themed_space").interventions
    return base.model_copy(update={"interventions": [iv.model_copy(update={"start_month": 6}) for iv in theme]})


@pytest.mark.slow
@pytest.mark.parametrize("change", [_fewer_hours, _theme_at_month_6], ids=["manager_36h", "theme_month6"])
def test_paired_replicates_share_their_noise(change):
    a, b = _arms(change)
    # the intervention does change the runs (otherwise the pairing would be trivially perfect)
    assert np.any(a != b)
    for k, outcome in enumerate(("members on books", "collaborations")):
        x, y = a[:, k], b[:, k]
        corr = np.corrcoef(x, y)[0, 1]
        paired = np.var(y - x, ddof=1)
        unpaired = np.var(np.roll(y, -1) - x, ddof=1)  # replicate i against replicate i+1 of the other arm
        assert corr >= 0.7, (outcome, corr)
        assert paired <= unpaired / 3, (outcome, paired, unpaired)


def test_streams_are_keyed_not_positional():
    s = Streams(5)
    # a stream depends on its keys only, not on what was drawn before
    first = s.for_("exits", 10).random(3)
    s.for_("presence", 10).random(1000)
    assert np.array_equal(first, s.for_("exits", 10).random(3))
    # member rows do not depend on how many members there are
    u_small = s.by_member("presence", 1, np.array([2, 0]), n_serials=3)
    u_big = s.by_member("presence", 1, np.array([2, 0]), n_serials=300)
    assert np.array_equal(u_small, u_big)
    # different mechanisms, days and seeds give different numbers
    assert not np.array_equal(first, s.for_("presence", 10).random(3))
    assert not np.array_equal(first, Streams(6).for_("exits", 10).random(3))


def test_poisson_by_inversion_has_poisson_moments_and_is_monotone():
    u = np.random.default_rng(1).random(200_000)
    for lam in (0.3, 2.0, 7.5):
        k = poisson_from_uniform(u, np.full(u.shape, lam))
        assert abs(k.mean() - lam) < 0.03 * max(lam, 1)
        assert abs(k.var() - lam) < 0.05 * max(lam, 1)
    # a larger mean never lowers the count drawn from the same uniform (what keeps pairs together)
    lo = poisson_from_uniform(u[:1000], np.full(1000, 1.0))
    hi = poisson_from_uniform(u[:1000], np.full(1000, 1.2))
    assert np.all(hi >= lo)
