"""Calibration: the statistics, the budget, the meta-model, recovery of known parameters, the bundled example."""

from __future__ import annotations

import json
from html import escape as html_escape

import numpy as np
import pandas as pd
import pytest

import simulation
from cop.exceptions import ConfigError
from simulation.calibration import _MetaModel, _minimise, budget_plan, calibrate, parse_fit
from simulation.calibration_stats import STATISTIC_NAMES, calibration_statistics

# a small space and a short horizon: one run and its diagnosis take about a second
TRUTH = simulation.Scenario(
    name="truth", space={"years": 0.6, "seats": 100},
    arrivals={"initial_members": 15, "per_month": 3.0}, encounters={"conversations_per_day": 0.3},
)


# --------------------------------------------------------------------------- quick
def test_parse_fit_and_its_errors():
    f = parse_fit("arrivals.per_month=1:6")
    assert (f.key, f.low, f.high) == ("arrivals.per_month", 1.0, 6.0)
    for bad in ("arrivals.per_month", "x=1", "x=2:1", "x=a:b", "=1:2", "x=1:inf"):
        with pytest.raises(ConfigError, match="expected KEY=LO:HI"):
            parse_fit(bad)


@pytest.mark.parametrize("budget,p", [(21, 2), (24, 3), (60, 6), (200, 4)])
def test_budget_plan_spends_exactly_the_budget(budget, p):
    plan = budget_plan(budget, p)
    assert sum(plan.values()) == budget
    assert plan["design"] + plan["refine"] >= 3 * p + 3 and plan["pilot"] >= 4 and plan["check"] >= 4


def test_budget_too_small_is_one_clear_error():
    with pytest.raises(ConfigError, match="budget = 12 runs is too small to fit 2 parameter"):
        budget_plan(12, 2)


def test_meta_model_recovers_a_quadratic_and_its_minimum():
    """Statistics that are exact quadratics of the parameters: the fit and the minimiser find the known point."""
    rng = np.random.default_rng(0)
    u = rng.random((30, 2))
    truth = np.array([0.3, 0.7])

    def stats(v):
        v = np.atleast_2d(v)
        return np.column_stack([2 * v[:, 0] + v[:, 1] ** 2, v[:, 0] * v[:, 1] - v[:, 1], 3 - v[:, 0] ** 2])

    model = _MetaModel.fit(u, stats(u))
    assert np.allclose(model.predict(u), stats(u), atol=1e-2)
    # slopes of the first statistic at the truth: (2, 2 * 0.7)
    assert np.allclose(model.jacobian(truth)[0], [2.0, 1.4], atol=0.05)
    est = _minimise(model, stats(truth)[0], np.ones(3), [np.full(2, 0.5), np.array([0.9, 0.1])])
    assert np.allclose(est, truth, atol=0.02)


def test_statistics_are_the_same_computation_on_observed_and_simulated_logs(small_log):
    import cop

    s = calibration_statistics(small_log)
    assert list(s.index) == list(STATISTIC_NAMES)
    d = cop.diagnose(small_log, agreement=False)
    shares = d.level_counts.set_index("level")["share"]
    assert s["core_share"] == pytest.approx(shares["core"])
    assert s["ties_per_member"] == pytest.approx(2 * d.graph.n_edges / len(d.graph))


def test_calibrate_refuses_a_key_that_is_not_a_number(small_log):
    with pytest.raises(ConfigError, match="fit 'space.topics': not a number"):
        calibrate(small_log, scenario=TRUTH, fit=["space.topics=1:2"], budget=30)
    with pytest.raises(ConfigError, match="no such scenario key"):
        calibrate(small_log, scenario=TRUTH, fit=["arrivals.nope=1:2"], budget=30)
    with pytest.raises(ConfigError, match="out of range"):  # the range must be valid for the model
        calibrate(small_log, scenario=TRUTH, fit=["manager.hours_per_week=10:120"], budget=30)
    with pytest.raises(ConfigError, match="too small"):
        calibrate(small_log, scenario=TRUTH, fit=["arrivals.per_month=1:5"], budget=5)


