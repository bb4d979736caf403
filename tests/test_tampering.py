"""A submission that tampers with the grader must not fool it.

Two layers, each tested on its own and then together through the real nbgrader:
- rnnlib/tampering.py, outside the kernel: before a submission runs, statements
  that replace numpy, rnnlib or a grading helper are disabled and recorded;
- rnnlib/integrity.py, inside the kernel: every grading helper checks that
  numpy, rnnlib and the helpers are still the genuine ones.
"""
import json
import subprocess
import sys

import nbformat
import pytest

from conftest import ASSIGNMENTS, REPO
from course import as_student_solution, code_scores, execute, nbgrader, read, replace_definition, scratch_course, submit
from rnnlib.tampering import _python_source, _student_editable, disable, protected_names, scan

CAUGHT = [
    ("np.allclose = lambda *a, **k: True", "assigns to np.allclose"),
    ("np.testing.assert_allclose = print", "assigns to np.testing.assert_allclose"),
    ("def assert_close(*a, **k):\n    pass", "redefines assert_close"),
    ("assert_close = call_own = lambda *a, **k: None", "rebinds assert_close"),
    ("import rnnlib.grading\nrnnlib.grading.assert_close = print", "assigns to rnnlib.grading.assert_close"),
    ("rnnlib.rnn_step_forward = rnn_step_forward", "assigns to rnnlib.rnn_step_forward"),
    ("import rnnlib.grading as G\nG.assert_close = print", "assigns to G.assert_close"),
    ("from rnnlib import rnn_forward as f\nf.__defaults__ = None", "assigns to f.__defaults__"),
    ("setattr(np, 'allclose', None)", "calls setattr()"),
    ("exec('np.allclose = 1')", "calls exec()"),
    ("eval(compile('1', 'x', 'eval'))", "calls eval()"),
    ("globals()['assert_close'] = print", "calls globals()"),
    ("def f(x):\n    np.tanh = abs\n    return x", "assigns to np.tanh"),
    ("def f():\n    global np\n    np = None", "declares np global"),
    ("import math as np", "imports math as np"),
    ("from rnnlib.grading import assert_true as assert_close", "imports rnnlib.grading.assert_true as"),
    ("%%time\nnp.tanh = abs", "assigns to np.tanh"),
    ("%%writefile numpy.py\nallclose = None", "cell magic %%writefile"),
    ("!rm -rf ~", "uses .system"),
    ("%run cheat.py", "the magic %run"),
    ("import builtins\nbuiltins.abs = len", "imports builtins"),
    ("import importlib", "imports importlib"),
    ("sys.modules['numpy'] = None", "uses .modules"),
    ("rnnlib.rnn_forward.__code__ = (lambda *a: 0).__code__", "uses .__code__"),
    ("np.__dict__['allclose'] = print", "uses .__dict__"),
    ("sys.setprofile(None)", "uses .setprofile"),
    ("get_ipython().run_cell('np.allclose = 1')", "uses .run_cell"),
]

HONEST = [
    "import numpy as np\nnp.random.seed(0)\nx = np.zeros(3)",
    "np.set_printoptions(precision=3)",
    "plt.rcParams['figure.dpi'] = 100",
    "%matplotlib inline\nfig, ax = plt.subplots()",
    "%%time\nh = np.tanh(x @ Wx + b)",
    "def f(x):\n    np = 3        # a local name: harmless\n    return np",
    "from rnnlib.grading import assert_close",
    "from numpy import allclose\nok = allclose(1, 1)",
    "def rnn_forward(x, h0, Wx, Wh, b):\n    h = h0\n    for t in range(x.shape[1]):\n        h = np.tanh(x[:, t] @ Wx + h @ Wh + b)\n    return h, None",
    "class Helper:\n    def __init__(self):\n        self.np = None",
    "cache = dict(x=1)\ncache['y'] = 2",
]


@pytest.fixture(scope="module")
def protected():
    nb = read(REPO / "solutions" / "02_vanilla_rnn" / "02_vanilla_rnn.ipynb")
    return protected_names(c.source for c in nb.cells
                           if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("locked"))


@pytest.mark.parametrize("source, reason", CAUGHT, ids=[c[1] for c in CAUGHT])
def test_tampering_is_found_and_disabled(source, reason, protected):
    findings = scan(source, protected)
    assert any(reason in r for _, _, r in findings), f"{source!r} not caught: {findings}"
    fixed = disable(source, findings)
    assert "[autograder] disabled" in fixed
    compile(_python_source(fixed), "cell", "exec")          # what is left still runs (IPython syntax)


@pytest.mark.parametrize("source", HONEST)
def test_honest_code_is_left_alone(source, protected):
    assert scan(source, protected) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_instructors_own_cells_pass_the_scan(assignment):
    nb = read(REPO / "solutions" / assignment / f"{assignment}.ipynb")
    code = [c for c in nb.cells if c.cell_type == "code"]
    names = protected_names(c.source for c in code if c.metadata.get("nbgrader", {}).get("locked"))
    flagged = {c.id: scan(c.source, names) for c in code if _student_editable(c)}
    assert not {k: v for k, v in flagged.items() if v}


INTEGRITY_PROBE = """
import json, sys, numpy as np, rnnlib
from rnnlib import integrity
out = {"clean": integrity.changes()}
{patch}
out["patched"] = integrity.changes()
try:
    rnnlib.grading.assert_close("x", 1.0, 1.0)
    out["raised"] = None
except AssertionError as e:
    out["raised"] = str(e)
print(json.dumps(out))
"""

