"""Dates as people write them, and their ISO 8601 form: the translation task of notebook 07.

    "3 May 1979", "03/05/79", "Thursday, May 3, 1979", "1979 may 3"  ->  "1979-05-03"

Everything is generated offline from the calendar (no download). The rules:

- Dates run from 1 January 1900 to 31 December 2099.
- Numbers without a month name are read **day first** (03/05/79 is 3 May), as in
  most of the world, except when the year comes first: then it is year, month, day
  (1979/05/03, 1979-5-3, 19790503).
- Two-digit years follow one stated century rule: 30..99 mean 1930..1999 and
  00..29 mean 2000..2029. So a date is written with a two-digit year only when it
  lies in 1930..2029.
- Weekday names are always the right ones for the date.
- The whole string may be lower case or upper case.

Splits are made by **date**: every calendar date belongs to exactly one of train,
valid and test, so no test date is ever seen in training, in any format.

Source strings are encoded as character ids with padding (id 0) and a mask;
targets are the 10 characters of "YYYY-MM-DD" from an 11-symbol alphabet, with a
separate start symbol for the decoder's first input.
"""
import datetime

import numpy as np

FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2099, 12, 31)
TWO_DIGIT_YEARS = (1930, 2029)   # the years that a two-digit year can stand for

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _ordinal(day):
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def _fields(d):
    """The pieces a format may use, for one datetime.date."""
    month, weekday = MONTHS[d.month - 1], WEEKDAYS[d.weekday()]
    return {
        "d": str(d.day), "dd": f"{d.day:02d}", "dth": _ordinal(d.day),
        "m": str(d.month), "mm": f"{d.month:02d}", "Month": month, "Mon": month[:3],
        "yyyy": f"{d.year:04d}", "yy": f"{d.year % 100:02d}",
        "Weekday": weekday, "Wkd": weekday[:3],
    }


# name -> template. Templates with {yy} use the two-digit century rule.
FORMATS = {
    "d Month yyyy": "{d} {Month} {yyyy}",
    "dd Mon yyyy": "{dd} {Mon} {yyyy}",
    "d Mon yyyy": "{d} {Mon} {yyyy}",
    "Month d, yyyy": "{Month} {d}, {yyyy}",
    "Mon d, yyyy": "{Mon} {d}, {yyyy}",
    "Weekday, Month d, yyyy": "{Weekday}, {Month} {d}, {yyyy}",
    "Weekday d Month yyyy": "{Weekday} {d} {Month} {yyyy}",
    "Wkd d Mon yyyy": "{Wkd} {d} {Mon} {yyyy}",
    "Wkd, dd Mon yyyy": "{Wkd}, {dd} {Mon} {yyyy}",
    "the dth of Month yyyy": "the {dth} of {Month} {yyyy}",
    "dth Month yyyy": "{dth} {Month} {yyyy}",
    "Month dth, yyyy": "{Month} {dth}, {yyyy}",
    "d Mon 'yy": "{d} {Mon} '{yy}",
    "dd/mm/yyyy": "{dd}/{mm}/{yyyy}",
    "d/m/yyyy": "{d}/{m}/{yyyy}",
    "dd/mm/yy": "{dd}/{mm}/{yy}",
    "d.m.yyyy": "{d}.{m}.{yyyy}",
    "dd.mm.yy": "{dd}.{mm}.{yy}",
    "dd-mm-yyyy": "{dd}-{mm}-{yyyy}",
    "d-m-yy": "{d}-{m}-{yy}",
    "yyyy Mon d": "{yyyy} {Mon} {d}",
    "yyyy Month dd": "{yyyy} {Month} {dd}",
    "yyyy/mm/dd": "{yyyy}/{mm}/{dd}",
    "yyyy.m.d": "{yyyy}.{m}.{d}",
    "yyyy-m-d": "{yyyy}-{m}-{d}",
    "yyyymmdd": "{yyyy}{mm}{dd}",
}
CASES = ("as written", "lower", "upper")
CASE_PROBABILITIES = (0.6, 0.25, 0.15)

TARGET_LENGTH = 10
TARGET_CHARS = "0123456789-"                 # output alphabet: ids 0..10
START = len(TARGET_CHARS)                    # id 11: the decoder's first input
SOURCE_CHARS = "".join(sorted(set(" ,./-'0123456789" + "".join(MONTHS + WEEKDAYS + ["the", "of", "st", "nd", "rd", "th"]).lower()
                                  + "".join(MONTHS + WEEKDAYS + ["the", "of", "st", "nd", "rd", "th"]).upper())))