def test_cli_calibrate_refuses_a_wrong_output(tmp_path):
    from typer.testing import CliRunner

    from cop.cli import app
    from cop.datasets import example_paths

    paths = example_paths()
    res = CliRunner().invoke(app, ["calibrate", str(paths["activities"]), "-o", str(tmp_path / "fitted.json")])
    assert res.exit_code == 1 and "must end in .toml" in res.output


# --------------------------------------------------------------------------- recovery
def _recover(per_month_seed: int, budget: int, fit: list[str], base_changes: dict):
    observed = simulation.run(TRUTH, seed=per_month_seed).log
    base = TRUTH.with_params(base_changes)
    return calibrate(observed, scenario=base, fit=fit, budget=budget, seed=2, workers=2)


@pytest.fixture(scope="module")
def recovered():
    """Two parameters, 24 runs: the base starts far from the truth (6 applicants/month, 0.8 conversations/day)."""
    return _recover(11, 24, ["arrivals.per_month=0.5:8", "encounters.conversations_per_day=0.05:1"],
                    {"arrivals.per_month": 6.0, "encounters.conversations_per_day": 0.8})


@pytest.mark.slow
def test_calibrate_recovers_known_parameters_within_their_uncertainty(recovered):
    est = recovered.estimates.set_index("parameter")
    truth = {"arrivals.per_month": 3.0, "encounters.conversations_per_day": 0.3}
    for key, value in truth.items():
        row = est.loc[key]
        width = row["high"] - row["low"]
        assert 0 < row["se"] < 0.3 * width, (key, row.to_dict())  # identified: far narrower than the range
        assert abs(row["estimate"] - value) <= 3 * row["se"], (key, row.to_dict())  # the truth within 3 se
    assert sum(len(recovered.runs[recovered.runs["stage"] == s]) for s in ("pilot", "design", "refine", "check")) == 24
    # the check runs are at the estimate, each with its own seed
    check = recovered.runs[recovered.runs["stage"] == "check"]
    assert check["seed"].nunique() == len(check) and check["arrivals.per_month"].nunique() == 1


@pytest.mark.slow
def test_most_statistics_of_a_log_the_model_made_are_matched(recovered):
    st = recovered.statistics
    assert (st["status"] == "matched").mean() >= 0.75
    # a status agrees with its numbers
    for r in st.itertuples():
        if r.status == "out of reach":  # outside every run (by more than a simulation sigma)
            assert not (r.reach_low <= r.observed <= r.reach_high)
        if r.status == "matched":
            assert r.interval_low - 1e-9 <= r.observed <= r.interval_high + 1e-9


@pytest.mark.slow
def test_fitted_scenario_extends_its_base_and_reloads(recovered, tmp_path):
    from scenarios import load_scenario

    text = recovered.to_toml(tmp_path / "fitted.toml")
    assert "extends" not in text and "The base (<Scenario>)" in text  # a Scenario object as base is written in full
    again = load_scenario(tmp_path / "fitted.toml")
    assert again.model_dump(exclude={"name", "description"}) == recovered.scenario.model_dump(
        exclude={"name", "description"})
    data = json.loads(recovered.to_json())
    assert {e["parameter"] for e in data["estimates"]} == {"arrivals.per_month", "encounters.conversations_per_day"}
    assert data["budget"] == 24 and isinstance(data["root_seed"], int)


