"""A manager's own thresholds (issue 13 item 3): ``--settings cop.toml`` / ``cop.diagnose(..., settings=...)``.

The expectations are worked out from the bundled example's own figures, not from cop's output:
29 core members among 136 current members (core share 0.213), and every event of the window in a
recurring format (recurring format share 1.0, watch in cop's 50-90 % healthy band).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cop
from cop.cli import app
from cop.exceptions import ConfigError
from cop.health import indicator_names
from cop.settings import bundled_settings, read_settings

runner = CliRunner()

STRICT = """
title = "Strict"
[indicators.core_share]
healthy = [0.01, 0.10]
watch = [0.005, 0.15]
why = "a small core is expected here"
"""


@pytest.fixture(scope="module")
def example():
    return cop.load_example()


@pytest.fixture(scope="module")
def school(example):
    return cop.diagnose(example, settings="school")


def _status(d, name):
    return d.indicators.set_index("name").loc[name, "status"]


def test_the_example_figures_the_expectations_rest_on(example_diagnosis):
    counts = dict(zip(example_diagnosis.level_counts["level"], example_diagnosis.level_counts["count"]))
    members = sum(v for k, v in counts.items() if k != "outsider")
    value = example_diagnosis.indicators.set_index("name").loc["core_share", "value"]
    assert value == pytest.approx(counts["core"] / members)
    assert 0.15 < value < 0.25  # healthy in cop's 5-25 % band, beyond 15 %: critical under STRICT


def test_a_stricter_range_flips_core_share_to_critical(tmp_path, example, example_diagnosis):
    f = tmp_path / "strict.toml"
    f.write_text(STRICT, encoding="utf-8")
    d = cop.diagnose(example, settings=f)
    assert _status(example_diagnosis, "core_share") == "healthy"
    assert _status(d, "core_share") == "critical"
    # the reference names the custom range and its file; the other indicators are graded as before
    ref = d.indicators.set_index("name").loc["core_share", "reference"]
    assert "1-10 % healthy" in ref and "strict.toml" in ref and "a small core is expected here" in ref
    others = d.indicators[d.indicators["name"] != "core_share"]
    base = example_diagnosis.indicators[example_diagnosis.indicators["name"] != "core_share"]
    assert others["status"].tolist() == base["status"].tolist()
    # a critical indicator is recommended on
    assert "core_share" in d.recommendations["indicator"].tolist() + sum(d.recommendations["also_addresses"].tolist(), [])


def test_school_settings_make_a_fully_recurring_programme_healthy(school, example_diagnosis):
    assert _status(example_diagnosis, "recurring_format_share") == "watch"
    assert _status(school, "recurring_format_share") == "healthy"
    # no advice is given any more for a reading that is healthy on the manager's range
    assert "recurring_format_share" in example_diagnosis.recommendations["indicator"].tolist()
    assert "recurring_format_share" not in school.recommendations["indicator"].tolist()


def test_the_json_records_the_settings(school, example_diagnosis):
    import jsonschema

    data = json.loads(school.to_json())
    assert "settings" not in json.loads(example_diagnosis.to_json())
    s = data["settings"]
    assert s["source"] == "school.toml" and s["title"] == "School"
    assert s["indicators"]["recurring_format_share"]["healthy"] == [0.5, 1.0]
    assert s["indicators"]["recurring_format_share"]["default_healthy"] == [0.5, 0.9]
    assert s["indicators"]["cross_org_tie_share"]["healthy"] == [0.3, None]  # inf is null in JSON
    assert set(s["indicators"]) == {"core_share", "recurring_format_share", "coordinator_involvement_share", "cross_org_tie_share"}
    schema = json.loads((Path(cop.__file__).parent / "schemas" / "diagnosis.schema.json").read_text())
    jsonschema.validate(data, schema)


def _first_screen(html: str) -> str:
    return html[html.index('<section id="headline">'):html.index("</section>", html.index('<section id="headline">'))]


def test_the_report_says_which_ranges_are_its_own(school, example_diagnosis):
    from cop.report import render_report

    html = render_report(school)
    first = re.sub(r"<[^>]+>", "", _first_screen(html))
    assert "Your own reference ranges from School (school.toml) for 4 indicators" in first
    assert "events in recurring formats" in first
    assert html.count('class="custom-tag"') == 4  # one tag per indicator card graded on the file's range
    assert '<h3 id="settings">' in html and "reference_ranges.csv" in html
    plain = render_report(example_diagnosis)
    assert "Your own reference ranges" not in plain and "class=\"custom-tag\"" not in plain


def test_the_report_names_only_the_settings_file(tmp_path, example):
    folder = tmp_path / "private-folder"
    folder.mkdir()
    f = folder / "ours.toml"
    f.write_text(STRICT, encoding="utf-8")
    from cop.report import render_report

    html = render_report(cop.diagnose(example, settings=str(f)))
    assert "ours.toml" in html and "private-folder" not in html


def test_cli_settings_on_diagnose_and_report(tmp_path):
    p = cop.example_paths()
    files = [str(p["activities"]), "--members", str(p["members"]), "--activities", str(p["details"])]
    f = tmp_path / "strict.toml"
    f.write_text(STRICT, encoding="utf-8")
    out = tmp_path / "d.json"
    r = runner.invoke(app, ["diagnose", *files, "--settings", str(f), "--format", "json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text())
    assert data["settings"]["source"] == "strict.toml"
    assert {i["name"]: i["status"] for i in data["indicators"]}["core_share"] == "critical"
    text = runner.invoke(app, ["diagnose", *files, "--settings", "school"])
    assert text.exit_code == 0 and "Your own reference ranges from School (school.toml)" in " ".join(text.output.split())


@pytest.mark.slow
def test_cli_report_with_settings(tmp_path):
    p = cop.example_paths()
    html = tmp_path / "r.html"
    r = runner.invoke(app, ["report", str(p["activities"]), "--members", str(p["members"]), "--settings", "open-source",
                            "-o", str(html)])
    assert r.exit_code == 0, r.output
    assert "Your own reference ranges</b> from Open-source project (open-source.toml)" in html.read_text(encoding="utf-8")


BAD = [
    ("[indicators.core_shar]\nhealthy = [0.1, 0.3]\n", ["[indicators.core_shar]", "unknown indicator", "did you mean core_share"]),
    ("[indicators.zzzz]\nhealthy = [0.1, 0.3]\n", ["[indicators.zzzz]", "unknown indicator", "known: event_cadence_cv"]),
    ("[indicators.core_share]\nhealthy = \"10%\"\n", ["[indicators.core_share.healthy]", "got '10%'", "expected two numbers [low, high]"]),
    ("[indicators.core_share]\nhealthy = [0.5, 0.1]\n", ["[indicators.core_share.healthy]", "low <= high"]),
    ("[indicators.core_share]\nhealthy = [0.1, 0.2, 0.3]\n", ["[indicators.core_share.healthy]", "two numbers"]),
    ("[indicators.core_share]\nhealthy = [true, 0.2]\n", ["[indicators.core_share.healthy]", "got [true, 0.2]"]),
    ("[indicators.core_share]\nhealthy = [0.1, 0.2]\nwatch = [0.5, 0.6]\n",
     ["[indicators.core_share]", "neither overlap nor touch", "expected a watch band"]),
    ("[indicators.core_share]\nhealthy = [0.6, 0.7]\n", ["[indicators.core_share]", "neither overlap nor touch", "watch [0.02, 0.4]"]),
    ("[indicators.core_share]\nhelthy = [0.1, 0.2]\n", ["[indicators.core_share]", "unknown key 'helthy'", "did you mean healthy"]),
    ("[indicators.core_share]\nwhy = \"x\"\n", ["[indicators.core_share]", "expected healthy = [low, high] and/or watch"]),
    ("[indicators]\ncore_share = 0.2\n", ["[indicators.core_share]", "expected a table"]),
    ("tresholds = 1\n", ["unknown key 'tresholds'", "expected title, description, indicators"]),
    ("title = 3\n", ["title: expected a text"]),
    ("[indicators.core_share\nhealthy = [0.1, 0.2]\n", ["not valid TOML", "line 1"]),
]


@pytest.mark.parametrize("text, fragments", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_a_bad_file_gets_one_clear_error(tmp_path, text, fragments):
    f = tmp_path / "mine.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_settings(f)
    message = str(err.value)
    assert message.startswith("mine.toml: ") and str(tmp_path) not in message
    for fragment in fragments:
        assert fragment in message, message


def test_a_bad_file_on_the_command_line_is_one_line_and_exit_1(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(BAD[0][0], encoding="utf-8")
    r = runner.invoke(app, ["diagnose", str(cop.example_paths()["activities"]), "--settings", str(f)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert lines[0].startswith("error: mine.toml: [indicators.core_shar]: unknown indicator")
    missing = runner.invoke(app, ["diagnose", str(cop.example_paths()["activities"]), "--settings", str(tmp_path / "no.toml")])
    assert missing.exit_code == 1 and "no such file" in missing.output and "school" in missing.output


@pytest.mark.parametrize("name", ["online-network", "school", "open-source"])
def test_bundled_examples_load_and_say_why(name):
    s = read_settings(name)
    assert s.source == f"{name}.toml" and s.title and s.description
    assert set(s.names) <= set(indicator_names()) and len(s.names) >= 4
    assert all(t.why for t in s.thresholds)
    assert bundled_settings()[name].read_text(encoding="utf-8") == (Path(cop.__file__).parent / "data" / "settings" / f"{name}.toml").read_text(encoding="utf-8")


def test_a_mapping_and_settings_objects_are_accepted(example):
    s = read_settings({"indicators": {"core_share": {"watch": [0.02, 0.5]}}})
    t = s.get("core_share")
    assert (t.healthy.lo, t.healthy.hi) == (0.05, 0.25)  # the declared healthy band is kept
    assert read_settings(s) is s
    with pytest.raises(ConfigError, match="parameter 'settings'"):
        read_settings(3)


DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_the_documented_file_and_errors_are_what_cop_does(tmp_path):
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", text, flags=re.S).group(1)
    s = read_settings(tomllib_loads(example))
    assert s.names == ("core_share",) and s.title == "Our online network"
    documented = [ln[len("error: "):] for ln in text.splitlines() if ln.startswith("error: ours.toml:") and "(...)" not in ln]
    cases = {"unknown indicator": "[indicators.core_shar]\nhealthy = [0.1, 0.3]\n",
             "got '10%'": "[indicators.core_share]\nhealthy = \"10%\"\n"}
    assert len(documented) == len(cases)
    for line in documented:
        (key,) = [k for k in cases if k in line]
        f = tmp_path / "ours.toml"
        f.write_text(cases[key], encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            read_settings(f)
        assert str(err.value) == line


def tomllib_loads(text):
    import tomllib

    return tomllib.loads(text)