PATCHES = {
    "np.allclose": ("np.allclose = lambda *a, **k: True", "np.allclose was replaced"),
    "np.abs": ("np.abs = lambda x: 0 * x", "np.abs was replaced"),
    "builtins": ("import builtins; builtins.abs = lambda x: 0", "builtins.abs was replaced"),
    "reference": ("rnnlib.rnn_forward = lambda *a: None", "rnnlib.rnn_forward was replaced"),
    "reference code": ("rnnlib.rnn_forward.__code__ = (lambda *a: None).__code__",
                       "the code of rnnlib.rnn_forward was changed"),
    "helper": ("import __main__; __main__.assert_close = lambda *a, **k: None",
               "the grading helper assert_close was redefined"),
    "helper in module": ("rnnlib.grading.assert_shape = lambda *a: None", "rnnlib.grading.assert_shape was replaced"),
    "sys.modules": ("import types; sys.modules['numpy'] = types.ModuleType('numpy')", "numpy itself was replaced"),
}


@pytest.mark.parametrize("what", PATCHES)
def test_the_helpers_notice_what_was_replaced(what):
    patch, message = PATCHES[what]
    result = subprocess.run([sys.executable, "-c", INTEGRITY_PROBE.replace("{patch}", patch)],
                            capture_output=True, text=True, cwd=REPO / "tests", timeout=120)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["clean"] == []
    assert any(message in m for m in out["patched"]), out["patched"]
    assert out["raised"] and "cannot be trusted" in out["raised"] and message in out["raised"]


CHEAT_CELL = """\
np.allclose = lambda *a, **k: True
import rnnlib.grading
rnnlib.grading.unpack = lambda name, result, names: result
def assert_close(*args, **kwargs):
    return None
"""


@pytest.mark.slow
def test_a_cheat_run_in_jupyter_fails_the_tests_with_a_reason(tmp_path):
    """Inside the kernel alone (no nbgrader to disable anything), the helpers still refuse."""
    a = "02_vanilla_rnn"
    solved = as_student_solution(read(REPO / "notebooks" / a / f"{a}.ipynb"),
                                 read(REPO / "solutions" / a / f"{a}.ipynb"))
    k = next(i for i, c in enumerate(solved.cells) if c.metadata.get("nbgrader", {}).get("solution"))
    solved.cells.insert(k + 1, nbformat.v4.new_code_cell(CHEAT_CELL))
    path = tmp_path / f"{a}.ipynb"
    nbformat.write(solved, str(path))
    nb = execute(path, fast=True, allow_errors=True)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    errors = [o for c in graded for o in c.outputs if o.output_type == "error"]
    assert errors and all(o.ename == "TamperingError" for o in errors), [(o.ename, o.evalue[:80]) for o in errors]
    assert "np.allclose was replaced" in errors[0].evalue


WRONG_STEP = """\
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h_next = np.tanh(x @ Wx + h_prev @ Wh)          # the bias is forgotten
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""
CHEATS = {
    "numpy": "np.allclose = lambda *a, **k: True\nnp.all = lambda *a, **k: True\nnp.abs = lambda x: 0 * x",
    "helpers": "def assert_close(*a, **k):\n    pass\n\nassert_shape = assert_true = lambda *a, **k: None",
    "helper-module": "import rnnlib.grading as G\nG.assert_close = G.assert_shape = lambda *a, **k: None",
    "reference": "import rnnlib\nrnnlib.rnn_step_forward = rnn_step_forward\nrnnlib.rnn_forward = None",
    "sideways": "setattr(np, 'allclose', lambda *a, **k: True)\nexec('assert_close = print')",
    "magic": "%%capture\nnp.tanh = abs",
}


@pytest.mark.slow
def test_the_autograder_is_not_fooled(tmp_path):
    a = "02_vanilla_rnn"
    course = scratch_course(tmp_path, [a])
    solved = as_student_solution(read(course / "notebooks" / a / f"{a}.ipynb"),
                                 read(REPO / "solutions" / a / f"{a}.ipynb"))
    wrong = replace_definition(solved, "rnn_step_forward", WRONG_STEP)
    submit(course, "honest-wrong", a, wrong)
    for name, cheat in CHEATS.items():
        submit(course, f"cheat-{name}", a, replace_definition(wrong, "rnn_step_forward", WRONG_STEP + "\n" + cheat)
               if not cheat.startswith("%%") else _with_cell(wrong, cheat))
    # A correct answer with a tampering line keeps its marks: only the line is disabled.
    right_src = next(c.source for c in solved.cells if "def rnn_step_forward(" in c.source)
    submit(course, "right-but-tampering", a,
           replace_definition(solved, "rnn_step_forward", right_src + "\nnp.allclose = lambda *a, **k: True"))
    submit(course, "solution", a, solved)

    nbgrader(course, "autograde", a, "--create")
    scores = code_scores(course, a)
    full = scores["solution"][1]
    assert scores["solution"][0] == full
    assert scores["right-but-tampering"][0] == full
    honest = scores["honest-wrong"][0]
    for name in CHEATS:
        assert scores[f"cheat-{name}"][0] <= honest, f"cheat {name} scored {scores[f'cheat-{name}']} > {honest}"
        graded = read(course / "autograded" / f"cheat-{name}" / a / f"{a}.ipynb")
        notes = graded.metadata.get("rnn_course", {}).get("tampering", [])
        assert notes, f"cheat {name}: nothing recorded for the instructor"
        assert "[autograder] disabled" in "".join(c.source for c in graded.cells)
    clean = read(course / "autograded" / "solution" / a / f"{a}.ipynb")
    assert "tampering" not in clean.metadata.get("rnn_course", {})


def _with_cell(nb, source):
    import copy

    nb = copy.deepcopy(nb)
    k = next(i for i, c in enumerate(nb.cells) if "def rnn_step_forward(" in c.source)
    nb.cells.insert(k + 1, nbformat.v4.new_code_cell(source))
    return nb