@pytest.mark.slow
def test_fitted_scenario_names_a_library_base(tmp_path):
    """A library base is named by ``extends``; only the observed period and the estimates are written."""
    observed = simulation.run(TRUTH.with_params({"space.years": 0.25}), seed=3).log
    res = calibrate(observed, scenario="baseline_coworking", fit=["arrivals.per_month=0:6"], budget=18, seed=1,
                    workers=2)
    text = res.to_toml(tmp_path / "fitted.toml")
    assert 'extends = "baseline_coworking"' in text and "[arrivals]" in text and "per_month" in text
    from scenarios import load_scenario

    fitted = load_scenario(tmp_path / "fitted.toml")
    assert fitted.arrivals.per_month == pytest.approx(res.estimates["estimate"].item())
    assert fitted.space.start_date == observed.start.date()
    assert fitted.manager == load_scenario("baseline_coworking").manager  # untouched keys come from the base


# --------------------------------------------------------------------------- the bundled example
@pytest.mark.slow
def test_the_bundled_example_report_lists_what_the_model_cannot_reach(tmp_path):
    import cop

    res = calibrate(cop.load_example(), fit=["arrivals.initial_members", "arrivals.per_month"], budget=21, seed=1,
                    workers=2)
    st = res.statistics.set_index("statistic")
    assert res.out_of_reach, "the bundled example has statistics the model does not produce"
    html = res.to_html(tmp_path / "calibration.html")
    reach_section = html.split('id="reach"')[1].split("</section>")[0]
    for name in res.out_of_reach:
        assert html_escape(st.at[name, "label"]) in reach_section
        obs = st.at[name, "observed"]
        assert not (st.at[name, "reach_low"] <= obs <= st.at[name, "reach_high"])
    data = json.loads(res.to_json())
    assert data["out_of_reach"] == res.out_of_reach and "cannot reproduce" in data["misspecification"]


