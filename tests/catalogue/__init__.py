"""The catalogue of student answers that the grader must judge correctly.

Each module `aNN_<topic>.py` lists `VARIANTS` for one assignment. A variant
replaces the solution cell that defines `function` in the instructor's
notebook with `source` (a whole cell: the def and anything it needs), and the
result is submitted and autograded by the real nbgrader:

- kind "wrong":   a mistake students really make; the submission must lose points.
- kind "correct": a right answer written differently; it must get full marks.

`says`, when given, is words a failing visible test of `function` must say (the message that names
this mistake). `also` replaces other functions' cells too, e.g. a wrong earlier exercise under a right
`function`; the kind then speaks of `function`'s own tests only.

Write `source` as a student would: plain Python, no nbgrader markers.
"""
import dataclasses
import importlib
import pkgutil
import re


@dataclasses.dataclass(frozen=True)
class Variant:
    function: str   # the graded function whose solution cell is replaced
    kind: str       # "wrong" or "correct"
    label: str      # short description, e.g. "forgot the bias"
    source: str     # the whole replacement cell
    says: str = ""  # words the message of a failing visible test must contain
    also: tuple = ()  # ((other function, its whole replacement cell), ...)

    def __post_init__(self):
        if self.kind not in ("wrong", "correct"):
            raise ValueError(f"kind must be 'wrong' or 'correct', got {self.kind!r}")

    @property
    def answer(self):
        """{function: source} for every cell this variant replaces."""
        return {**dict(self.also), self.function: self.source}

    @property
    def student_id(self):
        slug = re.sub(r"[^a-z0-9]+", "-", self.label.lower()).strip("-")
        return f"{self.kind}-{self.function}-{slug}"[:60]


def source_of(variants, label):
    """The whole cell of the variant with this label: a wrong earlier exercise to put under a later one (`also`)."""
    return next(v.source for v in variants if v.label == label)


def load():
    """{assignment_id: [Variant, ...]} for every catalogue module."""
    out = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        out[module.ASSIGNMENT] = list(module.VARIANTS)
    return out
