"""rnnlib/cases: the visible test cases of the notebooks, and nothing hidden."""
import pkgutil
import subprocess
import sys

import pytest

import rnnlib.cases
from tests.course import ASSIGNMENTS, REPO
from tests.course import hidden_test_lines, read

MODULES = sorted(info.name for info in pkgutil.iter_modules(rnnlib.cases.__path__))


def test_every_cases_module_belongs_to_a_notebook_and_is_used_there():
    for name in MODULES:
        assignment = name.removeprefix("nb")
        assert assignment in ASSIGNMENTS, f"rnnlib/cases/{name}.py: no notebook {assignment}"
        released = (REPO / "notebooks" / assignment / f"{assignment}.ipynb").read_text()
        assert f"rnnlib.cases import {name}" in released, f"notebook {assignment} does not use rnnlib/cases/{name}.py"


@pytest.mark.parametrize("name", MODULES)
def test_a_cases_module_holds_no_hidden_test(name):
    """The package ships to students: no line of a hidden test region may be in it."""
    assignment = name.removeprefix("nb")
    source = (REPO / "rnnlib" / "cases" / f"{name}.py").read_text()
    flat = " ".join(source.split())
    leaked = [line for line in hidden_test_lines(read(REPO / "solutions" / assignment / f"{assignment}.ipynb"))
              if " ".join(line.split()) in flat]
    assert not leaked, f"rnnlib/cases/{name}.py holds hidden test lines: {leaked[:3]}"


def test_cases_import_quietly_without_plotting():
    """Importing the cases prints nothing and pulls in no plotting: they are numbers and small helpers."""
    code = ("import importlib, sys\n"
            f"for name in {MODULES!r}:\n"
            "    importlib.import_module('rnnlib.cases.' + name)\n"
            "print(sorted(m for m in sys.modules if m.startswith('matplotlib') or m.startswith('ipywidgets'))[:1])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"importing the cases printed or pulled in plotting: {result.stdout!r}"