# --------------------------------------------------------------------------- cop report --baseline
@pytest.mark.slow
def test_cop_report_with_a_baseline_tests_the_recommendations_on_it(tmp_path):
    import re

    from typer.testing import CliRunner

    from cop.cli import app
    from cop.datasets import example_paths

    p = example_paths()
    inputs = [str(p["activities"]), "--members", str(p["members"]), "--activities", str(p["details"])]
    fitted = tmp_path / "fitted.toml"
    fitted.write_text('extends = "baseline_coworking"\nname = "fitted"\n[arrivals]\ninitial_members = 40\n',
                      encoding="utf-8")
    out = tmp_path / "report.html"
    res = CliRunner().invoke(app, ["report", *inputs, "--baseline", str(fitted), "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    cmds = re.findall(r"<code>(cop experiment [^<]*)</code>", html)
    assert cmds and all(c.startswith(f"cop experiment {fitted} ") for c in cmds)
    assert "calibrated to your own log" in html
    # a baseline that does not load is an error before anything is written; both options at once too
    bad = tmp_path / "bad.toml"
    bad.write_text("[arrivals]\nper_month = -1\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["report", *inputs, "--baseline", str(bad), "-o", str(tmp_path / "r2.html")])
    assert res.exit_code == 1 and "out of range" in res.output and not (tmp_path / "r2.html").exists()
    res = CliRunner().invoke(app, ["report", *inputs, "--baseline", str(fitted), "--calibrate", "-o",
                                   str(tmp_path / "r3.html")])
    assert res.exit_code == 1 and "both give the baseline" in res.output


# --------------------------------------------------------------------------- stability between seeds
#: Widths of the same statistic's interval in two calibrations with different seeds may differ by this factor.
#: Why 3: each interval's spread is pooled over at least MIN_DF degrees of freedom (the check replicates and the
#: residuals near the estimate; asserted below).  If the noise at both estimates is the same, the squared ratio of
#: the two spreads is F(nu1, nu2) distributed; for nu1 = nu2 = 10, P(F > 9 or F < 1/9) = 0.0014 per statistic, about
#: 3 % over the 22 statistics (less with more degrees of freedom).  Before the pooling, the spread of 4 check
#: replicates alone (3 degrees of freedom) made the core share's interval 16 times wider in one seed than in
#: another on this very case (0.079 against 0.0049).
WIDTH_FACTOR = 3.0
MIN_DF = 10


@pytest.fixture(scope="module")
def recovered_other_seed():
    """The same calibration as ``recovered`` (root seed 2) with root seed 3."""
    observed = simulation.run(TRUTH, seed=11).log
    base = TRUTH.with_params({"arrivals.per_month": 6.0, "encounters.conversations_per_day": 0.8})
    return calibrate(observed, scenario=base, fit=["arrivals.per_month=0.5:8", "encounters.conversations_per_day=0.05:1"],
                     budget=24, seed=3, workers=2)


@pytest.mark.slow
def test_intervals_of_two_seeds_overlap_and_agree_in_width(recovered, recovered_other_seed):
    a = recovered.statistics.set_index("statistic")
    b = recovered_other_seed.statistics.set_index("statistic")
    produced = a.index[(a["status"] != "not produced") & (b["status"] != "not produced")]
    assert len(produced) >= 18
    print(pd.DataFrame({"low_a": a["interval_low"], "high_a": a["interval_high"], "low_b": b["interval_low"],
                        "high_b": b["interval_high"], "df_a": a["df"], "df_b": b["df"]}).round(4).to_string())  # -s
    for name in produced:
        ra, rb = a.loc[name], b.loc[name]
        assert ra["df"] >= MIN_DF and rb["df"] >= MIN_DF, (name, ra["df"], rb["df"])
        eps = 1e-9 * (1 + abs(ra["observed"]))
        assert max(ra["interval_low"], rb["interval_low"]) <= min(ra["interval_high"], rb["interval_high"]) + eps, \
            (name, ra[["interval_low", "interval_high"]].tolist(), rb[["interval_low", "interval_high"]].tolist())
        wa, wb = ra["interval_high"] - ra["interval_low"], rb["interval_high"] - rb["interval_low"]
        if max(wa, wb) <= eps:  # a statistic the model makes without noise here (events at a fixed cadence)
            continue
        assert min(wa, wb) > 0 and max(wa, wb) / min(wa, wb) <= WIDTH_FACTOR, (name, wa, wb)
    # the estimates agree too: their 95 % intervals overlap (each alone need not hold the other's estimate: two
    # estimates with standard error s differ by more than 1.96 s about one time in six)
    ea, eb = recovered.estimates.set_index("parameter"), recovered_other_seed.estimates.set_index("parameter")
    for key in ea.index:
        assert max(ea.at[key, "ci_low"], eb.at[key, "ci_low"]) <= min(ea.at[key, "ci_high"], eb.at[key, "ci_high"]), \
            (key, ea.loc[key].to_dict(), eb.loc[key].to_dict())


# --------------------------------------------------------------------------- Dask
@pytest.mark.dask
def test_calibration_on_dask_gives_the_runs_and_estimates_of_a_sequential_one():
    pytest.importorskip("distributed")
    truth = TRUTH.with_params({"space.years": 0.25, "arrivals.initial_members": 12})
    observed = simulation.run(truth, seed=5).log
    kw = dict(scenario=truth.with_params({"arrivals.per_month": 6.0}), fit=["arrivals.per_month=0:8"], budget=18,
              seed=1)
    seq = calibrate(observed, executor="sequential", **kw)
    dsk = calibrate(observed, executor="dask", workers=2, **kw)
    pd.testing.assert_frame_equal(seq.runs, dsk.runs)
    pd.testing.assert_frame_equal(seq.estimates, dsk.estimates)
    pd.testing.assert_frame_equal(seq.statistics, dsk.statistics)


# --------------------------------------------------------------------------- cop report --calibrate, end to end
_SHELL = {"&&", "||", "|", ">", ">>", "<", ";", "&"}


def _report_commands(html: str) -> list[str]:
    import re
    from html import unescape

    return [unescape(c) for c in re.findall(r"<code>(cop experiment [^<]*)</code>", html)]


def _parse_everywhere(cmd: str) -> list[str]:
    """The words of ``cmd`` as every shell reads it: plain words and double-quoted ones only, no shell syntax."""
    import shlex

    assert "$(" not in cmd and "`" not in cmd and "'" not in cmd and "printf" not in cmd and "echo " not in cmd, cmd
    words = shlex.split(cmd)  # POSIX rules; with only double quotes and no backslash escapes, cmd.exe reads the same
    assert not _SHELL & set(words), cmd
    assert words[:2] == ["cop", "experiment"], cmd
    return words


@pytest.mark.slow
def test_cop_report_calibrate_end_to_end(tmp_path, monkeypatch):
    """``cop report --calibrate``: fits the example (24 runs), writes the fitted TOML beside the report, and every
    recommendation's command compares the intervention with that fitted baseline; one command runs as printed."""
    import typer
    from typer.testing import CliRunner

    from cop.cli import app
    from cop.datasets import example_paths
    from cop.report.commands import baseline_note
    from scenarios import load_scenario

    p = example_paths()
    inputs = [str(p["activities"]), "--members", str(p["members"]), "--activities", str(p["details"])]
    out = tmp_path / "report.html"
    res = CliRunner().invoke(app, ["report", *inputs, "--calibrate", "-o", str(out)])
    assert res.exit_code == 0, res.output
    fitted = tmp_path / "report_fitted.toml"
    assert fitted.is_file() and (tmp_path / "report_fitted_calibration.html").is_file()
    calibration = json.loads((tmp_path / "report_fitted_calibration.json").read_text(encoding="utf-8"))
    assert calibration["budget"] == 24 and len(calibration["estimates"]) == 3
    twin = load_scenario(fitted)
    for e in calibration["estimates"]:  # the fitted TOML holds the estimates
        node = twin
        for part in e["parameter"].split("."):
            node = getattr(node, part)
        assert node == pytest.approx(e["estimate"])

    html = out.read_text(encoding="utf-8")
    assert html_escape(baseline_note(str(fitted)), quote=False) in html
    cmds = _report_commands(html)
    assert len(cmds) >= 3
    group = typer.main.get_command(app)
    for cmd in cmds:
        words = _parse_everywhere(cmd)
        assert words[2] == str(fitted), cmd  # the intervention is compared with the calibrated baseline
        # every command parses with cop's own option parser (options exist, values have the right types)
        ctx = group.make_context("cop", words[1:])
        sub = group.get_command(ctx, "experiment")
        sub.make_context("experiment", words[2:], parent=ctx)

    # one command runs as printed (shortened to a tenth of a year and two replicates, in this process)
    monkeypatch.chdir(tmp_path)
    words = _parse_everywhere(cmds[0])
    res = CliRunner().invoke(app, [*words[1:], "--years", "0.1", "--replicates", "2", "--executor", "sequential"])
    assert res.exit_code == 0, res.output
    stem = words[words.index("-o") + 1].removesuffix(".csv")
    prov = json.loads((tmp_path / f"{stem}_provenance.json").read_text(encoding="utf-8"))
    ran = prov["scenarios"][prov["inputs"]["baseline"]]["scenario"]
    assert ran["arrivals"] == json.loads(twin.model_dump_json())["arrivals"]  # the baseline that ran is the twin


@pytest.mark.slow
def test_cop_report_without_a_baseline_says_the_commands_use_a_generic_space(tmp_path):
    from typer.testing import CliRunner

    from cop.cli import app
    from cop.datasets import example_paths

    p = example_paths()
    out = tmp_path / "report.html"
    res = CliRunner().invoke(app, ["report", str(p["activities"]), "--members", str(p["members"]), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "use a generic coworking space" in res.output
    html = out.read_text(encoding="utf-8")
    assert "These commands test the idea on a generic coworking space" in html and "not on your community" in html
    cmds = _report_commands(html)
    assert cmds and all(_parse_everywhere(c)[2] == "baseline_coworking" for c in cmds)
