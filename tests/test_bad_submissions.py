"""Submissions that try to break the grader, graded by the real nbgrader with the course's config.

One scratch course (02_vanilla_rnn, 11 code points), one `nbgrader autograde` run for the whole
bad class, with short limits (10 s per cell, 1536 MB per kernel). Each student shows one trick; the
test checks that the trick costs exactly the points that depend on it, that the reason is in the
graded notebook, and that nobody else's grading suffered (a submission that stopped the run would
leave the rest ungraded). Solved cells elsewhere: full marks there.
"""
import copy

import nbformat
import pytest

from tests.course import REPO
from tests.course import (as_student_solution, cell_scores, graded_errors, nbgrader_meta, nbgrader_run, read,
                    scratch_course, submit)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("bad_submissions")]

A = "02_vanilla_rnn"
# 10 s per cell: a loop costs little, and a slow import on a busy CI machine (two test workers) still fits.
LIMITS = {"RNN_COURSE_CELL_TIMEOUT": "10", "RNN_COURSE_KERNEL_MEMORY_MB": "1536"}
STEP = ["rnn-step-forward-visible-tests", "rnn-step-forward-hidden-tests"]
FORWARD = ["rnn-forward-visible-tests", "rnn-forward-hidden-tests"]
AFFINE = ["temporal-affine-forward-visible-tests", "temporal-affine-forward-hidden-tests"]
FULL = 11


def _at(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == grade_id)


