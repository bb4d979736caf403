"""The grader on every answer in the catalogue, and the real nbgrader end to end.

Per assignment:
- the catalogue (tests/catalogue/), judged function by function by the trusted judge that grades a
  class (rnngrader/answers.py: each answer in a sandboxed kernel, the visible and hidden tests in the
  judge): the instructor's answers pass every test, every typical wrong answer fails at least one of
  the tests that take its function, every correct answer written differently passes them all, and
  every failing visible test says what is wrong in words;
- one real `nbgrader autograde` of a class of three (one run for all seven assignments), with the
  course's nbgrader_config.py: the
  instructor's answers get full marks, the blank release gets zero without crashing the grader, a
  student with a typical mistake in every function loses points in each function's own tests, and
  the feedback holds no hidden test and shows every failing visible test's message.
"""
import re

import pytest

from tests import catalogue
from tests.course import ASSIGNMENTS, REPO
from tests.course import (as_student_solution, cell_scores, code_scores, hidden_test_lines, html_text, nbgrader, nbgrader_meta, read,
                    replace_definition, scratch_course, submit)
from rnngrader import classmode, judge
from rnngrader.answers import judge_answers

pytestmark = pytest.mark.slow
CATALOGUE = catalogue.load()


def test_catalogue_covers_every_graded_function():
    for assignment in ASSIGNMENTS:
        variants = CATALOGUE.get(assignment, [])
        source = read(REPO / "solutions" / assignment / f"{assignment}.ipynb")
        defined = sorted({m for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")
                          for m in re.findall(r"^def (\w+)\(", c.source, flags=re.M)})
        for function in defined:
            wrong = [v for v in variants if v.function == function and v.kind == "wrong"]
            right = [v for v in variants if v.function == function and v.kind == "correct"]
            assert len(wrong) >= 8, f"{assignment}: {function} has {len(wrong)} wrong answers in the catalogue (need 8)"
            assert len(right) >= 1, f"{assignment}: {function} has no correct variant in the catalogue"
        ids = [v.student_id for v in variants]
        assert len(ids) == len(set(ids)), f"{assignment}: two variants share a label"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_judge_tells_every_catalogue_answer_apart(assignment):
    source = read(REPO / "solutions" / assignment / f"{assignment}.ipynb")
    variants = {v.student_id: v for v in CATALOGUE[assignment]}
    answers = {"solution": {}, **{label: v.answer for label, v in variants.items()}}
    # A wrong answer meets only the tests that take its function (a catch elsewhere would not count); the
    # instructor's answers and every correct answer meet them all, as a student's notebook would.
    only = {label: [v.function] for label, v in variants.items() if v.kind == "wrong"}
    verdicts = judge_answers(source, answers, cell_timeout=30, only=only)
    assert verdicts["solution"] and not any(verdicts["solution"].values()), verdicts["solution"]
    visible = {t.key for t in judge.plan(source).tests.values() if not t.hidden}
    own = own_tests(source)
    problems = []
    for label, variant in variants.items():
        failed = {key: error for key, error in verdicts[label].items()
                  if error and (not variant.also or key in own[variant.function])}
        said = [" ".join(error.split()) for key, error in failed.items() if key in visible]
        if variant.says and not any(" ".join(variant.says.split()) in words for words in said):
            problems.append(f"{variant.function} / {variant.label}: no visible test says {variant.says!r}: {said}")
        if variant.kind == "wrong" and not failed:
            problems.append(f"wrong answer not caught: {variant.function} / {variant.label}")
        if variant.kind == "correct" and failed:
            problems.append(f"correct answer marked down: {variant.function} / {variant.label}: "
                            f"{next(iter(failed.values()))[:200]}")
        for key, error in failed.items():
            name, _, message = error.partition(": ")
            if key in visible and not message.strip() and name != "NotImplementedError":
                problems.append(f"{variant.label}: visible test {key} fails with a bare {name}")
    assert not problems, "\n".join(problems)


def _first_wrong(assignment):
    """The catalogue's first wrong answer for each function (one not marked `also`)."""
    first = {}
    for v in CATALOGUE[assignment]:
        if v.kind == "wrong" and not v.also and v.function not in first:
            first[v.function] = v
    return first


