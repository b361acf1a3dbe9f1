"""The shortcuts of the loading path (loadspeed branch) give what the general code gives."""

import unicodedata

import numpy as np
import pandas as pd
import pytest

import cop
from cop.columns import as_categorical
from cop.occurrences import _appearance_codes
from cop.tables import _remove_unused_categories
from cop.timestamps.arrow import utc_array


def test_appearance_codes_match_factorize():
    rng = np.random.default_rng(5)
    for _ in range(30):
        n, k = int(rng.integers(1, 3000)), int(rng.integers(1, 300))
        cats = [f"x{i}" for i in rng.permutation(k + 7)]  # some categories unused
        values = pd.Categorical.from_codes(rng.integers(0, k, n), categories=cats)
        codes, ids = pd.factorize(pd.Series(values), sort=False)
        mine, my_ids = _appearance_codes(values)
        np.testing.assert_array_equal(mine, codes)
        assert list(np.asarray(my_ids, dtype=object)) == list(np.asarray(ids, dtype=object))


@pytest.mark.parametrize("ordered", [False, True])
def test_unused_categories_removed_like_pandas(ordered):
    rng = np.random.default_rng(6)
    for _ in range(30):
        n, k = int(rng.integers(1, 500)), int(rng.integers(1, 400))
        codes = rng.integers(-1, k, n)  # -1: missing
        s = pd.Series(pd.Categorical.from_codes(codes, categories=[f"c{i}" for i in range(k)], ordered=ordered), name="x")
        got, want = _remove_unused_categories(s), s.cat.remove_unused_categories()
        pd.testing.assert_series_equal(got, want)
        assert got.cat.codes.dtype == want.cat.codes.dtype


@pytest.mark.parametrize(
    "values",
    [
        ["a", "b", "a", None],  # nothing to strip: the categories kept as they are
        [" a", "a", "b "],  # equal once stripped
        ["a", "  ", "b"],  # empty once stripped
        [unicodedata.normalize("NFD", "José"), "José", "x"],  # equal in form NFC
        ["b", "a", "c"],
    ],
)
def test_as_categorical_same_from_categorical_and_text(values):
    notes_a, notes_b = [], []
    text = as_categorical(pd.Series(values, dtype=object), column="member_id", notes=notes_a, nfc=True)
    # the categorical's own categories (sorted, as astype gives the text's): the path that keeps them
    cat = as_categorical(pd.Series(pd.Categorical(values)), column="member_id", notes=notes_b, nfc=True)
    assert text.tolist() == cat.tolist()
    assert list(text.cat.categories) == list(cat.cat.categories) and cat.cat.categories.dtype == object
    assert notes_a == notes_b


def test_as_categorical_result_is_a_copy():
    s = pd.Series(pd.Categorical(["a", "b", "a"]))
    out = as_categorical(s)
    assert not np.shares_memory(out.array.codes, s.array.codes)


def test_utc_array_matches_tz_localize():
    ns = np.array([0, 1_709_280_000_000_000_000, -1_000], dtype=np.int64)
    got = utc_array(ns.view("M8[ns]"))
    want = pd.DatetimeIndex(ns.view("M8[ns]")).tz_localize("UTC").array
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.asi8, want.asi8)


def test_quoted_and_unquoted_files_give_the_same_log(tmp_path):
    # without a quote after the header Arrow's parser does not follow quoted values across lines;
    # a quoted header, quoted values, and a quoted value holding a newline take the other parser
    rows = [f"a{i % 5},m{i % 7},2024-03-{1 + i % 20:02d}T09:00:00+02:00,event" for i in range(300)]
    plain = tmp_path / "plain.csv"
    plain.write_text("activity_id,member_id,timestamp,kind\n" + "\n".join(rows) + "\n")
    header = tmp_path / "header.csv"
    header.write_text('"activity_id","member_id","timestamp","kind"\n' + "\n".join(rows) + "\n")
    cells = tmp_path / "cells.csv"
    cells.write_text("activity_id,member_id,timestamp,kind\n" + "\n".join(r.replace("m", '"m', 1).replace(",2024", '",2024', 1)
                                                                          for r in rows) + "\n")
    logs = [cop.read_activities(p, emit_warnings=False) for p in (plain, header, cells)]
    for log in logs[1:]:
        pd.testing.assert_frame_equal(log.data, logs[0].data, check_exact=True)
    split = tmp_path / "split.csv"  # a quoted newline: one row over two lines, and its line number in messages
    split.write_text("activity_id,member_id,timestamp,kind\n" + "\n".join(rows[:3]) + '\na9,"m\nx",2024-03-01T09:00:00+02:00,meeting\n')
    with pytest.raises(cop.exceptions.ValueFormatError, match=r"row 5"):
        cop.read_activities(split, emit_warnings=False)
