"""The Slack and DiscordChatExporter readers: rows worked out by hand from the fixtures, bad input."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from cop.exceptions import CopError, FileFormatError
from cop.io import read_activities, reader_for
from tests._readers import FIXTURES, copy_fixture

T1 = "C01:1704103200.000100"
T2 = "C01:1704103600.000500"
T3 = "G01:1704276000.000100"
# thread 1: U01 starts (and reacts to their own message: the start counts), U03 reacts then replies a day
# later (the reply counts, at the time of the reaction), U02 replies mentioning U04; message 5 is its own
# thread with a mention of U01; the private staff channel has one thread.  Dropped: B01 and U06 (bots),
# a channel_join and a channel_purpose message.
SLACK_ROWS = {
    (T1, "U01"): ("starter", 1.0, "2024-01-01 10:00:00.000100"),
    (T1, "U03"): ("replier", 0.5, "2024-01-01 10:00:00.000100"),
    (T1, "U02"): ("replier", 0.5, "2024-01-01 10:01:40.000200"),
    (T1, "U04"): ("mentioned", 0.25, "2024-01-01 10:01:40.000200"),
    (T2, "U03"): ("starter", 1.0, "2024-01-01 10:06:40.000500"),
    (T2, "U01"): ("mentioned", 0.25, "2024-01-01 10:06:40.000500"),
    (T3, "U05"): ("starter", 1.0, "2024-01-03 10:00:00.000100"),
    (T3, "U02"): ("replier", 0.5, "2024-01-03 10:01:00.000200"),
}


def _rows(log):
    d = log.data
    return {(a, m): (r, w, str(t.tz_convert(None))) for a, m, r, w, t in
            zip(d["activity_id"].astype(str), d["member_id"].astype(str), d["role"].astype(str), d["weight"], d["timestamp"])}


def _zip(folder, target, prefix="Export Jan 2024/"):
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, prefix + p.relative_to(folder).as_posix())
    return target


def test_slack_folder_rows_channels_and_notes():
    with pytest.warns(Warning, match="dropped 2 bot message"):
        log = read_activities(FIXTURES / "slack")
    assert _rows(log) == SLACK_ROWS
    d = log.data
    assert set(d["kind"].astype(str)) == {"interaction"}
    assert dict(zip(d["activity_id"].astype(str), d["channel"].astype(str))) == {T1: "public", T2: "public", T3: "private"}
    assert dict(zip(d["activity_id"].astype(str), d["topic"].astype(str))) == {T1: "general", T2: "general", T3: "staff"}
    assert "2 system message(s)" in log.warnings[0]


def test_slack_members_table_has_no_names_unless_asked():
    log = read_activities(FIXTURES / "slack", emit_warnings=False)
    m = log.members_table.set_index("member_id")
    assert sorted(m.index) == ["U01", "U02", "U03", "U04", "U05"]  # bots (U06, USLACKBOT) left out
    assert m.loc["U05", "role"] == "manager" and m.loc["U03", "role"] == "guest" and m.loc["U01", "role"] == "member"
    assert not {"name", "email"} & set(log.members_table.columns)
    named = read_activities(FIXTURES / "slack", emit_warnings=False, reader_options={"identities": True}).members_table
    assert named.set_index("member_id").loc["U01", ["name", "email"]].tolist() == ["Ann Example", "ann@example.org"]


def test_slack_zip_with_top_folder_reads_like_the_folder(tmp_path):
    z = _zip(FIXTURES / "slack", tmp_path / "export.zip")
    assert reader_for(z).name == "slack"
    assert _rows(read_activities(z, emit_warnings=False)) == SLACK_ROWS


def test_slack_truncated_zip_is_one_clear_error(tmp_path):
    z = _zip(FIXTURES / "slack", tmp_path / "export.zip", prefix="")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(z.read_bytes()[: z.stat().st_size // 2])
    with pytest.raises(FileFormatError, match=r"cut\.zip.*(ZIP|truncated)"):
        read_activities(cut)


def test_slack_day_file_that_is_not_a_list_names_the_entry(tmp_path):
    d = copy_fixture("slack", tmp_path)
    (d / "general" / "2024-01-02.json").write_text(json.dumps({"messages": []}))
    with pytest.raises(FileFormatError, match=r"general/2024-01-02\.json.*expected a JSON array of messages"):
        read_activities(d)


def test_slack_message_without_user_names_file_message_and_field(tmp_path):
    d = copy_fixture("slack", tmp_path)
    (d / "staff" / "2024-01-03.json").write_text(json.dumps([{"type": "message", "ts": "1704276000.000100"}]))
    with pytest.raises(FileFormatError, match=r"staff/2024-01-03\.json, message 1, field 'user'"):
        read_activities(d)


def test_slack_bad_ts_and_bad_json(tmp_path):
    d = copy_fixture("slack", tmp_path)
    (d / "staff" / "2024-01-03.json").write_text(json.dumps([{"type": "message", "user": "U01", "ts": "noon"}]))
    with pytest.raises(FileFormatError, match=r"field 'ts'.*'noon'"):
        read_activities(d)
    (d / "staff" / "2024-01-03.json").write_text('[{"type": ')
    with pytest.raises(FileFormatError, match=r"staff/2024-01-03\.json, line 1.*not valid JSON"):
        read_activities(d)


def test_slack_export_of_bots_only_says_so(tmp_path):
    d = tmp_path / "bots"
    d.mkdir()
    (d / "channels.json").write_text(json.dumps([{"id": "C1", "name": "ci"}]))
    (d / "users.json").write_text(json.dumps([{"id": "U1", "is_bot": True}]))
    (d / "ci").mkdir()
    (d / "ci" / "2024-01-01.json").write_text(json.dumps([{"type": "message", "user": "U1", "ts": "1.0"}]))
    with pytest.raises(FileFormatError, match="no messages by people"):
        read_activities(d)


# DiscordChatExporter: 100 (a1, a3 reacts) <- 101 (a2, mentions a4) <- 102 (a1 again); 103 is a bot's,
# 104 a member join; 105 forwards 100, which is not a reply: its own chain.
DISCORD_ROWS = {
    ("900:100", "a1"): ("starter", 1.0, "2024-01-01 10:00:00"),
    ("900:100", "a3"): ("reactor", 0.25, "2024-01-01 10:00:00"),
    ("900:100", "a2"): ("replier", 0.5, "2024-01-01 10:05:00"),
    ("900:100", "a4"): ("mentioned", 0.25, "2024-01-01 10:05:00"),
    ("900:105", "a3"): ("starter", 1.0, "2024-01-02 07:00:00"),
}


def test_discord_reply_chains_bots_and_system_messages():
    assert reader_for(FIXTURES / "discord.json").name == "discord"
    with pytest.warns(Warning, match="1 bot message"):
        log = read_activities(FIXTURES / "discord.json")
    assert _rows(log) == DISCORD_ROWS
    assert set(log.data["topic"].astype(str)) == {"help"}
    assert log.members_table is None
    named = read_activities(FIXTURES / "discord.json", emit_warnings=False, reader_options={"identities": True})
    assert sorted(named.members_table["member_id"]) == ["a1", "a2", "a3"]


def test_discord_json_that_is_not_the_format(tmp_path):
    p = tmp_path / "chat.json"
    p.write_text('{"guild": {"id": "1"}, "channel": {"id": "2"}, "messages": {"id": 3}}')
    with pytest.raises(FileFormatError, match=r"chat\.json, the top level.*DiscordChatExporter"):
        read_activities(p)
    p.write_text('{"guild": {"id": "1"}, "channel": {"id": "2"}, "messages": [{"id": "5", "timestamp": "2024-01-01T00:00:00Z"}]}')
    with pytest.raises(FileFormatError, match=r"message 1, field 'author\.id'"):
        read_activities(p)
    p.write_text('{"guild": {"id": "1"}, "channel": {"id": "2"}, "messages": [{"id": "5", "author": {"id": "a"}, "timestamp": "soon"}]}')
    with pytest.raises(FileFormatError, match=r"message 1, field 'timestamp'.*ISO 8601"):
        read_activities(p)


def test_plain_json_records_still_go_to_the_json_reader(tmp_path):
    p = tmp_path / "rows.json"
    p.write_text('[{"activity_id": "e1", "member_id": "ann", "timestamp": "2024-01-01"}]')
    assert reader_for(p).name == "jsonl"
    assert read_activities(p).n_members == 1


def test_a_cop_folder_is_still_a_cop_folder(tmp_path):
    (tmp_path / "activities.csv").write_text("activity_id,member_id,timestamp\ne1,a,2024-01-01\n")
    assert reader_for(tmp_path).name == "folder"
    with pytest.raises(CopError):
        read_activities(tmp_path / "missing-folder")
    shutil.rmtree(tmp_path)
