"""The date-translation data: formats, the century rule, encodings, splits without leakage."""
import datetime

import numpy as np
import pytest

from rnnlib.data import dates


def test_formats_of_one_date():
    d = datetime.date(1979, 5, 3)   # a Thursday
    assert dates.format_date(d, "d Month yyyy") == "3 May 1979"
    assert dates.format_date(d, "dd/mm/yy") == "03/05/79"
    assert dates.format_date(d, "Weekday, Month d, yyyy") == "Thursday, May 3, 1979"
    assert dates.format_date(d, "yyyy Mon d", "lower") == "1979 may 3"
    assert dates.format_date(d, "the dth of Month yyyy", "upper") == "THE 3RD OF MAY 1979"
    assert dates.format_date(d, "yyyymmdd") == "19790503"
    assert dates.iso(d) == "1979-05-03"


def test_ordinals():
    got = [dates.format_date(datetime.date(2001, 1, k), "dth Month yyyy").split()[0] for k in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)]
    assert got == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]


def test_two_digit_years_follow_the_century_rule():
    with pytest.raises(ValueError, match="two-digit year"):
        dates.format_date(datetime.date(1929, 12, 31), "dd/mm/yy")
    assert dates.format_date(datetime.date(1930, 1, 1), "dd/mm/yy") == "01/01/30"
    assert dates.format_date(datetime.date(2029, 12, 31), "dd.mm.yy") == "31.12.29"
    rng = np.random.default_rng(0)
    for d in [datetime.date(1900, 6, 1), datetime.date(2050, 6, 1)]:
        for _ in range(200):
            text = dates.random_human_date(d, rng)
            assert str(d.year) in text, text   # never written with two digits


def test_every_generated_string_is_encodable_and_decodes_back():
    rng = np.random.default_rng(1)
    calendar = dates.all_dates()
    sample = [calendar[k] for k in rng.choice(len(calendar), 500, replace=False)]
    sources, targets = dates.make_examples(sample, rng, per_date=3)
    ids, mask = dates.encode_source(sources)
    assert ids.shape == mask.shape and ids.shape[1] <= dates.MAX_SOURCE_LENGTH
    assert dates.decode_source(ids) == sources
    assert dates.decode_target(dates.encode_target(targets)) == targets
    assert np.all(mask.sum(axis=1) == [len(s) for s in sources])
    assert np.all(ids[~mask] == dates.PAD)
    assert len({dates.random_human_date(datetime.date(1999, 1, 1), rng) for _ in range(300)}) > 40   # many writings


def test_weekday_is_right():
    known = {datetime.date(1900, 1, 1): "Monday", datetime.date(2000, 2, 29): "Tuesday",
             datetime.date(2099, 12, 31): "Thursday", datetime.date(1969, 7, 20): "Sunday"}
    for d, weekday in known.items():
        assert dates.format_date(d, "Weekday d Month yyyy").split()[0] == weekday
        assert dates.format_date(d, "Wkd d Mon yyyy").split()[0] == weekday[:3]


def test_split_has_no_leakage():
    split = dates.split_dates(n_valid=500, n_test=700, seed=3)
    train, valid, test = (set(split[k]) for k in ("train", "valid", "test"))
    assert len(valid) == 500 and len(test) == 700
    assert not (train & test) and not (train & valid) and not (valid & test)
    assert len(train) + len(valid) + len(test) == len(dates.all_dates())
    assert split == dates.split_dates(n_valid=500, n_test=700, seed=3)   # reproducible


def test_date_data_targets_never_repeat_test_dates_in_train():
    data = dates.DateData(n_valid=100, n_test=200, max_train_dates=2000, seed=4)
    train_iso = set(data.train_targets)
    assert not train_iso & set(data.test_targets)
    assert not train_iso & set(data.valid_targets)
    assert data.train_src.shape[0] == 2 * 2000 and data.test_tgt.shape == (200, 10)
    # the targets really are the dates of the sources: parse a few by hand
    assert all(dates.parse_iso(t) is not None for t in data.test_targets)


def test_encode_errors_are_clear():
    with pytest.raises(ValueError, match="does not know"):
        dates.encode_source(["3 May 1979!"])
    with pytest.raises(ValueError, match="empty"):
        dates.encode_source([""])
    with pytest.raises(TypeError, match="list of strings"):
        dates.encode_source("3 May 1979")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        dates.encode_target(["1979-5-3"])


def test_field_order_of_every_format():
    assert dates.field_order("d Month yyyy") == "D M Y"
    assert dates.field_order("Weekday, Month d, yyyy") == "M D Y"
    assert dates.field_order("yyyy/mm/dd") == "Y M D"
    assert dates.field_order("yyyymmdd") == "Y M D"
    assert dates.field_order("dd/mm/yy") == "D M Y"
    assert {dates.field_order(f) for f in dates.FORMATS} == {"D M Y", "M D Y", "Y M D"}


def test_field_errors_count_wrong_fields_per_group():
    tgt = dates.encode_target(["1979-05-03", "1979-05-03", "2001-12-31", "2001-12-31"])
    pred = dates.encode_target(["1979-05-03",       # right
                                "1978-05-04",       # year and day wrong
                                "2001-11-31",       # month wrong
                                "2001-12-31"])      # right
    table = dates.field_errors(pred, tgt, ["a", "a", "b", "b"])
    assert list(table) == ["a", "b"]
    assert table["a"] == {"count": 2, "year": 0.5, "month": 0.0, "day": 0.5, "date": 0.5}
    assert table["b"] == {"count": 2, "year": 0.0, "month": 0.5, "day": 0.0, "date": 0.5}
    assert dates.field_errors(pred, tgt, ["all"] * 4)["all"] == {"count": 4, "year": 0.25, "month": 0.25,
                                                                  "day": 0.25, "date": 0.5}
    with pytest.raises(ValueError, match="group labels"):
        dates.field_errors(pred, tgt, ["a"])
    with pytest.raises(ValueError, match=r"\(M, 10\)"):
        dates.field_errors(pred[:, :9], tgt[:, :9], ["a"] * 4)
