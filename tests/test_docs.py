"""Documentation generated from the code stays in sync with it."""

from __future__ import annotations

from pathlib import Path

from cop.health import INDICATORS, catalogue_markdown, indicator_catalogue

ROOT = Path(__file__).resolve().parents[1]


def test_indicator_page_is_up_to_date():
    page = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert page == catalogue_markdown(), "regenerate with: python -c \"from cop.health import catalogue_markdown; " \
        "open('docs/indicators.md','w').write(catalogue_markdown())\""


def test_catalogue_lists_every_indicator_with_a_reference():
    cat = indicator_catalogue()
    assert list(cat["name"]) == [f.__name__ for f in INDICATORS]
    assert cat["reference"].str.len().gt(20).all()
    assert cat["interventions"].map(len).gt(0).all()


def test_metrics_page_is_up_to_date():
    from simulation.metric_definitions import metrics_markdown

    page = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert page == metrics_markdown(), "regenerate with: python -c \"from simulation.metric_definitions import " \
        "metrics_markdown; open('docs/metrics.md', 'w').write(metrics_markdown())\""
