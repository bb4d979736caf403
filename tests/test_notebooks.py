"""Every solution notebook runs clean; every released notebook fails only at its exercises."""
import pytest

from tests.course import ASSIGNMENTS, REPO
from tests.course import errors, execute, nbgrader_meta

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebook_runs_top_to_bottom(assignment):
    nb = execute(REPO / "solutions" / assignment / f"{assignment}.ipynb")
    assert not errors(nb)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_notebook_fails_only_at_exercises(assignment):
    nb = execute(REPO / "notebooks" / assignment / f"{assignment}.ipynb", fast=True, allow_errors=True)
    found = errors(nb)
    assert found, "a blank release should stop at its exercises"
    first_exercise = min(k for k, c in enumerate(nb.cells) if nbgrader_meta(c).get("solution") and c.cell_type == "code")
    early = [(k, c.id) for k, c, *_ in found if k < first_exercise]
    assert not early, f"cells before the first exercise fail: {early}"
    other = [(c.id, ename, evalue) for k, c, ename, evalue in found if ename != "NotImplementedError"]
    assert not other, f"cells fail with something other than NotImplementedError: {other}"
