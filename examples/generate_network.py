"""Generate the small network-of-spaces fixture (``tests/fixtures/network``): four coworking spaces, half a year.

A hand-designed network whose right answers can be worked out on paper (the
tests in ``tests/test_network.py`` check them); the weekly routine inside each
space is drawn from a seeded generator, everything that links the spaces is
written out below.

Spaces (``spaces.csv``): ``oslo`` (12 members ``o01``-``o12``), ``bergen``
(10, ``b01``-``b10``), ``trondheim`` (8, ``t01``-``t08``) and ``tromso`` (6,
``r01``-``r06``), each with one manager (``m-oslo``...) named in the spaces
table and in ``members.csv`` (role ``manager``).  From 2024-01-01 to
2024-06-30 every space holds a weekly breakfast (kind ``event``, its manager
and each home member with probability 0.6) and, each week, two 1:1
introductions between random home members (kind ``interaction``).

What crosses spaces:

* ``o01`` (oslo, at every oslo breakfast) comes to three bergen breakfasts
  (weeks 5, 9, 13) and has one introduction with ``b05`` in bergen: 4 visits;
* ``b02`` comes to two oslo breakfasts (weeks 7, 11): 2 visits;
* ``b03`` comes to two trondheim breakfasts (weeks 6, 10) and has one
  introduction with ``t04`` in trondheim: 3 visits;
* ``t01`` comes to one bergen breakfast (week 15): 1 visit;
* ``n01``, a nomad, comes to two bergen breakfasts (weeks 5 and 9) and two oslo
  breakfasts (weeks 7 and 11): a tie in participations, broken by the first
  one, in bergen, so ``n01``'s home is bergen and the two oslo rows are visits;
* ``summit-2024-04-10``: one event streamed to all four spaces (every manager
  and the first half of each space's members, each row in their own space);
  with about 22 participants it adds no tie (1/21 per pair is below ``min_tie``).

So (window: the whole half year): 12 visits; oslo and bergen share o01, b02,
n01; bergen and trondheim share b03 and t01; oslo and trondheim share no one;
tromso shares only the summit, so it is cut off; bergen is the one bridge
(without it oslo and trondheim fall apart); one shared event.

Run ``python examples/generate_network.py [--out FOLDER]`` (default: the fixture folder).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240101
START = pd.Timestamp("2024-01-01")  # a Monday
WEEKS = 26
SPACES = {  # space_id: (name, city, seats, member prefix, members, breakfast weekday, hour)
    "oslo": ("Oslo Hub", "Oslo", 60, "o", 12, 1, 8),
    "bergen": ("Bergen Brygge Cowork", "Bergen", 40, "b", 10, 2, 8),
    "trondheim": ("Trondheim Works", "Trondheim", 30, "t", 8, 3, 9),
    "tromso": ("Tromso North", "Tromso", 20, "r", 6, 1, 9),
}
OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "network"


def breakfast(space: str, week: int) -> tuple[str, pd.Timestamp]:
    """The id and time of a space's breakfast in a week (1-based)."""
    _, _, _, _, _, weekday, hour = SPACES[space]
    when = START + pd.Timedelta(weeks=week - 1, days=weekday, hours=hour)
    return f"{space}-breakfast-{when:%Y-%m-%d}", when


def build(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The participations, members and spaces tables."""
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, str, pd.Timestamp, str, str]] = []
    members = {s: [f"{p}{i:02d}" for i in range(1, n + 1)] for s, (_, _, _, p, n, _, _) in SPACES.items()}
    for space, people in members.items():
        for week in range(1, WEEKS + 1):
            act, when = breakfast(space, week)
            rows.append((act, f"m-{space}", when, "event", space))
            for person in people:
                if rng.random() < 0.6 or (space == "oslo" and person == "o01"):
                    rows.append((act, person, when, "event", space))
            for k in range(2):
                a, b = rng.choice(len(people), size=2, replace=False)
                when_i = START + pd.Timedelta(weeks=week - 1, days=int(rng.integers(0, 5)), hours=14 + k)
                act_i = f"{space}-intro-{week:02d}-{k + 1}"
                rows += [(act_i, people[a], when_i, "interaction", space), (act_i, people[b], when_i, "interaction", space)]
    visits = [("o01", "bergen", (5, 9, 13)), ("b02", "oslo", (7, 11)), ("b03", "trondheim", (6, 10)),
              ("t01", "bergen", (15,)), ("n01", "bergen", (5, 9)), ("n01", "oslo", (7, 11))]
    for person, space, weeks in visits:
        for week in weeks:
            act, when = breakfast(space, week)
            rows.append((act, person, when, "event", space))
    for a, b, space, when in (("o01", "b05", "bergen", "2024-02-20 15:00"), ("b03", "t04", "trondheim", "2024-02-14 15:00")):
        rows += [(f"visit-intro-{a}-{b}", a, pd.Timestamp(when), "interaction", space),
                 (f"visit-intro-{a}-{b}", b, pd.Timestamp(when), "interaction", space)]
    summit = pd.Timestamp("2024-04-10 17:00")
    for space, people in members.items():
        for person in [f"m-{space}", *people[: len(people) // 2]]:
            rows.append(("summit-2024-04-10", person, summit, "event", space))
    log = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp", "kind", "space"])
    log = log.drop_duplicates(["activity_id", "member_id"]).sort_values(["timestamp", "activity_id", "member_id"], kind="stable")
    log["timestamp"] = log["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:00Z")
    people = pd.DataFrame([(p, "member") for ps in members.values() for p in ps] + [("n01", "member")]
                          + [(f"m-{s}", "manager") for s in SPACES], columns=["member_id", "role"])
    spaces = pd.DataFrame([(s, name, city, seats, f"m-{s}", "2020-01-01")
                           for s, (name, city, seats, *_rest) in SPACES.items()],
                          columns=["space_id", "name", "city", "seats", "managers", "opened"])
    return log.reset_index(drop=True), people, spaces


def main(argv: list[str] | None = None) -> Path:
    """Write ``activities.csv``, ``members.csv`` and ``spaces.csv`` into ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    log, people, spaces = build(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    log.to_csv(args.out / "activities.csv", index=False, lineterminator="\n")
    people.to_csv(args.out / "members.csv", index=False, lineterminator="\n")
    spaces.to_csv(args.out / "spaces.csv", index=False, lineterminator="\n")
    print(f"wrote {len(log)} participations of {log['member_id'].nunique()} people in {len(spaces)} spaces to {args.out}")
    return args.out


if __name__ == "__main__":
    main()
