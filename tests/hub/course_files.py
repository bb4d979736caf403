"""The course as the hub tests see it: names, and a student's solved copy of a released notebook."""
import copy
import pathlib
import re

import nbformat

REPO = pathlib.Path(__file__).resolve().parents[2]
COURSE = "rnn-course"
ASSIGNMENT = "02_vanilla_rnn"  # the smallest assignment keeps grading fast
NOTEBOOK = f"{COURSE}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"  # where fetch puts it, in the student's home
ARTIFACTS = REPO / ".test-artifacts" / "hub"
MARKERS = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def solved(release):
    """The released notebook with every answer cell holding the instructor's answer."""
    source = nbformat.read(REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    answers = {_meta(c)["grade_id"]: c.source for c in source.cells if _meta(c).get("solution")}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        if _meta(cell).get("solution"):
            lines = answers[_meta(cell)["grade_id"]].splitlines()
            cell.source = "\n".join(line for line in lines if not MARKERS.match(line))
    return nb
