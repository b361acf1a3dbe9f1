"""cop.network counts a series of activities given in several spaces (a touring speaker) as one shared event."""

from __future__ import annotations

import pandas as pd

import cop
from cop.network import diagnose_network


def _log(series: bool) -> cop.ActivityLog:
    # a talk given in oslo on 2 May and in bergen on 9 May (two activities), a streamed event (one activity
    # in two spaces) and a local conversation
    rows = [("talk-oslo", "o1", "2024-05-02", "oslo"), ("talk-oslo", "o2", "2024-05-02", "oslo"),
            ("talk-oslo", "speaker", "2024-05-02", "oslo"),
            ("talk-bergen", "b1", "2024-05-09", "bergen"), ("talk-bergen", "speaker", "2024-05-09", "bergen"),
            ("stream", "o1", "2024-05-03", "oslo"), ("stream", "b1", "2024-05-03", "bergen"),
            ("stream", "b2", "2024-05-03", "bergen"),
            ("chat", "o1", "2024-05-04", "oslo"), ("chat", "o2", "2024-05-04", "oslo")]
    parts = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp", "space"]).assign(kind="event")
    acts = pd.DataFrame({"activity_id": ["talk-oslo", "talk-bergen", "stream", "chat"],
                         "type": ["professional", "professional", "professional", "conversation"]})
    if series:
        acts["series"] = ["tour-1", "tour-1", None, None]
    return cop.ActivityLog.from_frame(parts, activities=acts)


def test_a_series_in_two_spaces_is_one_shared_event():
    nd = diagnose_network(_log(series=True), lookback=30, emit_warnings=False)
    ev = nd.shared_events.set_index("activity_id")
    assert sorted(ev.index) == ["stream", "tour-1"]
    assert ev.loc["tour-1", "n_spaces"] == 2 and ev.loc["tour-1", "participants"] == 4  # o1, o2, b1, the speaker
    assert ev.loc["tour-1", "start"] == pd.Timestamp("2024-05-02", tz="UTC")  # its first stop
    assert ev.loc["stream", "participants"] == 3
    assert nd.summary["shared_events"] == 2
    assert nd.links.set_index(["space_a", "space_b"])["shared_events"].sum() == 2
    assert nd.spaces.set_index("space_id")["shared_events"].to_dict() == {"oslo": 2, "bergen": 2}


def test_without_a_series_column_each_stop_is_its_own_activity():
    nd = diagnose_network(_log(series=False), lookback=30, emit_warnings=False)
    assert nd.shared_events["activity_id"].tolist() == ["stream"]
