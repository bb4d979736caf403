"""The real nbgrader autograder on a scratch copy of the course.

Per assignment, one autograde run grades a whole fake class:
- "solution": the release filled in with the instructor's answers -> full marks;
- "blank": the release untouched -> zero, and the grader does not crash;
- one student per catalogue variant (tests/catalogue/): every typical wrong
  answer loses points, every correct answer written differently gets full marks.
"""
import pytest

import catalogue
from conftest import ASSIGNMENTS, REPO
from course import (as_student_solution, code_scores, hidden_test_lines, html_text, nbgrader, nbgrader_meta, read,
                    replace_definition, scratch_course, submit)

pytestmark = pytest.mark.slow
CATALOGUE = catalogue.load()


def test_catalogue_covers_every_graded_function():
    for assignment in ASSIGNMENTS:
        variants = CATALOGUE.get(assignment, [])
        source = read(REPO / "solutions" / assignment / f"{assignment}.ipynb")
        import re

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
def test_autograder_judges_the_class(assignment, tmp_path):
    course = scratch_course(tmp_path, [assignment])
    source = read(REPO / "solutions" / assignment / f"{assignment}.ipynb")
    release = read(course / "notebooks" / assignment / f"{assignment}.ipynb")
    solved = as_student_solution(release, source)
    submit(course, "solution", assignment, solved)
    submit(course, "blank", assignment, release)
    variants = {v.student_id: v for v in CATALOGUE[assignment]}
    for student, variant in variants.items():
        submit(course, student, assignment, replace_definition(solved, variant.function, variant.source))

    nbgrader(course, "autograde", assignment, "--create")
    scores = code_scores(course, assignment)

    score, full = scores["solution"]
    assert full > 0 and score == full, f"the instructor's answers get {score}/{full}"
    assert scores["blank"][0] == 0, f"the blank release gets {scores['blank'][0]}, not 0"
    problems = []
    for student, variant in variants.items():
        got = scores[student][0]
        if variant.kind == "wrong" and got >= full:
            problems.append(f"wrong answer not caught: {variant.function} / {variant.label} got {got}/{full}")
        if variant.kind == "correct" and got != full:
            problems.append(f"correct answer marked down: {variant.function} / {variant.label} got {got}/{full}")
    assert not problems, "\n".join(problems)

    # Feedback (HTML takes ~2 s a student): the solution, the blank release, and one wrong answer per function.
    first_wrong = {}
    for student, variant in variants.items():
        if variant.kind == "wrong":
            first_wrong.setdefault(variant.function, student)
    check_feedback(course, assignment, source, ["solution", "blank", *first_wrong.values()], list(variants))


def check_feedback(course, assignment, source, students, others=()):
    """No hidden test leaks into feedback, and every failing visible test explains itself there.

    `students` get their feedback generated and read; for `others` only the graded
    notebook is checked (every failing visible test has a message in words).
    """
    for student in students:
        nbgrader(course, "generate_feedback", assignment, "--student", student)
    secret = hidden_test_lines(source)
    hidden_ids = {c.metadata["nbgrader"]["grade_id"] for c in source.cells
                  if nbgrader_meta(c).get("grade") and "### BEGIN HIDDEN TESTS" in c.source}
    problems = []
    for student in [*students, *others]:
        path = course / "feedback" / student / assignment / f"{assignment}.html"
        html = path.read_text() if student in students else ""
        text = html_text(html)
        leaked = [line for line in secret if " ".join(line.split()) in text]
        if leaked:
            problems.append(f"{student}: hidden test code in the feedback: {leaked[:2]}")
        if "BEGIN HIDDEN TESTS" in html:
            problems.append(f"{student}: a hidden-test marker in the feedback")
        graded = read(course / "autograded" / student / assignment / f"{assignment}.ipynb")
        for cell in graded.cells:
            meta = nbgrader_meta(cell)
            if not meta.get("grade") or cell.cell_type != "code":
                continue
            for out in cell.get("outputs", []):
                if out.get("output_type") != "error":
                    continue
                if meta["grade_id"] in hidden_ids:
                    continue          # its outputs are replaced by one line in the feedback (rnngrader/feedback.py)
                message = " ".join(out["evalue"].split())
                if not message and out["ename"] != "NotImplementedError":
                    problems.append(f"{student}: visible test {meta['grade_id']} fails with a bare {out['ename']}")
                elif message and html and message[:120] not in text:
                    problems.append(f"{student}: the message of {meta['grade_id']} is not in the feedback: {message[:80]}")
        shown = text.count("Hidden tests: passed") + text.count("Hidden tests: failed")
        if html and shown != len(hidden_ids):
            problems.append(f"{student}: {shown} hidden-test verdicts in the feedback, expected {len(hidden_ids)}")
    assert not problems, "\n".join(problems[:20])
