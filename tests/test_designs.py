"""Designs, sensitivity indices, the baseline of a sweep, provenance, resume and the experiment CLI options."""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cop.exceptions import ConfigError
from simulation import Scenario, load_experiment, run_experiment
from simulation.design import parse_value, read_design, sample_design
from simulation.metrics import METRIC_NAMES, log_metrics

TINY = Scenario(name="tiny", space={"years": 0.15}, arrivals={"initial_members": 12})
runner = CliRunner()


def ishigami(points: pd.DataFrame, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x1, x2, x3 = points["x1"], points["x2"], points["x3"]
    return (np.sin(x1) + a * np.sin(x2) ** 2 + b * x3 ** 4 * np.sin(x1)).to_numpy()


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Analytic first-order and total Sobol indices of the Ishigami function (Ishigami & Homma 1990)."""
    v1 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / var, np.array([v1 + v13, v2, v13]) / var


# --------------------------------------------------------------------------- sensitivity wiring
def test_sobol_indices_of_the_ishigami_function_match_the_analytic_values():
    pytest.importorskip("SALib")
    from simulation.sensitivity import analyze_model

    ranges = {k: (-np.pi, np.pi) for k in ("x1", "x2", "x3", "x4")}  # x4: a dummy the function ignores
    design = sample_design("sobol", ranges, 1024, seed=11)
    assert len(design.points) == 1024 * (4 + 2)
    t = analyze_model(ishigami, design, seed=1).set_index(["parameter", "index"])["value"]
    s1, st = ishigami_indices()
    got_s1 = t.xs("S1", level="index")[["x1", "x2", "x3"]].to_numpy()
    got_st = t.xs("ST", level="index")[["x1", "x2", "x3"]].to_numpy()
    np.testing.assert_allclose(got_s1, s1, atol=0.05)
    np.testing.assert_allclose(got_st, st, atol=0.05)
    assert abs(got_s1.sum() - s1.sum()) < 0.06  # 0.756: the rest is the x1-x3 interaction
    assert list(np.argsort(-got_s1)) == [1, 0, 2] and list(np.argsort(-got_st)) == [0, 1, 2]
    assert abs(t[("x4", "S1")]) < 0.02 and abs(t[("x4", "ST")]) < 0.02


def test_morris_mu_star_of_a_linear_function_is_the_coefficient_times_the_range():
    pytest.importorskip("SALib")
    from simulation.sensitivity import analyze_model

    design = sample_design("morris", {"a": (0, 2), "b": (-1, 1), "c": (5, 6)}, 10, seed=4)
    assert len(design.points) == 10 * (3 + 1)
    t = analyze_model(lambda p: 3 * p["a"] - 0.5 * p["b"] + 0 * p["c"], design).set_index(["parameter", "index"])["value"]
    assert t[("a", "mu_star")] == pytest.approx(6.0) and t[("b", "mu_star")] == pytest.approx(1.0)
    assert t[("c", "mu_star")] == pytest.approx(0.0)
    assert t.xs("sigma", level="index").abs().max() < 1e-9


def test_missing_salib_is_one_clear_message(monkeypatch):
    from simulation.sensitivity import sensitivity_indices

    monkeypatch.setitem(sys.modules, "SALib", None)
    design = sample_design("sobol", {"a": (0, 1)}, 4, seed=1)
    with pytest.raises(ConfigError, match=r"need SALib.*") as err:
        sensitivity_indices(design, np.arange(len(design.points), dtype=float))
    assert "cop-health[sensitivity]" in err.value.hint


# --------------------------------------------------------------------------- samplers and design files
def test_latin_hypercube_puts_one_point_in_each_stratum_of_every_key():
    d = sample_design("lhs", {"a": (10, 20), "b": (0, 1)}, 16, seed=5)
    for key, (lo, hi) in d.ranges.items():
        strata = np.floor((d.points[key] - lo) / (hi - lo) * 16).astype(int)
        assert sorted(strata) == list(range(16))
    again = sample_design("lhs", {"a": (10, 20), "b": (0, 1)}, 16, seed=5)
    pd.testing.assert_frame_equal(d.points, again.points)


def test_saltelli_layout_and_whole_number_keys():
    d = sample_design("sobol", {"manager.hours_per_week": (10, 40), "events.cadence_days": (7, 30)}, 8, seed=2,
                      scenario=Scenario())
    p = d.points.to_numpy()
    a, ab1, ab2, b = p[0::4], p[1::4], p[2::4], p[3::4]
    assert (ab1[:, 0] == b[:, 0]).all() and (ab1[:, 1] == a[:, 1]).all()
    assert (ab2[:, 1] == b[:, 1]).all() and (ab2[:, 0] == a[:, 0]).all()
    assert d.points["events.cadence_days"].dtype.kind == "i"  # an int field of the scenario is sampled as whole days
    with pytest.raises(ConfigError, match="not a key"):
        sample_design("lhs", {"manager.hourz": (1, 2)}, 4, seed=1, scenario=Scenario())


def test_design_file_is_read_and_a_bad_cell_names_row_and_column(tmp_path):
    good = tmp_path / "points.csv"
    good.write_text("manager.hours_per_week,events.cadence_days\n20,7\n40.5,30\n", encoding="utf-8")
    d = read_design(good, Scenario())
    assert d.records() == [{"manager.hours_per_week": 20, "events.cadence_days": 7},
                           {"manager.hours_per_week": 40.5, "events.cadence_days": 30}]
    bad = tmp_path / "bad.csv"
    bad.write_text("manager.hours_per_week,events.cadence_days\n20,7\n500,30\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.csv', row 3, column 'manager\.hours_per_week': .*out of range"):
        read_design(bad, Scenario())
    empty = tmp_path / "empty.csv"
    empty.write_text("manager.hours_per_week,events.cadence_days\n20,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"row 2, column 'events\.cadence_days': empty cell"):
        read_design(empty, Scenario())
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("manager.hourz\n20\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"row 2, column 'manager\.hourz'"):
        read_design(unknown, Scenario())


def test_parse_value():
    assert [parse_value(s) for s in ("3", "3.0", "1e2", "false", "x", "nan")] == [3, 3.0, 100.0, False, "x", "nan"]


# --------------------------------------------------------------------------- baseline, store, resume, provenance
def test_a_sweep_is_compared_with_the_baseline_at_its_own_defaults():
    from cop.report.comparison import effects

    ex = run_experiment(TINY, sweep={"manager.hours_per_week": [10, 30]}, replicates=2, seed=8,
                        executor="sequential", metrics=log_metrics)
    plain = run_experiment(TINY, replicates=2, seed=8, executor="sequential", metrics=log_metrics)
    ref = ex.results[ex.results["parameters"] == ""].drop(columns=["manager.hours_per_week"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(ref, plain.results)  # the same runs (common random numbers)
    eff = effects(ex.results)
    assert eff.attrs["baseline"] == "tiny"
    assert set(eff["variant"]) == {"tiny · manager.hours_per_week=10", "tiny · manager.hours_per_week=30"}


def test_resume_gives_results_identical_to_an_uninterrupted_run(tmp_path):
    kw = dict(sweep={"manager.hours_per_week": [10, 30]}, replicates=2, seed=9, executor="sequential",
              metrics=log_metrics)
    full = run_experiment(TINY, store=tmp_path / "runs", **kw)
    full.write(tmp_path / "full.csv")
    files = sorted((tmp_path / "runs").glob("run-*.parquet"))
    assert len(files) == 6  # 3 variants (baseline + 2 points) x 2 replicates
    kept = files[::2]
    stamps = {f: f.stat().st_mtime_ns for f in kept}
    for f in files[1::2]:  # as if the experiment had been killed before these finished
        f.unlink()
    resumed = run_experiment(TINY, store=tmp_path / "runs", resume=True, **kw)
    resumed.write(tmp_path / "resumed.csv")
    assert (tmp_path / "full.csv").read_bytes() == (tmp_path / "resumed.csv").read_bytes()
    assert (tmp_path / "full_summary.csv").read_bytes() == (tmp_path / "resumed_summary.csv").read_bytes()
    assert all(f.stat().st_mtime_ns == t for f, t in stamps.items())  # kept runs were read, not re-run
    assert len(list((tmp_path / "runs").glob("run-*.parquet"))) == 6


def test_provenance_and_load_experiment(tmp_path):
    from cop.provenance import content_hash

    ex = run_experiment({"a": TINY, "b": TINY.with_params({"manager.hours_per_week": 12})}, replicates=2, seed=4,
                        executor="sequential", metrics=log_metrics)
    prov = ex.provenance
    assert prov["root_seed"] == 4 and prov["cop_version"] and "numpy" in prov["libraries"]
    assert prov["scenarios"]["a"]["hash"] == content_hash(TINY.model_dump(mode="json"))
    assert prov["scenarios"]["a"]["hash"] != prov["scenarios"]["b"]["hash"]
    assert prov["scenarios"]["b"]["scenario"]["manager"]["hours_per_week"] == 12
    path, _ = ex.write(tmp_path / "ex.parquet")
    back = load_experiment(path)
    pd.testing.assert_frame_equal(back.results, ex.results)
    assert back.provenance == json.loads(json.dumps(prov)) and back.baseline == "a"
    with pytest.raises(ConfigError, match="does not exist"):
        load_experiment(tmp_path / "nope.csv")


def test_every_metric_has_a_definition():
    from simulation.metric_definitions import describe_metric

    assert all(describe_metric(m) is not None for m in METRIC_NAMES)
    for m in ("diag_retention", "phase_active", "level_core"):
        assert describe_metric(m) is not None


# --------------------------------------------------------------------------- CLI
@pytest.fixture(scope="module")
def app():
    from cop.cli import app

    return app


def test_cli_intervention_and_set_without_a_scenario_file(app, tmp_path):
    out = tmp_path / "r.csv"
    res = runner.invoke(app, ["experiment", "baseline_coworking", "--intervention", "manager_hours",
                              "--set", "manager_hours.hours_per_week=10", "--set", "space.years=0.15",
                              "--set", "arrivals.initial_members=12", "-n", "1", "--seed", "2",
                              "--executor", "sequential", "--no-progress", "-o", str(out)])
    assert res.exit_code == 0, res.output
    r = pd.read_csv(out)
    assert list(dict.fromkeys(r["scenario"])) == ["baseline_coworking", "baseline_coworking+manager_hours"]
    prov = json.loads((tmp_path / "r_provenance.json").read_text(encoding="utf-8"))
    sc = prov["scenarios"]["baseline_coworking+manager_hours"]["scenario"]
    assert sc["interventions"][-1] == {"name": "manager_hours", "start_month": 0, "hours_per_week": 10.0}
    assert prov["scenarios"]["baseline_coworking"]["scenario"]["space"]["years"] == 0.15
    assert prov["inputs"]["baseline"] == "baseline_coworking" and prov["root_seed"] == 2
    # --resume after an interruption: the missing run is made again, the results are byte-identical
    first = out.read_bytes()
    runs = sorted((tmp_path / "r.runs").glob("run-*.parquet"))
    assert len(runs) == 2
    runs[0].unlink()
    res = runner.invoke(app, ["experiment", "baseline_coworking", "--intervention", "manager_hours",
                              "--set", "manager_hours.hours_per_week=10", "--set", "space.years=0.15",
                              "--set", "arrivals.initial_members=12", "-n", "1", "--seed", "2", "--resume",
                              "--executor", "sequential", "--no-progress", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes() == first and runs[0].exists()


def test_cli_bad_design_and_bad_options_are_one_message(app, tmp_path):
    bad = tmp_path / "points.csv"
    bad.write_text("manager.hours_per_week\n20\n-3\n", encoding="utf-8")
    res = runner.invoke(app, ["experiment", "baseline_coworking", "--design", str(bad), "-o", str(tmp_path / "r.csv")])
    assert res.exit_code == 1 and "row 3, column 'manager.hours_per_week'" in " ".join(res.output.split())
    assert "Traceback" not in res.output
    res = runner.invoke(app, ["experiment", "baseline_coworking", "--design", str(bad), "--sweep", "events.cadence_days=7,14",
                              "-o", str(tmp_path / "r.csv")])
    assert res.exit_code == 1 and "--sweep and --design" in res.output
    res = runner.invoke(app, ["experiment", "baseline_coworking", "--sample", "lhs", "-o", str(tmp_path / "r.csv")])
    assert res.exit_code == 1 and "--range" in res.output
    res = runner.invoke(app, ["experiment", "baseline_coworking", "--baseline", "no_such_scenario", "-o", str(tmp_path / "r.csv")])
    assert res.exit_code == 1 and "unknown scenario" in res.output


@pytest.mark.slow
def test_cli_sobol_over_four_parameters_writes_indices_and_the_report(app, tmp_path):
    pytest.importorskip("SALib")
    out = tmp_path / "s.csv"
    res = runner.invoke(app, ["experiment", "baseline_coworking", "--set", "space.years=0.15",
                              "--set", "arrivals.initial_members=12", "--sample", "sobol", "--samples", "4",
                              "--range", "manager.hours_per_week=10:40", "--range", "events.cadence_days=7:30",
                              "--range", "members.exit_hazard_per_month=0.01:0.05",
                              "--range", "encounters.tie_threshold=1:4", "-n", "1", "--seed", "3",
                              "--no-progress", "-o", str(out), "--report", str(tmp_path / "s.html")])
    assert res.exit_code == 0, res.output
    r = load_experiment(out).results
    assert r.groupby(["parameters", "replicate"]).ngroups == 4 * (4 + 2) + 1  # the design and the baseline
    sens = pd.read_csv(tmp_path / "s_sensitivity.csv")
    per_output = sens.groupby("output").size()
    assert (per_output == 4 * 2).all() and len(per_output) >= 5  # S1 and ST of four parameters per metric
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert 'id="fig-sensitivity"' in html and 'id="provenance"' in html


# --------------------------------------------------------------------------- comparison report
def _toy_results() -> pd.DataFrame:
    """Two scenarios x 3 replicates: whole-run paired differences 1, 2, 3; monthly events 0, 0, 5 (a band that would go below 0)."""
    rows = []
    for r, (b, t) in enumerate([(10, 11), (12, 14), (11, 14)]):
        rows += [("base", "", r, r, "all", "active_members", b), ("tool", "", r, r, "all", "active_members", t)]
        for scen in ("base", "tool"):
            rows.append((scen, "", r, r, "2024-01", "events", [0, 0, 5][r]))
            rows.append((scen, "", r, r, "2024-01", "newcomers_with_tie_share", [1.0, 1.0, 0.4][r]))
    return pd.DataFrame(rows, columns=["scenario", "parameters", "replicate", "seed", "period", "metric", "value"])


def test_effect_sizes_are_paired_with_their_intervals():
    from scipy import stats

    from cop.report.comparison import effects

    e = effects(_toy_results()).iloc[0]
    t = stats.t.ppf(0.975, 2)
    assert e["difference"] == pytest.approx(2.0) and e["sd_difference"] == pytest.approx(1.0)
    assert (e["ci_low"], e["ci_high"]) == pytest.approx((2 - t / np.sqrt(3), 2 + t / np.sqrt(3)))
    assert e["effect_size"] == pytest.approx(2.0)
    half = t * np.sqrt(1 / 3 + 4 / 6)
    assert (e["es_low"], e["es_high"]) == pytest.approx((2 - half, 2 + half))


def test_bands_are_clipped_to_the_feasible_range():
    from cop.report.comparison import over_time

    ot = over_time(_toy_results()).set_index(["variant", "metric"])
    events = ot.loc[("base", "events")]
    assert events["mean"] == pytest.approx(5 / 3)
    assert events["mean"] - stats_half(np.array([0, 0, 5])) < 0 and events["ci_low"] == 0.0
    share = ot.loc[("base", "newcomers_with_tie_share")]
    assert share["mean"] + stats_half(np.array([1, 1, 0.4])) > 1 and share["ci_high"] == 1.0


def stats_half(x: np.ndarray) -> float:
    from scipy import stats

    return float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x)))


def test_report_states_method_definitions_provenance_and_dodges_markers():
    from cop.provenance import provenance
    from cop.report.comparison import _effects_figure, effects, render_comparison

    res = _toy_results()
    three = pd.concat([res, res[res["scenario"] == "tool"].assign(scenario="tool2")], ignore_index=True)
    html = render_comparison(three, provenance=provenance(scenarios={"base": {"a": 1}}, root_seed=5))
    assert "paired t" in html and "n − 1 degrees of freedom" in html
    assert 'id="metrics"' in html and "mean over months" in html  # the whole-run statistic of active_members
    assert 'id="provenance"' in html and "root seed" in html and "sha256" in html
    fig = _effects_figure(effects(three), ["base", "tool", "tool2"])
    ys = [tr.y[0] for tr in fig.data]
    assert len(set(ys)) == 2 and abs(ys[0] - ys[1]) > 0.2  # the two scenarios' markers of one metric do not overlap
    assert len({tr.marker.symbol for tr in fig.data}) == 2  # told apart without colour


def test_diagnosis_json_provenance_hashes_the_inputs_and_names_no_file_when_pseudonymized(app, tmp_path):
    import hashlib

    import cop

    paths = cop.example_paths()
    out = tmp_path / "d.json"
    res = runner.invoke(app, ["diagnose", str(paths["activities"]), "--format", "json", "--pseudonymize",
                              "--salt", "s", "-o", str(out)])
    assert res.exit_code == 0, res.output
    prov = json.loads(out.read_text(encoding="utf-8"))["provenance"]
    expected = hashlib.sha256(paths["activities"].read_bytes()).hexdigest()
    assert prov["inputs"]["files"] == {"input-1": expected}
    assert prov["inputs"]["options"]["freq"] == "MS" and prov["time"] and prov["cop_version"] == cop.__version__


def test_a_repeated_design_point_runs_once():
    points = [{"manager.hours_per_week": 10}, {"manager.hours_per_week": 20}, {"manager.hours_per_week": 10}]
    ex = run_experiment(TINY, sweep=points, seed=1, executor="sequential", metrics=log_metrics)
    assert ex.results.groupby(["parameters", "replicate"]).ngroups == 3  # baseline, 10, 20
    assert (ex.summary["n"] == 1).all()
