"""One declaration per intervention: everything else (union, names, texts, commands, labels) derives from it."""

from __future__ import annotations

from typing import ClassVar, Literal

import pytest

from cop.exceptions import ConfigError
from simulation import interventions as iv_mod
from simulation.config import Scenario, scenario_from_dict
from simulation.interventions import Intervention, Trial, declared_interventions


@pytest.fixture
def throwaway():
    """Declare a new intervention in the test only (the declaration is all it takes), then forget it."""

    class FreeCoffeeIntervention(Intervention):
        """Free coffee: members come in more often (a throwaway lever of this test)."""

        label: ClassVar[str] = "Offer free coffee"
        advice: ClassVar[str | None] = "Offer free coffee so members linger and talk."
        trial: ClassVar[Trial | None] = Trial(params={"cups_per_day": 3})

        name: Literal["free_coffee"]
        cups_per_day: int = 2

        def apply(self, levers, space=None):
            levers.cadence_days = 1000 + self.cups_per_day  # an observable effect on a lever

    yield FreeCoffeeIntervention
    iv_mod._forget("free_coffee")


def test_a_new_declaration_appears_everywhere(throwaway):
    import simulation
    from cop.health import INTERVENTIONS
    from cop.recommend import INTERVENTION_TEXT, recommend
    from cop.report import INTERVENTION_COMMANDS, command_for, label_for
    from cop.report.commands import INTERVENTION_LABELS

    assert declared_interventions()["free_coffee"] is throwaway
    assert simulation.INTERVENTION_NAMES[-1] == "free_coffee"
    assert "free_coffee" in INTERVENTIONS
    assert INTERVENTION_TEXT["free_coffee"] == "Offer free coffee so members linger and talk."
    assert INTERVENTION_LABELS["free_coffee"] == label_for("free_coffee") == "Offer free coffee"
    assert INTERVENTION_COMMANDS["free_coffee"] == command_for("free_coffee")
    assert "--intervention free_coffee --set free_coffee.cups_per_day=3 " in command_for("free_coffee")
    # the scenario union validates it, with its own keys and ranges
    s = Scenario(interventions=[{"name": "free_coffee", "cups_per_day": 5}])
    assert isinstance(s.interventions[0], throwaway)
    with pytest.raises(ConfigError, match=r"unknown key 'interventions.0.cups'; allowed keys: cups_per_day"):
        scenario_from_dict({"interventions": [{"name": "free_coffee", "cups": 5}]})
    # its mechanism runs in the model
    from simulation.interventions import apply_intervention
    from simulation.space import Levers

    lv = Levers(hours_per_week=40, cadence_days=30, professional_share=0.5)
    apply_intervention(lv, s.interventions[0])
    assert lv.cadence_days == 1005
    # a recommendation naming it carries its text
    import pandas as pd

    ind = pd.DataFrame({"name": ["x"], "status": ["critical"], "explanation": ["X is low."],
                        "interventions": [["free_coffee"]]})
    assert recommend(ind)["rationale"].item() == "X is low. Offer free coffee so members linger and talk."


def test_forgetting_the_throwaway_restores_the_union(throwaway):
    iv_mod._forget("free_coffee")
    with pytest.raises(ConfigError, match="'free_coffee' is not an intervention"):
        scenario_from_dict({"interventions": [{"name": "free_coffee"}]})


def test_every_declared_intervention_is_complete():
    from cop.health import INTERVENTIONS
    from cop.recommend import INTERVENTION_TEXT
    from cop.report import INTERVENTION_COMMANDS

    decl = declared_interventions()
    assert list(decl)[:3] == ["theme", "manager_hours", "manager_leaves"]
    for name, cls in decl.items():
        assert cls.label and cls.__doc__, name
        assert cls.apply is not Intervention.apply, f"{name} declares no mechanism"
        if cls.advice:  # recommendable: a text, a command and a place in the diagnosis vocabulary
            assert name in INTERVENTIONS and name in INTERVENTION_TEXT and name in INTERVENTION_COMMANDS
        else:
            assert name not in INTERVENTIONS and name not in INTERVENTION_COMMANDS
    assert "manager_leaves" not in INTERVENTIONS  # a lever, never advice


