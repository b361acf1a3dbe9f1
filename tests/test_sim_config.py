"""Scenario configuration and the scenario library: strict validation, names, ranges, extends."""

from __future__ import annotations

import pytest

import simulation
from cop.exceptions import ConfigError
from scenarios import list_scenarios, load_scenario
from simulation.config import INTERVENTION_NAMES, Scenario, scenario_from_dict

LIBRARY = {
    "baseline_coworking",
    "themed_space",
    "overloaded_manager",
    "matchmaking_tool",
    "big_company_caps",
    "fading_community",
}


def test_exported_names():
    assert sorted(simulation.__all__) == sorted(
        [
            "Scenario", "scenario_from_dict", "INTERVENTION_NAMES", "run", "SimulationResult", "run_experiment",
            "ExperimentResult", "Executor", "parse_sweep", "replicate_seeds", "summarize", "default_metrics",
            "log_metrics", "METRIC_NAMES",
            # research workflow (#14): designs, sensitivity, provenance/resume, calibration
            "Design", "RunStore", "analyze_model", "describe_metric", "experiment_sensitivity", "load_experiment",
            "parse_range", "read_design", "sample_design", "sensitivity_indices", "with_intervention",
            "calibrate", "CalibrationResult", "calibration_statistics",
        ]
    )
    for name in simulation.__all__:
        assert hasattr(simulation, name)


def test_library_lists_and_loads_every_scenario():
    assert LIBRARY <= set(list_scenarios())
    for name in LIBRARY:
        s = load_scenario(name)
        assert s.name == name
        assert s.description


def test_library_scenarios_mean_what_they_say():
    assert load_scenario("overloaded_manager").manager.hours_per_week == 20
    assert [iv.name for iv in load_scenario("themed_space").interventions] == ["theme"]
    fading = load_scenario("fading_community").interventions[0]
    assert (fading.name, fading.start_month) == ("manager_leaves", 18)
    assert load_scenario("big_company_caps").interventions[0].max_seats == 4
    assert load_scenario("matchmaking_tool").interventions[0].adoption_rate == 0.6


def test_intervention_names_match_the_diagnosis_vocabulary():
    expected = {"theme", "manager_hours", "event_cadence", "matchmaking_tool", "seat_cap", "onboarding_program",
                "success_stories", "external_speakers"}
    assert expected <= set(INTERVENTION_NAMES)


def test_out_of_range_names_key_path_range_and_unit(tmp_path):
    f = tmp_path / "x.toml"
    f.write_text('extends = "baseline_coworking"\n[manager]\nhours_per_week = 90\n')
    with pytest.raises(ConfigError) as e:
        load_scenario(f)
    assert str(e.value) == "scenario 'x.toml': key 'manager.hours_per_week' = 90 is out of range [0, 80] hours/week"


def test_unknown_key_is_an_error_naming_the_path(tmp_path):
    f = tmp_path / "typo.toml"
    f.write_text("[events]\ncadense_days = 7\n")
    with pytest.raises(ConfigError, match=r"scenario 'typo.toml': unknown key 'events.cadense_days'.*cadence_days"):
        load_scenario(f)
    f.write_text("colour = 'red'\n")
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        load_scenario(f)


def test_intervention_errors_name_the_list_index(tmp_path):
    f = tmp_path / "iv.toml"
    f.write_text('[[interventions]]\nname = "theme"\nfit = 1.5\n')
    with pytest.raises(ConfigError, match=r"key 'interventions.0.fit' = 1.5 is out of range \[0, 1\] share"):
        load_scenario(f)
    f.write_text('[[interventions]]\nname = "seat_cap"\nmax_seatz = 3\n')
    with pytest.raises(ConfigError, match=r"unknown key 'interventions.0.max_seatz'; allowed keys: max_seats"):
        load_scenario(f)
    f.write_text('[[interventions]]\nname = "free_beer"\n')
    with pytest.raises(ConfigError, match="not an intervention; expected one of theme"):
        load_scenario(f)


def test_bad_toml_and_unknown_name(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("[space\nyears=1\n")
    with pytest.raises(ConfigError, match="bad.toml.*not valid TOML"):
        load_scenario(f)
    with pytest.raises(ConfigError, match="unknown scenario 'nope'.*baseline_coworking"):
        load_scenario("nope")


def test_config_error_is_value_error_and_models_are_frozen():
    s = Scenario()
    with pytest.raises(ValueError):
        scenario_from_dict({"space": {"years": -1}})
    with pytest.raises(Exception):
        s.manager.hours_per_week = 3  # type: ignore[misc]


def test_with_params_is_a_validated_copy():
    s = load_scenario("baseline_coworking")
    t = s.with_params({"manager.hours_per_week": 25, "space.years": 1})
    assert (s.manager.hours_per_week, t.manager.hours_per_week, t.space.years) == (40, 25, 1)
    with pytest.raises(ConfigError, match="no key 'nothing'"):
        s.with_params({"nothing.here": 1})
    u = load_scenario("fading_community", interventions__0__start_month=6)
    assert u.interventions[0].start_month == 6
