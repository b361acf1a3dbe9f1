"""docs/model.md lists every scenario parameter with its default (the ODD parameter table)."""

from pathlib import Path

from simulation.config import Scenario

PAGE = (Path(__file__).resolve().parents[1] / "docs" / "model.md").read_text(encoding="utf-8")
SECTIONS = ("space", "arrivals", "members", "encounters", "groups", "manager", "events", "collaborations")


def test_parameter_table_lists_every_parameter_and_its_default():
    rows = {line.split("`")[1]: line for line in PAGE.splitlines() if line.startswith("| `")}
    for section in SECTIONS:
        for name, field in Scenario.model_fields[section].annotation.model_fields.items():
            key = f"{section}.{name}"
            assert key in rows, f"{key} missing from docs/model.md"
            cells = [c.strip() for c in rows[key].split("|")]
            assert cells[5] == str(field.default), (key, cells[5], field.default)
            assert cells[6], f"{key}: no source of the default"


def test_odd_sections_present():
    for heading in ("## 1. Purpose", "## 2. Entities", "## 3. Process overview", "## 4. Design concepts",
                    "## 5. Initialisation", "## 6. Input data", "## 7. Submodels"):
        assert heading in PAGE
