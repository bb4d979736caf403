"""`nbgrader validate` on every released notebook, as a student runs it (no course config around)."""
import subprocess

import nbformat
import pytest

from tests.course import ASSIGNMENTS, BIN, NBGRADER, REPO
from tests.course import as_student_solution, read, replace_definition

pytestmark = pytest.mark.slow

WRONG_02 = """\
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h_next = np.tanh(x @ Wx + h_prev @ Wh)
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""


def validate(folder, nb):
    path = folder / "mine.ipynb"
    nbformat.write(nb, str(path))
    result = subprocess.run([*NBGRADER, "validate", path.name], cwd=folder, capture_output=True,
                            text=True, timeout=600, env={"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(folder),
                                                         "OPENBLAS_NUM_THREADS": "1"})
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

    solved = as_student_solution(release, read(REPO / "solutions" / assignment / f"{assignment}.ipynb"))
    out = validate(tmp_path, solved)
    assert "Success! Your notebook passes all the tests." in out, out[:2000]


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