# One course with all seven assignments and a class of three in each, graded by one `nbgrader autograde` run
# (one nbgrader process, as an instructor runs it), then checked assignment by assignment. Session scope and
# one xdist_group: the class is graded once, on one worker. It is graded in class mode: each notebook's kernel
# imports the class build of its assignment (rnngrader/classmode.py, the earlier assignments closed), and the
# scores are what the judge gives without it (the catalogue, judged with the whole rnnlib, and the other classes).
@pytest.fixture(scope="session")
def class_of_three(tmp_path_factory):
    course = scratch_course(tmp_path_factory.mktemp("three"), ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        source = read(REPO / "solutions" / assignment / f"{assignment}.ipynb")
        release = read(course / "notebooks" / assignment / f"{assignment}.ipynb")
        solved = as_student_solution(release, source)
        submit(course, "solution", assignment, solved)
        submit(course, "blank", assignment, release)
        # a typical mistake in every function: each function's own test cells must lose points, whatever the
        # other wrong answers do
        mistaken = solved
        for v in _first_wrong(assignment).values():
            mistaken = replace_definition(mistaken, v.function, v.source)
        submit(course, "mistakes", assignment, mistaken)
    builds = classmode.build_each(course / "class-builds")
    nbgrader(course, "autograde", "*", "--create", f"--SandboxedKernelManager.rnnlib_build={builds}")
    nbgrader(course, "generate_feedback", "*")          # for every graded student and assignment at once
    return course


@pytest.mark.xdist_group("class_of_three")
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_nbgrader_grades_the_solution_the_blank_release_and_typical_mistakes(assignment, class_of_three):
    course = class_of_three
    source = read(REPO / "solutions" / assignment / f"{assignment}.ipynb")
    scores = code_scores(course, assignment)

    score, full = scores["solution"]
    assert full > 0 and score == full, f"the instructor's answers get {score}/{full}"
    assert scores["blank"][0] == 0, f"the blank release gets {scores['blank'][0]}, not 0"
    points = {nbgrader_meta(c)["grade_id"]: nbgrader_meta(c)["points"] for c in source.cells
              if nbgrader_meta(c).get("grade") and c.cell_type == "code"}
    own = own_tests(source)
    got = cell_scores(course, assignment)["mistakes"]
    for v in _first_wrong(assignment).values():
        assert own[v.function], f"no test cell of {v.function}"
        assert any((got[g] or 0) < points[g] for g in own[v.function]), \
            f"wrong answer not caught: {v.function} / {v.label}: {({g: got[g] for g in own[v.function]})}"
    check_feedback(course, assignment, source, ["solution", "blank", "mistakes"])


def own_tests(source):
    """{graded function: grade_ids of its own test cells}: those named after its solution cell's grade_id.

    The solution cell `best-acc-solution` defines best_current_char_accuracy; its tests are `best-acc-...`."""
    stems = {f: nbgrader_meta(c)["grade_id"].removesuffix("-solution") for c in source.cells
             if nbgrader_meta(c).get("solution") for f in re.findall(r"^def (\w+)\(", c.source, flags=re.M)}
    tests = [nbgrader_meta(c)["grade_id"] for c in source.cells if nbgrader_meta(c).get("grade") and c.cell_type == "code"]
    return {f: [g for g in tests if g.startswith(stem + "-")] for f, stem in stems.items()}


def check_feedback(course, assignment, source, students):
    """No hidden test leaks into the feedback nbgrader wrote, and every failing visible test explains itself there."""
    secret = hidden_test_lines(source)
    hidden_ids = {c.metadata["nbgrader"]["grade_id"] for c in source.cells
                  if nbgrader_meta(c).get("grade") and "### BEGIN HIDDEN TESTS" in c.source}
    problems = []
    for student in students:
        html = (course / "feedback" / student / assignment / f"{assignment}.html").read_text()
        text = html_text(html)
        leaked = [line for line in secret if " ".join(line.split()) in text]
        if leaked:
            problems.append(f"{student}: hidden test code in the feedback: {leaked[:2]}")
        if "BEGIN HIDDEN TESTS" in html:
            problems.append(f"{student}: a hidden-test marker in the feedback")
        graded = read(course / "autograded" / student / assignment / f"{assignment}.ipynb")
        for cell in graded.cells:
            meta = nbgrader_meta(cell)
            if not meta.get("grade") or cell.cell_type != "code" or meta["grade_id"] in hidden_ids:
                continue          # a hidden test's outputs are one line in the feedback (rnngrader/feedback.py)
            for out in cell.get("outputs", []):
                if out.get("output_type") != "error":
                    continue
                message = " ".join(out["evalue"].split())
                if not message and out["ename"] != "NotImplementedError":
                    problems.append(f"{student}: visible test {meta['grade_id']} fails with a bare {out['ename']}")
                elif message and message[:120] not in text:
                    problems.append(f"{student}: the message of {meta['grade_id']} is not in the feedback: {message[:80]}")
        shown = text.count("Hidden tests: passed") + text.count("Hidden tests: failed")
        if shown != len(hidden_ids):
            problems.append(f"{student}: {shown} hidden-test verdicts in the feedback, expected {len(hidden_ids)}")
    assert not problems, "\n".join(problems[:20])