PAD = 0                                      # source id 0 is padding; characters are 1..len(SOURCE_CHARS)
SOURCE_VOCAB_SIZE = len(SOURCE_CHARS) + 1
_SOURCE_INDEX = {ch: k + 1 for k, ch in enumerate(SOURCE_CHARS)}
MAX_SOURCE_LENGTH = 40


def iso(d):
    """The ISO 8601 form of a datetime.date: 'YYYY-MM-DD'."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def all_dates():
    """Every date from FIRST_DATE to LAST_DATE, in order (a list of datetime.date)."""
    n = (LAST_DATE - FIRST_DATE).days + 1
    return [FIRST_DATE + datetime.timedelta(days=k) for k in range(n)]


def allows_two_digit_year(d):
    return TWO_DIGIT_YEARS[0] <= d.year <= TWO_DIGIT_YEARS[1]


def format_date(d, fmt, case="as written"):
    """Write the date `d` in the format named `fmt` (a key of FORMATS), in the given case.

    Raises ValueError if `fmt` uses a two-digit year and `d` is outside 1930..2029.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format_date: unknown format {fmt!r}; the formats are the keys of rnnlib.data.dates.FORMATS.")
    template = FORMATS[fmt]
    if "{yy}" in template and not allows_two_digit_year(d):
        raise ValueError(f"format_date: {d} cannot be written with a two-digit year (only {TWO_DIGIT_YEARS[0]}.."
                         f"{TWO_DIGIT_YEARS[1]} can).")
    text = template.format(**_fields(d))
    if case == "lower":
        return text.lower()
    if case == "upper":
        return text.upper()
    if case != "as written":
        raise ValueError(f"format_date: case must be one of {CASES}, got {case!r}.")
    return text


_FOUR_DIGIT = [f for f, t in FORMATS.items() if "{yy}" not in t]
_ALL = list(FORMATS)


def random_human_date(d, rng):
    """One way a person might write `d`: a random format (among those allowed for d) and case."""
    names = _ALL if allows_two_digit_year(d) else _FOUR_DIGIT
    fmt = names[rng.integers(len(names))]
    case = CASES[rng.choice(len(CASES), p=CASE_PROBABILITIES)]
    return format_date(d, fmt, case)


def split_dates(n_valid=1000, n_test=3000, seed=0):
    """Split the calendar into disjoint train / valid / test sets of dates.

    Returns a dict {"train": [...], "valid": [...], "test": [...]} of lists of
    datetime.date (each sorted). A random permutation with a fixed seed picks
    the valid and test dates from the whole range 1900..2099.
    """
    dates = all_dates()
    if n_valid < 0 or n_test < 0 or n_valid + n_test >= len(dates):
        raise ValueError(f"split_dates: n_valid + n_test must be below {len(dates)}, got {n_valid} + {n_test}.")
    order = np.random.default_rng(seed).permutation(len(dates))
    pick = lambda idx: [dates[k] for k in sorted(idx)]
    return {"train": pick(order[n_valid + n_test:]), "valid": pick(order[:n_valid]),
            "test": pick(order[n_valid:n_valid + n_test])}


def make_examples(dates, rng, per_date=1, with_formats=False):
    """Human-written dates and their ISO forms.

    Inputs:
    - dates: list of datetime.date.
    - rng: np.random.Generator (formats and cases are drawn from it).
    - per_date: how many independent writings of each date.
    - with_formats: also return the name of the format of each source.

    Returns: (sources, targets), two lists of str of equal length, or
    (sources, targets, formats) with with_formats=True.
    """
    sources, targets, formats = [], [], []
    two_digit = np.array([allows_two_digit_year(d) for d in dates], dtype=bool)
    templates = [FORMATS[f] for f in _ALL]
    four = np.array([_ALL.index(f) for f in _FOUR_DIGIT])
    isos = [iso(d) for d in dates]
    fields = [_fields(d) for d in dates]
    for _ in range(per_date):
        # one draw per date: a format index among the allowed ones, and a case
        u = rng.random(len(dates))
        fmt = np.where(two_digit, (u * len(_ALL)).astype(int), four[(u * len(four)).astype(int)])
        case = rng.choice(len(CASES), size=len(dates), p=CASE_PROBABILITIES)
        for k in range(len(dates)):
            text = templates[fmt[k]].format(**fields[k])
            sources.append(text.lower() if case[k] == 1 else text.upper() if case[k] == 2 else text)
        targets.extend(isos)
        formats.extend(_ALL[f] for f in fmt)
    return (sources, targets, formats) if with_formats else (sources, targets)


