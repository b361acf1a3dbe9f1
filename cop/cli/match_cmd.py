"""``cop match``: who should meet whom, with reasons (see :mod:`cop.match`).

Examples
--------
>>> from typer.testing import CliRunner
>>> from cop.cli import app
>>> CliRunner().invoke(app, ["match", "--help"]).exit_code
0
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cop.cli.common import (
    AnalysisOptions,
    DebugOpt,
    InputOptions,
    MaxGroupSizeOpt,
    MkdirOpt,
    PseudonymizeOpt,
    SaltOpt,
    analysis_options,
    check_outputs,
    console,
    input_options,
    print_warnings,
    user_errors,
)
from cop.exceptions import ConfigError
from cop.kernel.projection import MAX_GROUP_SIZE

__all__ = ["register", "match", "OUTPUT_SUFFIXES"]

#: Endings of ``--output``.
OUTPUT_SUFFIXES = (".csv", ".html", ".htm")


def _count(option: str, value: int | None) -> None:
    if value is not None and value < 1:
        raise ConfigError(f"option '{option}': {value}; expected a whole number >= 1",
                          hint=f"{option} counts suggestions; leave it out for the default")


@input_options
@analysis_options("as_of", "lookback", "min_tie")
def match(
    inputs: InputOptions,
    analysis: AnalysisOptions,
    for_: Annotated[Optional[list[str]], typer.Option("--for", metavar="MEMBER", show_default=False,
                    help="Suggest introductions for this member (repeatable).")] = None,
    newcomers: Annotated[bool, typer.Option("--newcomers", help="For the newcomers (first seen in the last 60 days).")] = False,
    peripheral: Annotated[bool, typer.Option("--peripheral", help="For members at the periphery (and newcomers).")] = False,
    all_: Annotated[bool, typer.Option("--all", help="For every current member (the default).")] = False,
    top: Annotated[Optional[int], typer.Option("--top", metavar="K", show_default=False,
                   help="Keep the K best suggestions overall.")] = None,
    per_member: Annotated[int, typer.Option("--per-member", metavar="N",
                          help="Suggestions per member, and the most introductions anyone is part of in the round.")] = 3,
    per_week: Annotated[Optional[int], typer.Option("--per-week", metavar="N", show_default=False,
                        help="A weekly plan instead of one round: at most N introductions per person a week.")] = None,
    weeks: Annotated[int, typer.Option("--weeks", help="Weeks of the --per-week plan.")] = 4,
    exclude: Annotated[Optional[Path], typer.Option("--exclude", metavar="FILE", show_default=False,
                       help="CSV of member_id[,suggested_id]: people or pairs never to suggest (last week's "
                            "suggestions.csv works).")] = None,
    include_colleagues: Annotated[bool, typer.Option("--include-colleagues",
                                  help="Also suggest people of the same organization.")] = False,
    weights: Annotated[str, typer.Option("--weights", metavar="fitted|rule",
                       help="fitted: weigh the signals by how well they predicted the ties that formed in the "
                            "window before the as-of date (the rule weights when fewer than 20 formed); "
                            "rule: the documented fixed weights.")] = "fitted",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", show_default=False,
                      help="Write the suggestions: .csv (one row per suggestion) or .html.")] = None,
    max_group_size: MaxGroupSizeOpt = MAX_GROUP_SIZE,
    pseudonymize: PseudonymizeOpt = False,
    salt: SaltOpt = None,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Suggest introductions between people who have no tie yet, each with its reasons in plain words."""
    from cop.match import read_exclusions, resolve_members, suggest_introductions
    from cop.privacy import Pseudonymizer

    with user_errors(debug):
        chosen = [name for name, on in (("--for", bool(for_)), ("--newcomers", newcomers), ("--peripheral", peripheral),
                                        ("--all", all_)) if on]
        if len(chosen) > 1:
            raise ConfigError(f"options {' and '.join(repr(c) for c in chosen)}: give one of --for, --newcomers, "
                              "--peripheral, --all")
        if weights not in ("fitted", "rule"):
            raise ConfigError(f"option '--weights': {weights!r}; expected fitted or rule")
        _count("--top", top)
        _count("--per-member", per_member)
        _count("--per-week", per_week)
        _count("--weeks", weeks)
        if output is not None and output.suffix.lower() not in OUTPUT_SUFFIXES:
            raise ConfigError(f"option '--output': {output.name!r} must end in .csv or .html")
        check_outputs({"--output": output}, [*inputs.paths, exclude], mkdir=mkdir)
        log = inputs.load(pseudonymize=pseudonymize, salt=salt)
        print_warnings(log)
        ids = log.members.index
        pseudo = Pseudonymizer(salt).member if pseudonymize else None
        targets = None
        if for_:
            targets = [x if (pseudo is None or x in ids) else pseudo(x) for x in for_]
            resolve_members(targets, ids, "option '--for'")
        excl = read_exclusions(exclude, ids, pseudonym=pseudo) if exclude is not None else None
        who = "newcomers" if newcomers else ("peripheral" if peripheral else "all")
        s = suggest_introductions(log, targets=targets, who=who, top=top, per_member=per_member, per_week=per_week,
                                  weeks=weeks, exclude=excl, include_colleagues=include_colleagues,
                                  as_of=analysis.as_of, lookback=analysis.lookback, min_tie=analysis.min_tie,
                                  max_group_size=max_group_size, weights=weights)
        if output is not None:
            if output.suffix.lower() == ".csv":
                from cop._atomic import atomic_write_text

                atomic_write_text(output, s.to_csv(index=False))
            else:
                from cop.report.introductions import write_introductions

                write_introductions(s, output, pseudonymized=pseudonymize)
    people = s["member_id"].nunique() if len(s) else 0
    if output is None:
        _print(s)
    console.print(f"{len(s):,} suggestions for {people:,} members" + (f"; wrote {output}" if output is not None else ""),
                  soft_wrap=True)
    if s.attrs.get("weights"):
        console.print(s.attrs["weights"], soft_wrap=True)


def _print(s) -> None:
    from rich.table import Table

    table = Table(show_lines=False)
    # plain headers on screen; the CSV (-o suggestions.csv) keeps the column names member_id, suggested_id, rank,
    # score, reasons, week
    for c in ("member", "could meet", "#", "score", "why") + (("week",) if "week" in s.columns else ()):
        table.add_column(c, overflow="fold", no_wrap=c in ("#", "score", "week"))
    for r in s.head(50).itertuples(index=False):
        table.add_row(str(r.member_id), str(r.suggested_id), str(r.rank), f"{r.score:.2f}", str(r.reasons),
                      *((str(r.week),) if "week" in s.columns else ()))
    console.print(table)
    console.print("[dim]score: from 0 to 1, how much the two have in common, raised a little for newcomers, peripheral "
                  "members and pairs across organizations or groups (docs/matchmaking.md)[/]", soft_wrap=True)
    if len(s) > 50:
        console.print(f"(first 50 of {len(s):,}; write them all with -o suggestions.csv)")


def register(app: typer.Typer) -> None:
    """Attach ``match`` to the ``cop`` app."""
    app.command("match")(match)
