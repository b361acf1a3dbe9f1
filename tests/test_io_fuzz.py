"""Whatever a CSV holds, loading either works or raises one cop error: never a raw pandas/arrow traceback."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop import read_activities
from cop.exceptions import CopError

cells = st.one_of(
    st.sampled_from(["", " ", "a", "x1", "2024-01-01", "2024-02-30", "2024-03-01T10:00:00+02:00", "1709294400",
                     "-1", "1.5", "nan", "inf", "event", "presence", "Party", "public", "secret", "ai; design",
                     '"quoted, cell"', "ü", "NULL", "None", "0", "1e400"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n,\"\x00"), max_size=8),
)
headers = st.lists(
    st.sampled_from(["activity_id", "member_id", "timestamp", "kind", "role", "topic", "weight", "channel",
                     "source", "target", "extra"]),
    min_size=1, max_size=8, unique=True,
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers, st.data())
def test_loading_never_leaks_a_raw_exception(tmp_path, header, data):
    n_rows = data.draw(st.integers(0, 6))
    rows = [[data.draw(cells) for _ in header] for _ in range(n_rows)]
    text = ",".join(header) + "\n" + "".join(",".join(r) + "\n" for r in rows)
    path = tmp_path / "fuzz.csv"
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            log = read_activities(path, tz=data.draw(st.sampled_from(["UTC", "Europe/Helsinki"])))
        except CopError as exc:
            message = str(exc)
            assert "fuzz.csv" in message or "parameter" in message, message
            return
    assert len(log) >= 1
    assert str(log.data["timestamp"].dt.tz) == "UTC"
    assert (log.data["weight"] >= 0).all()


@pytest.mark.parametrize("content", [b"\xff\xfe\x00a\x00", b"PAR1\x00\x00", b"\n\n\n", b"a,b\n\x00,\x00\n", b",,,\n,,,\n"])
def test_odd_bytes(tmp_path, content):
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    with pytest.raises(CopError):
        read_activities(path)


side_headers = st.lists(
    st.sampled_from(["member_id", "organization", "role", "joined", "left", "name", "activity_id", "type",
                     "external", "organizer", "topic"]),
    min_size=1, max_size=6, unique=True,
)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(side_headers, st.data(), st.booleans())
def test_side_tables_never_leak_a_raw_exception(tmp_path, header, data, as_members):
    log = tmp_path / "log.csv"
    log.write_text("activity_id,member_id,timestamp\ne1,a,2024-01-01\ne1,b,2024-01-01\n", encoding="utf-8")
    rows = [[data.draw(cells) for _ in header] for _ in range(data.draw(st.integers(0, 5)))]
    side = tmp_path / "side.csv"
    side.write_text(",".join(header) + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            loaded = read_activities(log, members=side) if as_members else read_activities(log, activities=side)
        except CopError as exc:
            assert "side.csv" in str(exc), str(exc)
            return
    assert len(loaded) == 2
    assert len(loaded.members) >= 2 and len(loaded.activities) == 1
