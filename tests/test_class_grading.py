"""rnngrader/autograde.py (make autograde): the checks before grading, and a whole class graded in parallel.

The checks are plain functions on notebooks (fast). The class test builds a class of five with
tools/synthetic_class.py (correct, partly wrong, a loop, a memory bomb, os._exit) and grades it with
2 jobs: every submission reaches the gradebook, the report names every student and every problem, and
the two students whose neighbours loop, hoard memory and kill their kernels get, cell by cell, the
scores that grading them one by one (1 job) gives.
"""
import copy
import random
import subprocess
import sys

import nbformat
import pytest

from tests import catalogue
from tests.course import REPO, as_student_solution, cell_scores, nbgrader_meta, read

from rnngrader import autograde
from tools import synthetic_class


A = "02_vanilla_rnn"


@pytest.fixture(scope="module")
def notebooks():
    """(release, solved) for 02, as in a released course (hidden tests stripped from the release)."""
    release = read(REPO / "notebooks" / A / f"{A}.ipynb")
    return release, as_student_solution(release, read(REPO / "solutions" / A / f"{A}.ipynb"))


def check(tmp_path, release, content):
    folder = tmp_path / "submitted" / "student" / A
    folder.mkdir(parents=True)
    synthetic_class.write(tmp_path, "student", A, content)
    sub = autograde.Submission("student", A)
    gradable = autograde.check_notebook(sub, folder, release, A)
    return gradable, sub


def test_a_clean_submission_has_nothing_to_report(tmp_path, notebooks):
    release, solved = notebooks
    assert check(tmp_path, release, solved) == (True, autograde.Submission("student", A))


@pytest.mark.parametrize("breaker, gradable, words", [
    ("invalid JSON", False, ["not a readable notebook", "scores zero"]),
    ("missing notebook", False, ["was not submitted"]),
    ("deleted tests", True, ["rnn-step-forward-visible-tests' was deleted", "put back"]),
    ("edited test", True, ["was edited", "restored"]),
    ("markdown test", True, ["turned into markdown", "restored"]),
    ("copied solution", True, ["'rnn-step-forward' appears 2 times", "last copy is graded"]),
])
def test_problems_are_found_and_said_in_words(tmp_path, notebooks, breaker, gradable, words):
    release, solved = notebooks
    ok, sub = check(tmp_path, release, synthetic_class.BREAKERS[breaker](solved, release))
    said = " ".join(sub.problems)
    assert ok == gradable, said
    for w in words:
        assert w in said, f"{breaker}: expected {w!r} in: {said}"


def test_a_misnamed_notebook_is_named(tmp_path, notebooks):
    release, solved = notebooks
    folder = tmp_path / "submitted" / "student" / A
    folder.mkdir(parents=True)
    nbformat.write(solved, str(folder / f"{A} (1).ipynb"))
    sub = autograde.Submission("student", A)
    assert not autograde.check_notebook(sub, folder, release, A)
    assert f"found {A} (1).ipynb instead" in sub.problems[0]


def test_a_renamed_grade_id_is_reported(tmp_path, notebooks):
    release, solved = notebooks
    nb = copy.deepcopy(solved)
    cell = next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == "rnn-forward-hidden-tests")
    cell.metadata.nbgrader["grade_id"] = "mine"
    ok, sub = check(tmp_path, release, nb)
    said = " ".join(sub.problems)
    assert ok and "'mine' that the assignment does not have" in said and "rnn-forward-hidden-tests' was deleted" in said


