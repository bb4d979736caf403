"""Make a fake class to try the grader on: a scratch course with submitted/ filled in.

    .venv/bin/python -m tools.synthetic_class /tmp/demo --students 20     # from the repository
    cd /tmp/demo && /path/to/repo/.venv/bin/python -m rnngrader.autograde

The scratch course is a copy of solutions/ and nbgrader_config.py, released into
its own gradebook. Student k is, in turn (so every mix is the same for a given
--students):
- correct: the instructor's answers everywhere;
- partly wrong: in each notebook one function is a typical mistake from tests/catalogue/;
- broken: in one notebook (the others partly wrong) one of the BREAKERS below:
  an infinite loop, a memory bomb, os._exit, sys.exit, deleted or edited test cells, tampering (patching numpy),
  a test cell turned into markdown, a copied solution cell, invalid JSON, a missing
  notebook, or the untouched release.
"""
import argparse
import copy
import pathlib
import random
import re
import shutil
import sys

import nbformat

from tests import catalogue
from tests.course import REPO, as_student_solution, nbgrader, nbgrader_meta, read, replace_definition


# ---------- ways to break a notebook (each takes the solved notebook, the release, and returns a notebook,
# or a string for the file's raw text, or None for "no file") ----------

def _cells(nb, test=False):
    """Indices of the solution cells (or, with test=True, the locked test cells)."""
    want = (lambda m: m.get("grade") and m.get("locked")) if test else (lambda m: m.get("solution") and not m.get("grade"))
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and want(nbgrader_meta(c))]


def _append_to_first_solution(code):
    def breaker(solved, release):
        nb = copy.deepcopy(solved)
        nb.cells[_cells(nb)[0]].source += "\n\n" + code
        return nb
    return breaker


def deleted_tests(solved, release):
    nb = copy.deepcopy(solved)
    for i in reversed(_cells(nb, test=True)[:2]):
        del nb.cells[i]
    return nb


def edited_test(solved, release):
    nb = copy.deepcopy(solved)
    nb.cells[_cells(nb, test=True)[-1]].source = "pass  # the tests were in my way"
    return nb


def markdown_test(solved, release):
    nb = copy.deepcopy(solved)
    i = _cells(nb, test=True)[0]
    nb.cells[i] = nbformat.v4.new_markdown_cell(nb.cells[i].source, metadata=nb.cells[i].metadata)
    return nb


def copied_solution(solved, release):
    nb = copy.deepcopy(solved)
    i = _cells(nb)[0]
    twin = copy.deepcopy(nb.cells[i])
    twin.id = "my-copy"
    twin.source = "# trying something\n" + twin.source
    nb.cells.insert(i + 1, twin)
    return nb


def invalid_json(solved, release):
    return nbformat.writes(solved)[:-300]  # a truncated upload


def missing_notebook(solved, release):
    return None


def blank(solved, release):
    return copy.deepcopy(release)


BREAKERS = {
    "infinite loop": _append_to_first_solution("while True:\n    pass"),
    "memory bomb": _append_to_first_solution("hoard = []\nwhile True:\n    hoard.append(bytearray(10**8))"),
    "os._exit": _append_to_first_solution("import os\nos._exit(1)"),
    "sys.exit": _append_to_first_solution("import sys\nsys.exit('done')"),
    "deleted tests": deleted_tests,
    "edited test": edited_test,
    "markdown test": markdown_test,
    "copied solution": copied_solution,
    "invalid JSON": invalid_json,
    "missing notebook": missing_notebook,
    "blank": blank,
    "tampering": _append_to_first_solution("np.allclose = lambda *a, **k: True\n"
                                           "def assert_close(*args, **kwargs):\n    pass"),
}


# ---------- the class ----------

def partly_wrong(solved, variants, rng):
    wrong = [v for v in variants if v.kind == "wrong"]
    if not wrong:
        return solved
    v = rng.choice(wrong)
    return replace_definition(solved, v.function, v.source)


def write(course, student, assignment, content):
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if content is None:
        (folder / "my notes.txt").write_text("forgot to upload the notebook\n")
    elif isinstance(content, str):
        (folder / f"{assignment}.ipynb").write_text(content)
    else:
        nbformat.write(content, str(folder / f"{assignment}.ipynb"))


def make_course(course, assignments):
    """A scratch copy of the course, released into its own gradebook."""
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", course)
    for a in assignments:
        shutil.copytree(REPO / "solutions" / a, course / "solutions" / a, dirs_exist_ok=True)
    nbgrader(course, "generate_assignment", "*", "--force")


def make_class(course, students, assignments, seed=0):
    """Write submitted/ for `students` fake students; return {student: description}."""

    variants = catalogue.load()
    rng = random.Random(seed)
    solved, release = {}, {}
    for a in assignments:
        release[a] = read(course / "notebooks" / a / f"{a}.ipynb")
        solved[a] = as_student_solution(release[a], read(REPO / "solutions" / a / f"{a}.ipynb"))
    names = list(BREAKERS)
    made = {}
    for k in range(students):
        kind = ("correct", "partly wrong", "broken")[k % 3]
        student = f"s{k + 1:03d}-{re.sub('[^a-z]+', '-', kind)}"
        broken_in, breaker = rng.choice(assignments), names[(k // 3) % len(names)]
        for a in assignments:
            nb = solved[a] if kind == "correct" else partly_wrong(solved[a], variants.get(a, []), rng)
            if kind == "broken" and a == broken_in:
                nb = BREAKERS[breaker](nb, release[a])
            write(course, student, a, nb)
        made[student] = kind + (f": {breaker} in {broken_in}" if kind == "broken" else "")
    return made


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("course", type=pathlib.Path, help="folder for the scratch course (created)")
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--assignments", nargs="*", help="default: every assignment in solutions/")
    args = parser.parse_args(argv)
    assignments = args.assignments or sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
    if (args.course / "submitted").exists():
        sys.exit(f"{args.course / 'submitted'} exists already: pick a new folder.")
    make_course(args.course, assignments)
    for student, what in make_class(args.course, args.students, assignments, args.seed).items():
        print(f"{student:<24} {what}")
    print(f"\nNow grade them: cd {args.course} && {sys.executable} -m rnngrader.autograde")


if __name__ == "__main__":
    main()