def _bad_class(solved, release):
    """{student: notebook or raw text}: one trick each."""
    def add(grade_id, code, base=solved):
        nb = copy.deepcopy(base)
        nb.cells[_at(nb, grade_id)].source += "\n\n" + code
        return nb

    def change_test(change, base):
        nb = copy.deepcopy(base)
        i = _at(nb, "rnn-forward-hidden-tests")
        nb.cells[i] = change(nb.cells[i])
        return nb

    def as_markdown(cell):
        return nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)

    def as_raw(cell):
        return nbformat.v4.new_raw_cell(cell.source, metadata=cell.metadata)

    def edited(cell):
        cell.source = "pass"
        return cell

    def stripped(cell):
        del cell.metadata["nbgrader"]
        cell.source = "pass"
        return cell

    def renamed(cell):
        cell.metadata.nbgrader["grade_id"] = "my-own-tests"
        cell.source = "pass"
        return cell

    # rnn_forward left unanswered: its tests must fail however they were tampered with.
    unanswered = copy.deepcopy(solved)
    unanswered.cells[_at(unanswered, "rnn-forward")] = copy.deepcopy(release.cells[_at(release, "rnn-forward")])
    deleted = copy.deepcopy(solved)
    del deleted.cells[_at(deleted, FORWARD[0]):_at(deleted, FORWARD[1]) + 1]
    skip_tagged = copy.deepcopy(unanswered)
    for grade_id in FORWARD:
        skip_tagged.cells[_at(skip_tagged, grade_id)].metadata["tags"] = ["skip-execution"]
    # A copy of a solution cell (same grade_id) with a wrong answer in it, above the original: once it stopped
    # the whole nbgrader run; now the last copy is graded and everyone else too.
    copied = copy.deepcopy(solved)
    twin = copy.deepcopy(copied.cells[_at(copied, "rnn-forward")])
    twin.id = "my-copy"
    twin.source = "def rnn_forward(x, h0, Wx, Wh, b):\n    return None, None"
    copied.cells.insert(_at(copied, "rnn-forward"), twin)
    return {
        "solution": solved,
        "loop-in-function": add("temporal-affine-forward", "def temporal_affine_forward(h, W, b):\n"
                                                           "    while True:\n        pass"),
        "loop-ignores-interrupt": add("rnn-step-forward", "import signal\n"
                                      "signal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
        "memory-bomb": add("rnn-step-forward", "hoard = []\nwhile True:\n    hoard.append(bytearray(10**8))"),
        "os-exit": add("rnn-step-forward", "import os\nos._exit(1)"),
        "sys-exit": add("rnn-step-forward", "import sys\nsys.exit('done')"),
        "deleted-tests": deleted,
        "edited-test": change_test(edited, unanswered),
        "markdown-test": change_test(as_markdown, unanswered),
        "raw-test": change_test(as_raw, unanswered),
        "stripped-test": change_test(stripped, unanswered),
        "renamed-test": change_test(renamed, unanswered),
        "skip-tagged-tests": skip_tagged,
        "invalid-json": nbformat.writes(solved)[:-300],
        "copied-solution": copied,
    }


# Graded once per test run: session scope, and the module's xdist_group keeps its tests on one worker (a worker
# may run other modules' tests in between, which would tear down a module-scoped fixture).
@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    course = scratch_course(tmp_path_factory.mktemp("bad"), [A])
    release = read(course / "notebooks" / A / f"{A}.ipynb")
    solved = as_student_solution(release, read(REPO / "solutions" / A / f"{A}.ipynb"))
    for student, nb in _bad_class(solved, release).items():
        if isinstance(nb, str):
            folder = course / "submitted" / student / A
            folder.mkdir(parents=True)
            (folder / f"{A}.ipynb").write_text(nb)
        else:
            submit(course, student, A, nb)
    run = nbgrader_run(course, "autograde", A, "--create", env=LIMITS)
    return course, cell_scores(course, A), run.stdout + run.stderr


def _total(scores, student):
    return sum(v or 0 for v in scores[student].values())


def _zero(scores, student, ids):
    return {g: scores[student][g] for g in ids if scores[student][g] != 0}


def test_the_rest_of_the_class_is_graded(graded):
    course, scores, log = graded
    assert _total(scores, "solution") == FULL, log[-3000:]
    everyone = {"solution", "loop-in-function", "loop-ignores-interrupt", "memory-bomb", "os-exit", "sys-exit",
                "deleted-tests", "edited-test", "markdown-test", "raw-test", "stripped-test", "renamed-test",
                "skip-tagged-tests", "copied-solution"}
    not_graded = sorted(s for s in everyone if not (course / "autograded" / s / A / f"{A}.ipynb").exists())
    assert not not_graded, f"not graded: {not_graded}\n{log[-3000:]}"


def test_infinite_loop_scores_zero_only_where_it_runs(graded):
    course, scores, log = graded
    assert _zero(scores, "loop-in-function", AFFINE) == {}, "the looping function's tests should score 0"
    assert _total(scores, "loop-in-function") == FULL - 3, scores["loop-in-function"]
    errors = graded_errors(course, "loop-in-function", A)
    assert "CellTimeoutError" in errors.get(AFFINE[0], []), f"the time-out is not shown in the test cell: {errors}"


def test_a_loop_that_ignores_the_interrupt_is_skipped(graded):
    course, scores, log = graded
    assert _zero(scores, "loop-ignores-interrupt", STEP + FORWARD) == {}
    assert _total(scores, "loop-ignores-interrupt") == 3, f"the affine exercise should still count\n{log[-3000:]}"
    errors = graded_errors(course, "loop-ignores-interrupt", A)
    assert errors.get("rnn-step-forward") == ["CellTimeoutError"], errors


def test_memory_bomb_becomes_a_memory_error(graded):
    course, scores, log = graded
    assert _total(scores, "memory-bomb") == 3, f"{scores['memory-bomb']}\n{log[-3000:]}"
    errors = graded_errors(course, "memory-bomb", A)
    assert errors.get("rnn-step-forward") == ["MemoryError"], errors


def test_os_exit_costs_only_what_depends_on_its_cell(graded):
    course, scores, log = graded
    assert _total(scores, "os-exit") == 3, f"{scores['os-exit']}\n{log[-3000:]}"
    errors = graded_errors(course, "os-exit", A)
    assert errors.get("rnn-step-forward") == ["KernelDiedError"], errors


def test_sys_exit_is_just_an_error(graded):
    course, scores, log = graded
    assert _total(scores, "sys-exit") == FULL, scores["sys-exit"]


def test_deleted_test_cells_are_put_back_and_graded(graded):
    course, scores, log = graded
    assert scores["deleted-tests"][FORWARD[0]] == 2 and scores["deleted-tests"][FORWARD[1]] == 2, \
        f"the deleted tests were not put back and run: {scores['deleted-tests']}"
    assert _total(scores, "deleted-tests") == FULL


@pytest.mark.parametrize("student", ["edited-test", "markdown-test", "raw-test", "stripped-test", "renamed-test",
                                     "skip-tagged-tests"])
def test_tampered_test_cells_still_catch_an_unanswered_exercise(graded, student):
    course, scores, log = graded
    assert student in scores, f"{student} was not graded\n{log[-3000:]}"
    assert _zero(scores, student, FORWARD) == {}, f"{student}: rnn_forward is unanswered but scores {scores[student]}"
    assert _total(scores, student) == FULL - 4, scores[student]


def test_a_copied_solution_cell_neither_stops_grading_nor_counts(graded):
    course, scores, log = graded
    assert "copied-solution" in scores, f"the copied cell stopped grading\n{log[-3000:]}"
    assert _total(scores, "copied-solution") == FULL, scores["copied-solution"]


def test_invalid_json_scores_zero_and_says_why(graded):
    course, scores, log = graded
    assert _total(scores, "invalid-json") == 0
    assert "NotJSONError" in log or "not appear to be JSON" in log