def _lookup_table(chars, offset):
    table = np.full(256, -1, dtype=np.int64)
    for k, ch in enumerate(chars):
        table[ord(ch)] = k + offset
    return table


_SOURCE_TABLE = _lookup_table(SOURCE_CHARS, 1)
_TARGET_TABLE = _lookup_table(TARGET_CHARS, 0)


def _to_codes(strings, S, where):
    """Strings -> uint8 (N, S) character codes, padded with 0 (NUL)."""
    try:
        joined = "".join(s.ljust(S, "\0") for s in strings).encode("ascii")
    except UnicodeEncodeError:
        bad = sorted({ch for s in strings for ch in s if ord(ch) > 127})
        raise ValueError(f"{where}: characters the model does not know: {bad}.") from None
    return np.frombuffer(joined, dtype=np.uint8).reshape(len(strings), S)


def encode_source(strings, length=None):
    """Character ids and a mask for a list of source strings.

    Inputs:
    - strings: list of str (at most MAX_SOURCE_LENGTH characters each, from SOURCE_CHARS).
    - length: pad to this many positions (default: the longest string).

    Returns:
    - ids: int64 (N, S), PAD (0) after the end of each string.
    - mask: bool (N, S), True at real characters.
    Raises ValueError for an empty or too long string or an unknown character.
    """
    if isinstance(strings, str):
        raise TypeError("encode_source: pass a list of strings, e.g. encode_source(['3 May 1979']).")
    lengths = np.array([len(s) for s in strings], dtype=np.int64)
    S = int(lengths.max(initial=0)) if length is None else int(length)
    limit = min(S, MAX_SOURCE_LENGTH)
    if lengths.size and lengths.min() == 0:
        raise ValueError("encode_source: an empty string has nothing to translate.")
    if lengths.size and lengths.max() > limit:
        s = strings[int(np.argmax(lengths))]
        raise ValueError(f"encode_source: {s!r} has {len(s)} characters; the limit is {limit}.")
    codes = _to_codes(strings, S, "encode_source")
    ids = _SOURCE_TABLE[codes]
    mask = np.arange(S)[None, :] < lengths[:, None]
    if (ids[mask] < 0).any():
        bad = sorted({chr(c) for c in codes[mask & (ids < 0)]})
        raise ValueError(f"encode_source: characters the model does not know: {bad}. "
                         f"Known: letters of month and weekday names, digits and {' ,./-' + chr(39)!r}.")
    ids[~mask] = PAD
    return ids, mask


def decode_source(ids):
    """Inverse of encode_source for one row (or a 2-D array -> list of str)."""
    ids = np.asarray(ids)
    if ids.ndim == 2:
        return [decode_source(row) for row in ids]
    return "".join(SOURCE_CHARS[i - 1] for i in ids if i != PAD)


def encode_target(strings):
    """ISO strings 'YYYY-MM-DD' -> int64 (N, 10) ids into TARGET_CHARS."""
    if any(len(s) != TARGET_LENGTH for s in strings):
        bad = next(s for s in strings if len(s) != TARGET_LENGTH)
        raise ValueError(f"encode_target: {bad!r} is not of the form YYYY-MM-DD.")
    ids = _TARGET_TABLE[_to_codes(strings, TARGET_LENGTH, "encode_target")] if len(strings) else \
        np.zeros((0, TARGET_LENGTH), dtype=np.int64)
    if (ids < 0).any():
        bad = strings[int(np.nonzero((ids < 0).any(axis=1))[0][0])]
        raise ValueError(f"encode_target: {bad!r} is not of the form YYYY-MM-DD.")
    return ids


def decode_target(ids):
    """(N, T) or (T,) ids into TARGET_CHARS -> list of str (or one str)."""
    ids = np.asarray(ids)
    if ids.ndim == 2:
        return [decode_target(row) for row in ids]
    return "".join(TARGET_CHARS[i] for i in ids)


