"""The HTML health report and the comparison report: content, self-containment, escaping, determinism."""

from __future__ import annotations

import html
import re
import shlex
import subprocess
from html.parser import HTMLParser

import pandas as pd
import pytest

from cop.report import (
    INTERVENTION_COMMANDS,
    comparison_report,
    render_comparison,
    render_report,
    write_report,
)
from cop.report.comparison import effects, over_time

SECTIONS = ("headline", "recommendations", "indicators", "participation", "patterns", "network", "timeline", "organizations")
FIGURES = ("fig-pyramid", "fig-flows", "fig-levels", "fig-network", "fig-timeline", "fig-organizations", "fig-dependency")


class _Refs(HTMLParser):
    """Collects everything a browser would fetch: script src, link href, img/iframe src, CSS url() and @import."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self._in_style = False
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.fetched.append(a["src"])
        if tag == "link" and a.get("href"):
            self.fetched.append(a["href"])
        if a.get("style"):
            self.styles.append(a["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def external_references(html: str) -> list[str]:
    """URLs the page would load for scripts, styles, fonts or media."""
    p = _Refs()
    p.feed(html)
    css = "\n".join(p.styles)
    found = [u for u in p.fetched if not u.startswith(("data:", "#"))]
    found += re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css)
    found += re.findall(r"@import\s+[^;]+", css)
    found += ["@font-face"] if "@font-face" in css else []
    return found


@pytest.fixture(scope="module")
def example_html(example_diagnosis):
    return render_report(example_diagnosis)


def test_example_report_has_every_section_and_chart(example_html, example_diagnosis):
    assert example_html.startswith("<!DOCTYPE html>")
    for anchor in SECTIONS:
        assert f'id="{anchor}"' in example_html
    for fig in FIGURES:
        assert f'<div class="plot" id="{fig}"' in example_html
    assert example_diagnosis.phase in example_html
    # every recommendation is there with its ready-to-run command
    for intervention in example_diagnosis.recommendations["intervention"]:
        if intervention in INTERVENTION_COMMANDS:
            assert html.escape(INTERVENTION_COMMANDS[intervention], quote=True) in example_html
    # every indicator has its card with its explanation
    for name in example_diagnosis.indicators["name"]:
        assert f'id="ind-{name}"' in example_html
    # plotly.js embedded exactly once
    assert example_html.count("<script type=\"text/javascript\">") == 1


def test_report_is_self_contained(example_html):
    assert external_references(example_html) == []
    assert "cdn.plot.ly/plotly" not in example_html
    assert '<script src' not in example_html


def test_report_size_is_reasonable(example_html):
    size = len(example_html.encode())
    assert 4_000_000 < size < 8_000_000  # plotly.js is ~4.8 MB; the data add a few hundred kB


def test_report_is_deterministic(example_diagnosis, example_html):
    assert render_report(example_diagnosis) == example_html


def test_write_report_is_atomic_and_titled(example_diagnosis, tmp_path):
    path = write_report(example_diagnosis, tmp_path / "report.html", title="Kallio <Hub>")
    assert path.exists() and not list(path.parent.glob(".*.tmp"))
    text = path.read_text(encoding="utf-8")
    assert "<title>Kallio &lt;Hub&gt;</title>" in text


def test_small_hand_built_log(small_log):
    from cop.diagnosis import diagnose

    page = render_report(diagnose(small_log))
    assert external_references(page) == []
    assert 'id="fig-network"' in page and 'id="fig-pyramid"' in page


def test_log_without_side_tables_shows_placeholders():
    from cop import ActivityLog
    from cop.diagnosis import diagnose

    log = ActivityLog.from_frame(pd.DataFrame({
        "activity_id": ["a", "a", "b", "b", "c"],
        "member_id": ["x", "y", "x", "z", "y"],
        "timestamp": ["2024-01-02", "2024-01-02", "2024-02-03", "2024-02-03", "2024-03-04"],
    }))
    html = render_report(diagnose(log))
    assert "No coordinator (manager or staff) is known." in html or 'id="fig-dependency"' in html
    assert 'class="empty"' in html  # at least one honest placeholder instead of an empty chart
    assert external_references(html) == []


def test_user_text_is_escaped():
    from cop import ActivityLog
    from cop.diagnosis import diagnose

    evil = '<img src=x onerror=alert(1)>'
    frame = pd.DataFrame({
        "activity_id": ["e1"] * 3 + ["e2"] * 3 + ["e3"] * 2,
        "member_id": ["ann", "bo</script>", "cy", "ann", "bo</script>", "cy", "ann", "cy"],
        "timestamp": ["2024-01-05"] * 3 + ["2024-02-05"] * 3 + ["2024-03-05"] * 2,
    })
    members = pd.DataFrame({"member_id": ["ann", "bo</script>", "cy"], "organization": [evil, evil, "Org & Co"],
                            "role": ["manager", "member", "member"]})
    html = render_report(diagnose(ActivityLog.from_frame(frame, members, emit_warnings=False)))
    assert evil not in html
    assert "bo</script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html or "\\u003cimg" in html


# --------------------------------------------------------------------------- comparison
@pytest.fixture(scope="module")
def experiment():
    from simulation import Scenario, run_experiment

    base = Scenario(name="baseline_small", space={"years": 0.4}, arrivals={"initial_members": 25})
    tool = base.model_copy(update={"name": "tool"}).with_params({}, source="tool")
    tool = Scenario(name="tool", space={"years": 0.4}, arrivals={"initial_members": 25},
                    interventions=[{"name": "matchmaking_tool"}])
    return run_experiment({"baseline_small": base, "tool": tool}, replicates=3, seed=3, executor="sequential")


@pytest.mark.slow
def test_comparison_effects_are_paired_differences(experiment):
    eff = effects(experiment.results)
    assert eff.attrs["baseline"] == "baseline_small"
    assert set(eff["variant"]) == {"tool"}
    whole = experiment.results[experiment.results["period"] == "all"]
    w = whole.pivot_table(index=["metric", "replicate"], columns="scenario", values="value")
    expected = (w["tool"] - w["baseline_small"]).groupby(level="metric").mean()
    got = eff.set_index("metric")["difference"]
    pd.testing.assert_series_equal(got.sort_index(), expected.reindex(got.index).sort_index(), check_names=False)
    assert (eff["ci_low"] <= eff["difference"]).all() and (eff["difference"] <= eff["ci_high"]).all()


@pytest.mark.slow
def test_comparison_over_time_has_bands(experiment):
    ot = over_time(experiment.results)
    assert {"variant", "metric", "period", "mean", "ci_low", "ci_high"} <= set(ot.columns)
    assert ot["period"].ne("all").all() and ot["ci_low"].notna().any()


@pytest.mark.slow
def test_comparison_report_file(experiment, tmp_path):
    # the call style of `cop experiment --report` and the (results, summary, path) style
    p1 = comparison_report(experiment, tmp_path / "a.html")
    p2 = comparison_report(experiment.results, experiment.summary, tmp_path / "b.html", baseline="tool")
    html = p1.read_text(encoding="utf-8")
    assert 'id="fig-over-time"' in html and 'id="fig-effects"' in html
    assert "baseline: baseline_small" in html
    assert "baseline: tool" in p2.read_text(encoding="utf-8")
    assert external_references(html) == []


@pytest.mark.slow
def test_comparison_tolerates_missing_period_and_single_scenario(experiment):
    whole = experiment.results[experiment.results["period"] == "all"].drop(columns=["period"])
    html = render_comparison(whole)
    assert 'id="fig-effects"' in html and 'id="fig-over-time"' not in html
    one = experiment.results[experiment.results["scenario"] == "tool"]
    assert "nothing to compare with" in render_comparison(one)
    assert "no results" in render_comparison(experiment.results.iloc[:0])


@pytest.mark.slow
def test_comparison_unknown_baseline_is_a_clear_error(experiment):
    from cop.exceptions import ConfigError

    with pytest.raises(ConfigError, match="baseline"):
        render_comparison(experiment.results, baseline="nope")


# --------------------------------------------------------------------------- commands
def _check_command(command: str, tmp_path, baseline: str) -> None:
    """A command is one ``cop experiment`` line (no shell syntax) whose scenarios, sweeps and intervention validate."""
    from scenarios import load_scenario, list_scenarios
    from simulation import parse_sweep

    assert "&&" not in command and ">" not in command and "printf" not in command and "'" not in command
    args = shlex.split(command)
    assert args[:2] == ["cop", "experiment"]
    scenarios, sweeps, sets, interventions = [], [], [], []
    i = 2
    while i < len(args):
        if args[i] == "--sweep":
            sweeps.append(args[i + 1])
        elif args[i] == "--intervention":
            interventions.append(args[i + 1])
        elif args[i] == "--set":
            sets.append(args[i + 1])
        elif not args[i].startswith("-"):
            scenarios.append(args[i])
            i += 1
            continue
        i += 2
    assert scenarios[0] == baseline
    from simulation.variants import split_settings, with_intervention

    per_iv, scenario_keys = split_settings(sets, interventions)
    assert not scenario_keys, "the commands set only the added intervention's parameters"
    for s in scenarios:
        path = tmp_path / s
        sc = load_scenario(path if path.exists() else s)
        assert s in list_scenarios() or path.exists(), s
        for sw in sweeps:
            key, values = parse_sweep(sw)
            for v in values:
                sc.with_params({key: v})
        for name in interventions:  # the way cop experiment builds the compared scenario
            with_intervention(sc, name, per_iv[name])
    intervention = interventions
    assert len(scenarios) > 1 or sweeps or intervention, "a command must compare something with the baseline"
    assert "--report" in args


@pytest.mark.parametrize("intervention", sorted(INTERVENTION_COMMANDS))
def test_intervention_commands_are_runnable(intervention, tmp_path):
    """Every scenario, sweep key and intervention parameter in the commands exists, on the generic baseline."""
    _check_command(INTERVENTION_COMMANDS[intervention], tmp_path, "baseline_coworking")


@pytest.mark.parametrize("intervention", sorted(INTERVENTION_COMMANDS))
def test_intervention_commands_on_a_calibrated_baseline(intervention, tmp_path):
    """With a fitted scenario (a file extending the baseline), every command tests the lever on that file."""
    from cop.report.commands import command_for

    (tmp_path / "my fit").mkdir()
    (tmp_path / "my fit" / "fitted.toml").write_text('extends = "baseline_coworking"\nname = "fitted"\n'
                                                     '[arrivals]\ninitial_members = 30\n', encoding="utf-8")
    command = command_for(intervention, baseline="my fit/fitted.toml")
    assert command.startswith('cop experiment "my fit/fitted.toml" ')
    assert "baseline_coworking" not in command and "themed_space" not in command  # the twin, not the generic space
    _check_command(command, tmp_path, "my fit/fitted.toml")


def test_report_says_which_baseline_the_commands_use(example_diagnosis):
    generic = render_report(example_diagnosis)
    assert "generic coworking space" in generic and "--baseline fitted.toml" in generic
    fitted = render_report(example_diagnosis, baseline="fitted.toml")
    assert "calibrated to your own log" in fitted and "generic coworking space" not in fitted
    cmds = re.findall(r"<code>(cop experiment [^<]*)</code>", fitted)
    assert cmds and all(c.startswith("cop experiment fitted.toml ") for c in cmds)


def test_commands_cover_the_shared_interventions():
    from simulation import INTERVENTION_NAMES

    shared = {"theme", "manager_hours", "event_cadence", "matchmaking_tool", "seat_cap", "onboarding_program",
              "success_stories", "external_speakers"}
    assert shared <= set(INTERVENTION_COMMANDS)
    assert shared <= set(INTERVENTION_NAMES)


def test_recommendation_interventions_have_commands(example_diagnosis):
    assert set(example_diagnosis.recommendations["intervention"]) <= set(INTERVENTION_COMMANDS)


def test_diagnosis_to_html(example_diagnosis, tmp_path, example_html):
    assert example_diagnosis.to_html() == example_html
    example_diagnosis.to_html(tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == example_html


def test_partial_last_period_is_drawn_faint_and_not_plotted_as_an_indicator():
    import cop
    from cop.report.figures import timeline_figure

    d = cop.diagnose(cop.load_example(), as_of="2025-06-10")  # June 2025 is covered for 9 of 30 days
    partial = d.timeline["partial"]
    assert bool(partial.iloc[-1]) and not partial.iloc[1:-1].any()  # the data also starts on 2 January
    fig = timeline_figure(d.timeline)
    bars = [t for t in fig.data if t.type == "bar"]
    opacities = [o for t in bars for o in t.marker.opacity]
    assert len(opacities) == len(partial) and opacities.count(0.35) == int(partial.sum())
    names = {t.name for t in fig.data}
    assert "partial" not in names and "coverage" not in names


# --------------------------------------------------------------------------- plain words, privacy, what changed
def _section_html(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}">')
    return page[start:page.index("</section>", start)]


def test_indicators_have_plain_names_and_units(example_diagnosis, example_html):
    from cop.report.wording import INDICATOR_WORDING, describe

    for r in example_diagnosis.indicators.itertuples():
        assert r.name in INDICATOR_WORDING  # worded on purpose, not the identifier with spaces
        label, value = describe(r.name, r.value)
        card = example_html[example_html.index(f'id="ind-{r.name}"'):]
        card = card[:card.index("</details></div>")]
        assert f"<h4>{html.escape(label)}</h4>" in card and f'<div class="value">{html.escape(value)}</div>' in card
        assert f"<code>{r.name}</code>" in card  # the technical name one click away, inside <details>
    core = example_diagnosis.indicators.set_index("name").loc["core_share", "value"]
    assert describe("core_share", core)[1] == f"{100 * core:.0f} %"
    assert describe("time_to_first_tie", 1.5)[1] == "1.5 days"


def test_design_for_evolution_subtitle_matches_its_cards(example_diagnosis, example_html):
    names = set(example_diagnosis.indicators.loc[example_diagnosis.indicators["principle"] == "design_for_evolution", "name"])
    assert names == {"topic_drift", "domain_coherence"}
    group = example_html[example_html.index("<h3>Design for evolution</h3>"):]
    subtitle = group[:group.index("</p>")]
    assert "topics" in subtitle and "newcomers" not in subtitle


def test_pattern_tables_are_complete_without_repeating_periods(example_diagnosis, example_html):
    stuck = example_diagnosis.patterns[example_diagnosis.patterns["pattern"] == "stuck_periphery"]
    assert len(stuck) > 40  # more than the old 40-row cut
    block = example_html[example_html.index("Stuck at the periphery — "):]
    block = block[:block.index("</details>")]
    assert block.count("<tr>") == len(stuck) + 1  # header + every member
    assert "<th>detail</th>" not in block and "consecutive periods" not in block
    for member in stuck["member_id"]:
        assert f"<td>{member}</td>" in block
    assert "… and" not in example_html


def test_header_shows_the_file_name_only_and_nothing_when_pseudonymized(example_diagnosis):
    source = example_diagnosis.source
    assert source.startswith("/") and source.endswith("activities.csv")
    page = render_report(example_diagnosis)
    assert "data: activities.csv" in page and source not in page
    private = render_report(example_diagnosis, pseudonymized=True)
    assert "activities.csv" not in private and source not in private
    assert "pseudonymized data" in private


def test_embedded_diagnosis_reads_back(example_diagnosis, tmp_path):
    from cop.report import read_previous, report_data

    path = write_report(example_diagnosis, tmp_path / "r.html")
    embedded = read_previous(path)
    assert embedded == report_data(example_diagnosis)
    assert embedded["phase"] == example_diagnosis.phase and embedded["source"] == "activities.csv"
    assert len(embedded["members"]) == len(example_diagnosis.members)


@pytest.fixture(scope="module")
def earlier_diagnosis(example_log):
    from cop.diagnosis import diagnose

    return diagnose(example_log, as_of="2025-01-01")


def test_changes_against_an_earlier_diagnosis(example_diagnosis, earlier_diagnosis, tmp_path):
    from cop.report import compare

    before_json = tmp_path / "before.json"
    earlier_diagnosis.to_json(before_json)
    ch = compare(example_diagnosis, before_json)
    assert (ch.phase_before, ch.phase_now) == (earlier_diagnosis.phase, example_diagnosis.phase)
    # moves worked out directly from the two members tables
    a = earlier_diagnosis.members.set_index("member_id")["level"].astype(str)
    b = example_diagnosis.members.set_index("member_id")["level"].astype(str)
    both = a.index.intersection(b.index)
    changed = (a[both] != b[both])
    expected = pd.DataFrame({"from": a[both][changed], "to": b[both][changed]}).value_counts()
    got = ch.moves[~ch.moves["from_level"].isin(["(new)"]) & ~ch.moves["to_level"].isin(["(left)"])]
    assert {(r.from_level, r.to_level): r.count for r in got.itertuples()} == {k: int(v) for k, v in expected.items()}
    assert ch.joined == len(b.index.difference(a.index)) and ch.left == len(a.index.difference(b.index))
    assert ch.members_in_common == len(both)
    # indicator directions follow the status order critical < watch < healthy
    rank = {"critical": 0, "watch": 1, "healthy": 2}
    for r in ch.indicators.itertuples():
        if r.status_before in rank and r.status_now in rank and r.status_before != r.status_now:
            assert r.direction == ("better" if rank[r.status_now] > rank[r.status_before] else "worse")


def test_report_with_previous_shows_what_changed(example_diagnosis, earlier_diagnosis, tmp_path):
    old_report = write_report(earlier_diagnosis, tmp_path / "old.html")
    page = render_report(example_diagnosis, previous=old_report)  # a previous report's embedded JSON
    changes = _section_html(page, "changes")
    assert "What changed since last time" in changes and "2025-01-01" in changes
    assert f"Since 2025-01-01:</b>" in _section_html(page, "headline")
    moved = example_diagnosis.members.merge(earlier_diagnosis.members, on="member_id", suffixes=("", "_before"))
    moved = moved[moved["level"].astype(str) != moved["level_before"].astype(str)]
    assert len(moved) > 0
    assert str(moved["member_id"].iloc[0]) in changes
    private = _section_html(render_report(example_diagnosis, previous=old_report, pseudonymized=True), "changes")
    assert str(moved["member_id"].iloc[0]) not in private and "pseudonymized" in private
    assert render_report(example_diagnosis, previous=earlier_diagnosis) == page  # the object works as well as the file


@pytest.mark.parametrize("content, message", [
    ("phase: active\n", "is not JSON (line 1, column 1"),
    ("[1, 2]", "holds a JSON list, not a diagnosis object"),
    ('{"phase": "active"}', "is not a cop diagnosis (no 'as_of', 'indicators')"),
    ("<!DOCTYPE html><html><body>hello</body></html>", "is an HTML page without an embedded diagnosis"),
    ('{"as_of": "soon", "phase": "active", "indicators": []}', "'as_of' is 'soon', not a date"),
])
def test_bad_previous_is_one_clear_error(example_diagnosis, tmp_path, content, message):
    from cop.exceptions import FileFormatError

    path = tmp_path / "previous.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FileFormatError) as info:
        render_report(example_diagnosis, previous=path)
    assert str(info.value).startswith(str(path)) and message in str(info.value)
    assert "cop diagnose --format json" in str(info.value)


def test_missing_previous_names_the_file(example_diagnosis, tmp_path):
    from cop.exceptions import FileFormatError

    with pytest.raises(FileFormatError, match="nope.json: no such file"):
        render_report(example_diagnosis, previous=tmp_path / "nope.json")
