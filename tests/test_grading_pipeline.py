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
from course import as_student_solution, code_scores, nbgrader, read, replace_definition, scratch_course, submit

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

    # Feedback is generated for a graded student, and it shows the score.
    nbgrader(course, "generate_feedback", assignment, "--student", "blank")
    html = (course / "feedback" / "blank" / assignment / f"{assignment}.html").read_text()
    assert "NotImplementedError" in html