FIELDS = {"year": slice(0, 4), "month": slice(5, 7), "day": slice(8, 10)}   # where each field is in YYYY-MM-DD


def field_order(fmt):
    """The order of the fields in the format named `fmt`: "D M Y", "M D Y" or "Y M D"."""
    template = FORMATS[fmt]
    first = {"D": template.index("{d"), "M": min(template.index(m) for m in ("{m", "{M") if m in template),
             "Y": template.index("{y")}
    return " ".join(sorted(first, key=first.get))


def field_errors(pred, tgt, groups):
    """How often the year, the month and the day of a translation are wrong, per group of examples.

    Inputs:
    - pred, tgt: int (M, 10) ids of the predicted and the right "YYYY-MM-DD".
    - groups: M labels, one per example (for example data.test_formats, or their field_order).

    Returns: dict {label: {"count": examples, "year": share wrong, "month": share wrong,
    "day": share wrong, "date": share with any character wrong}}, labels in order of first appearance.
    A field counts as wrong when any of its characters is wrong.
    """
    pred, tgt = np.asarray(pred), np.asarray(tgt)
    if pred.shape != tgt.shape or pred.ndim != 2 or pred.shape[1] != TARGET_LENGTH:
        raise ValueError(f"field_errors: pred and tgt must both be (M, {TARGET_LENGTH}), "
                         f"got {pred.shape} and {tgt.shape}.")
    if len(groups) != len(pred):
        raise ValueError(f"field_errors: {len(groups)} group labels for {len(pred)} examples.")
    wrong = pred != tgt                                       # (M, 10)
    groups = np.asarray(groups)
    table = {}
    for label in dict.fromkeys(groups.tolist()):
        rows = wrong[groups == label]
        table[label] = {"count": len(rows)}
        for name, where in FIELDS.items():
            table[label][name] = float(rows[:, where].any(axis=1).mean())
        table[label]["date"] = float(rows.any(axis=1).mean())
    return table


def parse_iso(text):
    """'YYYY-MM-DD' -> datetime.date, or None if it is not a real date."""
    try:
        return datetime.date.fromisoformat(text) if len(text) == TARGET_LENGTH else None
    except ValueError:
        return None


class DateData:
    """The whole data set, encoded: train, valid and test arrays, split by date.

        data = DateData(seed=0)
        data.train_src, data.train_mask, data.train_tgt     # (M, S), (M, S), (M, 10)
        data.test_sources[:3], data.test_targets[:3]        # the strings
        data.test_formats[:3]                               # their format names (keys of FORMATS)

    Inputs:
    - n_valid, n_test: numbers of dates held out (one example per held-out date).
    - train_per_date: writings of each training date (drawn independently).
    - max_train_dates: use only this many training dates (None: all), for quick runs.
    - seed: for the split and for the formats.
    """

    def __init__(self, n_valid=1000, n_test=3000, train_per_date=2, max_train_dates=None, seed=0):
        self.split = split_dates(n_valid, n_test, seed)
        rng = np.random.default_rng(seed + 1)
        train_dates = self.split["train"]
        if max_train_dates is not None and max_train_dates < len(train_dates):
            keep = np.sort(rng.choice(len(train_dates), size=max_train_dates, replace=False))
            train_dates = [train_dates[k] for k in keep]
        self.train_dates = train_dates
        for name, dates, per in [("train", train_dates, train_per_date), ("valid", self.split["valid"], 1),
                                 ("test", self.split["test"], 1)]:
            sources, targets, formats = make_examples(dates, rng, per, with_formats=True)
            src, mask = encode_source(sources)
            setattr(self, f"{name}_formats", formats)
            setattr(self, f"{name}_sources", sources)
            setattr(self, f"{name}_targets", targets)
            setattr(self, f"{name}_src", src)
            setattr(self, f"{name}_mask", mask)
            setattr(self, f"{name}_tgt", encode_target(targets))

    def __repr__(self):
        return (f"DateData(train: {len(self.train_sources)} examples of {len(self.train_dates)} dates, "
                f"valid: {len(self.valid_sources)}, test: {len(self.test_sources)}; "
                f"source alphabet {SOURCE_VOCAB_SIZE - 1} characters + padding)")