def _grade(course, jobs, timeout=10):
    result = subprocess.run([sys.executable, "-m", "rnngrader.autograde", "--jobs", str(jobs),
                             "--timeout", str(timeout), "--memory-mb", "1536"],
                            cwd=course, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_submission_graded_before_is_not_started_again_unless_submitted_again(tmp_path):
    """autograde.py applies nbgrader's skip rule itself, so an already graded student costs no nbgrader process."""
    course = type("Course", (), {"root": tmp_path})()
    sub = autograde.Submission("ann", A)
    submitted, graded = tmp_path / "submitted" / "ann" / A, tmp_path / "autograded" / "ann" / A
    submitted.mkdir(parents=True)
    assert not autograde.already_graded(course, sub), "never graded"
    graded.mkdir(parents=True)
    assert autograde.already_graded(course, sub), "graded, no timestamps: nbgrader skips it"
    (submitted / "timestamp.txt").write_text("2026-11-30 10:00:00.000000 UTC")
    (graded / "timestamp.txt").write_text("2026-11-30 10:00:00.000000 UTC")
    assert autograde.already_graded(course, sub), "graded, not submitted since"
    (submitted / "timestamp.txt").write_text("2026-11-30 11:00:00.000000 UTC")
    assert not autograde.already_graded(course, sub), "submitted again after it was graded"


@pytest.mark.slow
@pytest.mark.xdist_group("class_grading")
def test_parallel_grading_matches_one_by_one_and_reports_everyone(tmp_path):
    first = tmp_path / "parallel"
    synthetic_class.make_course(first, [A])
    # Five students: correct, partly wrong, and three whose kernels the grader must stop or bury.
    release = read(first / "notebooks" / A / f"{A}.ipynb")
    solved = as_student_solution(release, read(REPO / "solutions" / A / f"{A}.ipynb"))
    partly_wrong = synthetic_class.partly_wrong(solved, catalogue.load()[A], random.Random(3))
    made = {"s1-correct": solved, "s2-partly-wrong": partly_wrong}
    for k, breaker in enumerate(["infinite loop", "memory bomb", "os._exit"], start=3):
        made[f"s{k}-{breaker.replace(' ', '-').replace('.', '')}"] = synthetic_class.BREAKERS[breaker](partly_wrong, release)
    for student, nb in made.items():
        synthetic_class.write(first, student, A, nb)
    # One by one, the two whose scores depend only on their answers: the yardstick for the parallel run.
    second = tmp_path / "sequential"
    synthetic_class.make_course(second, [A])
    quiet = ["s1-correct", "s2-partly-wrong"]
    for student in quiet:
        synthetic_class.write(second, student, A, made[student])

    out = _grade(first, jobs=2)
    _grade(second, jobs=1)

    parallel, sequential = cell_scores(first, A), cell_scores(second, A)
    assert sorted(parallel) == sorted(made), f"not every submission reached the gradebook:\n{out}"
    assert {s: parallel[s] for s in quiet} == sequential, "grading beside the loop, the bomb and the exit changed scores"
    assert sum(parallel["s1-correct"].values()) == 11, f"s1 answered everything right: {parallel['s1-correct']}"

    report = (first / "autograded" / "REPORT.md").read_text()
    for student, what in made.items():
        assert f"| {student} | {A} |" in report, f"{student} is missing from the report"
    for words in ("time limit", "out of memory", "dead kernel"):
        assert words in report, f"the report does not mention '{words}':\n{report}"


@pytest.mark.slow
@pytest.mark.xdist_group("class_grading")
def test_a_class_graded_without_the_sandbox_says_so_on_every_line(tmp_path):
    synthetic_class.make_course(tmp_path, [A])
    made = synthetic_class.make_class(tmp_path, 2, [A], seed=5)
    result = subprocess.run([sys.executable, "-m", "rnngrader.autograde", "--no-sandbox", "--no-progress"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    report = (tmp_path / "autograded" / "REPORT.md").read_text()
    rows = [line for line in report.splitlines() if line.startswith("| ") and not line.startswith("| student")]
    assert len(rows) == len(made) and all("graded without the sandbox" in row for row in rows), report
    assert "--no-sandbox" in report.split("|")[0]
    table = [line for line in result.stdout.splitlines() if line.split()[:1] and line.split()[0] in made]
    assert len(table) == len(made) and all(line.endswith("[NO SANDBOX]") for line in table), result.stdout
    for student, what in made.items():
        if what == "correct":
            assert f"| {student} | {A} | 11/11" in report, report      # judged as usual, outside the kernel
