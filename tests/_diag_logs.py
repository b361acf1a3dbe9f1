"""Small hand-built logs with known answers, shared by the diagnosis tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

import cop

T0 = pd.Timestamp("2024-01-01")


def star(n: int = 12, weeks: int = 12) -> cop.ActivityLog:
    """A manager ``mgr`` meets each of ``n`` members 1:1 every week; members never meet each other."""
    rows = []
    for w in range(weeks):
        for k in range(n):
            day = T0 + pd.Timedelta(days=7 * w + k % 5)
            rows += [(f"m-{w}-{k}", "mgr", day), (f"m-{w}-{k}", f"u{k:02d}", day)]
    df = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"]).assign(kind="interaction")
    members = pd.DataFrame({"member_id": ["mgr"] + [f"u{k:02d}" for k in range(n)],
                            "role": ["manager"] + ["member"] * n,
                            "organization": ["Hub"] + [f"Org{k}" for k in range(n)]})
    return cop.ActivityLog.from_frame(df, members)


def silos(per_org: int = 6, weeks: int = 16) -> cop.ActivityLog:
    """Two organizations of ``per_org`` people who meet weekly in threes, only within their organization."""
    rows = []
    for w in range(weeks):
        for org in "AB":
            ppl = [f"{org}{i}" for i in range(per_org)]
            for g in range(per_org // 3):
                trio = ppl[(w + 3 * g) % per_org], ppl[(w + 3 * g + 1) % per_org], ppl[(w + 3 * g + 2) % per_org]
                for p in trio:
                    rows.append((f"{org}-{w}-{g}", p, T0 + pd.Timedelta(days=7 * w)))
    df = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"]).assign(kind="interaction")
    members = pd.DataFrame({"member_id": [f"{o}{i}" for o in "AB" for i in range(per_org)],
                            "organization": [f"Company {o}" for o in "AB" for _ in range(per_org)]})
    return cop.ActivityLog.from_frame(df, members)


def stuck(months: int = 12) -> cop.ActivityLog:
    """Three core members interact every few days; five others only come to the monthly meetup, for a year."""
    rows = []
    core = ["c1", "c2", "c3"]
    edge = [f"e{i}" for i in range(5)]
    for m in range(months):
        start = T0 + pd.DateOffset(months=m)
        for p in core + edge:
            rows.append((f"meetup-{m}", p, start + pd.Timedelta(days=10)))
        for i, d in enumerate(range(0, 28, 3)):
            a, b = core[i % 3], core[(i + 1) % 3]
            rows += [(f"chat-{m}-{d}", a, start + pd.Timedelta(days=d)), (f"chat-{m}-{d}", b, start + pd.Timedelta(days=d))]
    df = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"])
    df["kind"] = np.where(df["activity_id"].str.startswith("meetup"), "event", "interaction")
    return cop.ActivityLog.from_frame(df)


def guests() -> cop.ActivityLog:
    """Five members meet weekly; one big event brings 20 guests."""
    rows = []
    mem = [f"m{i}" for i in range(5)]
    for w in range(10):
        for p in mem:
            rows.append((f"weekly-{w}", p, T0 + pd.Timedelta(days=7 * w)))
    for p in mem + [f"g{i:02d}" for i in range(20)]:
        rows.append(("conference", p, T0 + pd.Timedelta(days=30)))
    df = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"]).assign(kind="event")
    members = pd.DataFrame({"member_id": mem + [f"g{i:02d}" for i in range(20)],
                            "role": ["member"] * 5 + ["guest"] * 20})
    return cop.ActivityLog.from_frame(df, members)


def grow_fade() -> pd.DataFrame:
    """Members per month grow 3 -> 30, hold for 8 months, fade to 0; weekly all-hands plus 1:1s."""
    rows = []
    sizes = [3, 5, 8, 12, 16, 20, 24, 28, 30, 30, 30, 30, 30, 30, 30, 30, 24, 16, 10, 5, 2]
    for m, n in enumerate(sizes):
        start = pd.Timestamp("2022-01-01") + pd.DateOffset(months=m)
        for w in range(4):
            day = start + pd.Timedelta(days=7 * w + 1)
            for k in range(n):
                rows.append((f"ev-{m}-{w}", f"p{k:02d}", day))
            for k in range(0, n - 1, 2):
                rows.append((f"i-{m}-{w}-{k}", f"p{k:02d}", day + pd.Timedelta(hours=3)))
                rows.append((f"i-{m}-{w}-{k}", f"p{(k + 1 + w) % n:02d}", day + pd.Timedelta(hours=3)))
    df = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"])
    df["kind"] = np.where(df["activity_id"].str.startswith("ev"), "event", "interaction")
    return df.drop_duplicates(ignore_index=True)