def test_a_declaration_needs_a_label():
    with pytest.raises(TypeError, match="declare its label"):
        class Nameless(Intervention):  # noqa: F841
            name: Literal["nameless_lever"]
    iv_mod._forget("nameless_lever")


def test_trial_takes_exactly_one_way():
    with pytest.raises(ValueError, match="exactly one"):
        Trial(scenario="themed_space", sweep="events.cadence_days=7")


def test_importing_cop_loads_at_most_the_light_declarations():
    """cop reads the declarations lazily; even when an import-time check reads them (cop.health's indicator
    declarations validate their intervention names), only simulation.interventions is loaded — no SimPy, no
    scenario model, no experiment machinery — and that module imports nothing from cop (no cycle)."""
    import ast
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, cop, cop.recommend, cop.report, cop.health; "
            "print(sorted(m for m in sys.modules if m.startswith('simulation') or m == 'simpy'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(eval(out.stdout)) <= {"simulation", "simulation._fields", "simulation.interventions"}
    import simulation.interventions

    for module in ("interventions", "_fields", "__init__"):
        tree = ast.parse(Path(simulation.interventions.__file__).with_name(f"{module}.py").read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in imported if m.split(".")[0] == "cop"}, module


# --------------------------------------------------------------------------- scenario validation (issue 9)
@pytest.mark.parametrize("value, shown, got", [("true", "True", "a boolean (True)"),
                                               ('"300"', "'300'", "a string ('300')")])
def test_lax_kinds_are_rejected_with_one_message(tmp_path, value, shown, got):
    from scenarios import load_scenario

    f = tmp_path / "s.toml"
    f.write_text(f"[space]\nseats = {value}\n")
    with pytest.raises(ConfigError) as e:
        load_scenario(f)
    assert str(e.value) == f"scenario 's.toml': key 'space.seats' = {shown}: expected an integer, got {got}"


def test_kinds_are_strict_for_floats_bools_and_intervention_fields():
    with pytest.raises(ConfigError, match=r"key 'manager.hours_per_week' = '20': expected a number, got a string"):
        scenario_from_dict({"manager": {"hours_per_week": "20"}})
    with pytest.raises(ConfigError, match=r"key 'space.open_weekends' = 1: expected true or false, got int"):
        scenario_from_dict({"space": {"open_weekends": 1}})
    with pytest.raises(ConfigError, match=r"key 'interventions.0.max_seats' = True: expected an integer"):
        scenario_from_dict({"interventions": [{"name": "seat_cap", "max_seats": True}]})
    # integral floats for integers and integers for floats stay accepted (sweeps produce both)
    s = scenario_from_dict({"space": {"seats": 120.0}, "manager": {"hours_per_week": 20}})
    assert (s.space.seats, s.manager.hours_per_week) == (120, 20.0)


@pytest.mark.parametrize("date", ["1500-01-01", "2500-06-01"])
def test_start_date_has_a_documented_range(tmp_path, date):
    from scenarios import load_scenario

    f = tmp_path / "d.toml"
    f.write_text(f"[space]\nstart_date = {date}\n")
    with pytest.raises(ConfigError) as e:
        load_scenario(f)
    assert str(e.value) == (f"scenario 'd.toml': key 'space.start_date' = {date} is out of range "
                            "[1970-01-01, 2200-12-31] date")


def test_theme_topic_must_be_one_of_the_space_topics():
    with pytest.raises(ConfigError) as e:
        scenario_from_dict({"space": {"topics": ["a", "b"]}, "interventions": [{"name": "theme", "topic": "c"}]})
    assert str(e.value) == "scenario '<dict>': key 'interventions.0.topic' = 'c' is not one of space.topics (a, b)"
    ok = scenario_from_dict({"space": {"topics": ["a", "b"]}, "interventions": [{"name": "theme", "topic": "b"}]})
    assert ok.interventions[0].topic == "b"
