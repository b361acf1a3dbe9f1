"""The model's behavioural constants are named, documented, ranged scenario parameters that sweeps can change."""

from __future__ import annotations

import pytest

from cop.exceptions import ConfigError
from simulation import Scenario, parse_sweep, run, run_experiment
from simulation.config import scenario_from_dict
from simulation.metrics import log_metrics

#: the constants that were inline in the processes, with the values they had there
FORMER_CONSTANTS = {
    # presence_floor (0.3) and presence_per_engagement (0.7) were recalibrated to the share of members coming
    # >= 3 days a week (tests/test_sim_facts.py); their former values are no longer the defaults
    "members.newcomer_presence_factor": 0.6,
    "encounters.base_partner_weight": 1.0, "encounters.tie_weight_cap": 1.0,
    "encounters.newcomer_receptiveness": 0.4, "encounters.tie_per_conversation": 1.0,
    "encounters.shared_topic_value_bonus": 1.0,
    "events.theme_share": 0.6, "events.social_relevance_factor": 0.4, "events.engagement_weight": 2.5,
    "events.familiarity_ties": 5.0, "events.newcomer_penalty": 0.7,
    "events.relevant_value_bonus": 1.0,
    "manager.introduction_engagement_floor": 0.2, "manager.introduction_topic_weight": 2.0,
    "manager.tie_per_introduction": 1.5, "manager.request_engagement_floor": 0.3,
    "manager.newcomer_request_factor": 2.0,
    "collaborations.strong_tie_factor": 2.0, "collaborations.tie_per_collaboration": 2.0,
    "arrivals.topic_popularity_exponent": 0.6,
}

SMALL = Scenario(space={"years": 0.4}, arrivals={"initial_members": 30})


@pytest.mark.parametrize("path, value", sorted(FORMER_CONSTANTS.items()))
def test_defaults_are_the_former_constants_with_unit_and_range(path, value):
    section, key = path.split(".")
    info = type(getattr(Scenario(), section)).model_fields[key]
    assert getattr(getattr(Scenario(), section), key) == value
    assert info.description.endswith("]") and info.json_schema_extra["unit"]
    assert any(hasattr(m, "le") for m in info.metadata), f"{path} has no upper bound"


def test_out_of_range_behaviour_parameter_names_its_range():
    with pytest.raises(ConfigError, match=r"key 'events.theme_share' = 2 is out of range \[0, 1\] share"):
        scenario_from_dict({"events": {"theme_share": 2}})


def test_old_scenario_files_keep_loading(tmp_path):
    from scenarios import load_scenario

    f = tmp_path / "old.toml"
    f.write_text('extends = "baseline_coworking"\n[manager]\nhours_per_week = 30\n')
    s = load_scenario(f)
    assert s.manager.tie_per_introduction == 1.5 and s.manager.hours_per_week == 30


@pytest.mark.parametrize("path, value", [("manager.tie_per_introduction", 6.0),
                                         ("members.presence_floor", 0.9),
                                         ("events.engagement_weight", 0.0)])
def test_changing_a_behaviour_parameter_changes_the_run(path, value):
    base = run(SMALL, seed=3).participations
    section, key = path.split(".")
    default = getattr(getattr(Scenario(), section), key)
    assert run(SMALL.with_params({path: default}), seed=3).participations.equals(base)
    assert not run(SMALL.with_params({path: value}), seed=3).participations.equals(base)


def test_presence_floor_sweep_raises_presence():
    key, values = parse_sweep("members.presence_floor=0.1,0.9")
    ex = run_experiment(SMALL, sweep={key: values}, replicates=1, seed=2, executor="sequential", metrics=log_metrics)
    allrun = ex.results[(ex.results["period"] == "all") & (ex.results["metric"] == "participations")]
    by_value = dict(zip(allrun[key], allrun["value"]))
    assert by_value[0.9] > 1.5 * by_value[0.1]  # presence rows dominate the log and scale with the floor


def test_removed_theme_bonus_key_fails_saying_what_replaces_it():
    with pytest.raises(ConfigError, match=r"collaborations.theme_bonus' was removed: .*shared topics"):
        scenario_from_dict({"collaborations": {"theme_bonus": 1.0}})


@pytest.mark.parametrize("data, names", [
    ({"members": {"large_company_openness": 0.4}}, ["encounters.colleague_affinity", "members.team_room_share"]),
    ({"events": {"large_company_penalty": 1.5}}, ["events.familiarity_ties"]),
    ({"collaborations": {"story_value": 0.02}}, ["collaborations.story_learning"]),
    ({"interventions": [{"name": "success_stories", "story_value": 0.03}]}, ["'learning'"]),
    ({"interventions": [{"name": "onboarding_program", "engagement_boost": 0.1}]}, ["'introductions'"]),
])
def test_removed_keys_fail_naming_what_replaces_them(data, names):
    with pytest.raises(ConfigError, match="was removed") as e:
        scenario_from_dict(data)
    for n in names:
        assert n in str(e.value)


def test_ablation_scenarios_switch_one_mechanism_off():
    from scenarios import load_scenario

    base = load_scenario("baseline_coworking")
    for name, path, off in [("ablation_no_homophily", "encounters.colleague_affinity", 0.0),
                            ("ablation_no_group_interactions", "groups.lunch_share", 0.0),
                            ("ablation_no_brokering", "manager.brokered_per_week", 0.0),
                            ("ablation_no_story_learning", "collaborations.story_learning", 0.0),
                            ("ablation_no_onboarding_introductions", "manager.onboarding_introductions", 0),
                            ("ablation_single_plan", "arrivals.share_day_pass", 0.0),
                            ("ablation_no_seasonality", "space.summer_presence_factor", 1.0)]:
        s = load_scenario(name)
        section, key = path.split(".")
        assert getattr(getattr(s, section), key) == off != getattr(getattr(base, section), key), name
