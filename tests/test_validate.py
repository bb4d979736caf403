"""`nbgrader validate` on every released notebook, as a student runs it (no course config around).

The blank release runs with the whole rnnlib, as someone studying alone has it. The solved release runs as a
student of a graded class has it while that assignment is open: against the class's rnnlib
(rnngrader/classmode.py), the answers to it and to the later assignments held back, those of the earlier ones
released. Every cell must run, tests and demos (validate_all).
"""
import subprocess

import nbformat
import pytest

from rnngrader import classmode
from tests.course import ASSIGNMENTS, BIN, NBGRADER, REPO
from tests.course import as_student_solution, read, replace_definition

pytestmark = pytest.mark.slow

WRONG_02 = """\
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h_next = np.tanh(x @ Wx + h_prev @ Wh)
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""


def validate(folder, nb, pythonpath=None, every_cell=False):
    """The output of `nbgrader validate` on nb; rnnlib from `pythonpath` when given (a class build)."""
    path = folder / "mine.ipynb"
    nbformat.write(nb, str(path))
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(folder), "OPENBLAS_NUM_THREADS": "1"}
    if pythonpath:      # released answers come from nowhere: only the build's own (closed) assignments run
        env.update(PYTHONPATH=str(pythonpath), RNNLIB_ANSWERS=str(folder / "no answers released"))
    every = ["--Validator.validate_all=True"] if every_cell else []
    result = subprocess.run([*NBGRADER, "validate", path.name, *every], cwd=folder, capture_output=True,
                            text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback (most recent call last)" not in result.stderr, result.stderr[-2000:]
    return result.stdout


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_validate_tells_a_student_where_they_stand(assignment, tmp_path):
    release = read(REPO / "notebooks" / assignment / f"{assignment}.ipynb")
    graded = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade")]
    visible_tests = [c for c in graded if c.cell_type == "code" and "assert" in c.source]
    written = [c for c in graded if c.cell_type == "markdown"]

    out = validate(tmp_path, release)      # every visible test fails, every written answer is missing
    assert f"VALIDATION FAILED ON {len(visible_tests) + len(written)} CELL(S)" in out, out[:500]
    assert "NotImplementedError" in out
    assert ("You did not provide a response." in out) == bool(written)

    # Solved, in class mode: the earlier assignments closed, this one and the later ones open.
    build = tmp_path / "class"
    classmode.build(build, ASSIGNMENTS[:ASSIGNMENTS.index(assignment)])
    solved = as_student_solution(release, read(REPO / "solutions" / assignment / f"{assignment}.ipynb"))
    solved.cells.append(nbformat.v4.new_code_cell(
        f"assert rnnlib.__file__ == {str(build / 'rnnlib' / '__init__.py')!r}, 'not the class build: ' + rnnlib.__file__"))
    out = validate(tmp_path, solved, pythonpath=build, every_cell=True)
    assert "Success! Your notebook passes all the tests." in out, out[:3000]


def test_validate_shows_the_message_of_a_failing_test(tmp_path):
    a = "02_vanilla_rnn"
    release = read(REPO / "notebooks" / a / f"{a}.ipynb")
    solved = as_student_solution(release, read(REPO / "solutions" / a / f"{a}.ipynb"))
    out = validate(tmp_path, replace_definition(solved, "rnn_step_forward", WRONG_02))
    assert "VALIDATION FAILED ON 2 CELL(S)" in out, out[:500]    # this test, and rnn_forward's, which uses it
    # the hint must be in what the student reads under "The error was:", whole (validate cuts lines at 87
    # characters and ends them with "..."), not only in the echo of the test's source above it
    errors = [part.split("The error was:", 1)[1].split("=" * 20)[0] for part in out.split("The following cell failed:")[1:]]
    said = [line.strip() for line in errors[0].splitlines()]
    assert "Hint: h_next ignores the bias b." in said, errors[0]
    start = next(k for k, line in enumerate(said) if line.startswith("GradingError:"))
    message = said[start:start + 3]
    assert not any(line.endswith("...") for line in message), message
