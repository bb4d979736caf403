"""Class mode (rnngrader/classmode.py): the class's rnnlib holds no answer key of an open assignment.

For every assignment, as students have it while that assignment is open (the earlier ones closed, their answers
released; it and the later ones open), the class build is made and checked from outside, in a fresh Python:
every module imports; every key of an open assignment, and every other route to its numbers that the inventory
of issue 15 found (a cell, a model, a training helper), raises AnswerNotReleased; and no line of a key's code is
left in any file of the build. The keys of closed assignments work as in rnnlib.
"""
import ast
import inspect
import json
import os
import subprocess
import sys

import pytest

from rnngrader import classmode
from tests.course import REPO

pytestmark = pytest.mark.slow          # seven builds, each imported in a fresh Python: about 15 s

# Other routes to a key's numbers: (the assignment whose key they reach, code run with numpy as np and rnnlib
# imported). Each must raise AnswerNotReleased while that assignment is open.
ROUTES = [
    ("01_ann_limits", "rnnlib.train.sampling.softmax_with_temperature(np.zeros(3))"),
    ("02_vanilla_rnn", "rnnlib.RNNCell().forward(np.zeros((1, 2, 3)), rnnlib.RNNCell().init_params(3, 4, np.random.default_rng(0), np.float64))"),
    ("01_ann_limits", "rnnlib.MLPClassifier(3, 4, 2).predict_proba(np.zeros((1, 3)))"),
    ("03_bptt", "rnnlib.RNNCell().backward(np.zeros((1, 2, 4)), None)"),
    ("04_vanishing_gradients", "rnnlib.RNNClassifier(3, 4, 2, cell=rnnlib.ReLURNNCell()).fit("
                               "np.zeros((4, 2), int), np.zeros(4, int), steps=1, batch_size=2, clip=1.0)"),
    ("05_lstm", "rnnlib.LSTMCell().forward(np.zeros((1, 2, 3)), rnnlib.LSTMCell().init_params(3, 4, np.random.default_rng(0), np.float64))"),
    ("05_lstm", "rnnlib.GRUCell().forward(np.zeros((1, 2, 3)), rnnlib.GRUCell().init_params(3, 4, np.random.default_rng(0), np.float64))"),
    ("05_lstm", "rnnlib.CharLM(5, hidden_size=4, cell='lstm').loss(np.zeros((1, 3), int), np.zeros((1, 3), int))"),
    ("06_char_lm", "rnnlib.generate(lambda ids, s: (np.zeros((1, 3)), s), None, [0], 1, 1.0, np.random.default_rng(0))"),
    ("07_seq2seq", "rnnlib.Seq2Seq(hidden_size=4, seed=0).translate(['1 may 2001'])"),
]

PROBE = r'''
import importlib, inspect, json, pkgutil, sys
import numpy as np
import rnnlib
keys, routes = json.loads(sys.argv[1])
out = {"file": rnnlib.__file__, "import_errors": {}, "keys": {}, "routes": []}
for info in pkgutil.walk_packages(rnnlib.__path__, "rnnlib."):
    try:
        importlib.import_module(info.name)
    except Exception as e:
        out["import_errors"][info.name] = f"{type(e).__name__}: {e}"
from rnnlib._not_released import AnswerNotReleased

def outcome(call):
    try:
        call()
    except AnswerNotReleased as e:
        return "not released: " + str(e)
    except Exception as e:
        return f"other: {type(e).__name__}: {e}"
    return "ran"

for module, name, assignment in keys:
    obj = importlib.import_module("rnnlib." + module)
    for part in name.split("."):
        obj = getattr(obj, part)
    n = len(inspect.signature(obj).parameters)
    out["keys"][f"{module}:{name}"] = outcome(lambda: obj(*[None] * n))
for assignment, code in routes:
    out["routes"].append([assignment, code, outcome(lambda: exec(code, {"np": np, "rnnlib": rnnlib}))])
print(json.dumps(out))
'''


def _body_lines(module, name):
    """The distinctive lines of a key's code in rnnlib (docstring included), stripped."""
    path = REPO.joinpath("rnnlib", *module.split(".")).with_suffix(".py")
    source = path.read_text()
    node = classmode.definition(ast.parse(source), name)
    lines = source.splitlines()[node.body[0].lineno - 1:node.end_lineno]
    return {line.strip() for line in lines if len(line.strip()) >= 30}


def _outside(keys):
    """The stripped lines of rnnlib that lie outside the bodies of `keys`."""
    spans = {}
    for module, name, _ in keys:
        path = REPO.joinpath("rnnlib", *module.split(".")).with_suffix(".py")
        node = classmode.definition(ast.parse(path.read_text()), name)
        spans.setdefault(path, []).append((node.body[0].lineno, node.end_lineno))
    lines = set()
    for path in (REPO / "rnnlib").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not any(first <= number <= last for first, last in spans.get(path, [])):
                lines.add(line.strip())
    return lines


@pytest.mark.parametrize("k", range(len(classmode.ASSIGNMENTS)))
def test_an_open_assignment_leaves_no_answer_key_in_the_class_build(k, tmp_path):
    current = classmode.ASSIGNMENTS[k]
    closed, still_open = classmode.ASSIGNMENTS[:k], classmode.ASSIGNMENTS[k:]
    target = classmode.build(tmp_path, closed)
    keys = classmode.keys_of(still_open)
    released = classmode.keys_of(closed)

    env = {**os.environ, "PYTHONPATH": str(tmp_path), "RNNLIB_ANSWERS": str(tmp_path / "none released")}
    run = subprocess.run([sys.executable, "-c", PROBE, json.dumps([keys + released, ROUTES])], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout)
    assert found["file"] == str(target / "__init__.py"), "the probe imported another rnnlib"

    problems = []
    for module, error in found["import_errors"].items():
        problems.append(f"{module} does not import: {error}")
    for module, name, assignment in keys:
        said = found["keys"][f"{module}:{name}"]
        if not said.startswith("not released") or assignment not in said:
            problems.append(f"{module}:{name} ({assignment}, open) {said[:120]}")
    for module, name, assignment in released:
        if found["keys"][f"{module}:{name}"].startswith("not released"):
            problems.append(f"{module}:{name} ({assignment}, closed) is still left out")
    for assignment, code, said in found["routes"]:
        if assignment in still_open and not said.startswith("not released"):
            problems.append(f"a route to {assignment}'s answers is open: {code} -> {said[:160]}")
    assert not problems, f"{current} open:\n" + "\n".join(problems)

    files = {p: p.read_text() for p in target.rglob("*") if p.is_file()}
    assert not [p for p in files if p.suffix != ".py"], "the build holds files that are not Python source"
    # A line of a key that rnnlib also has outside the open keys (a shape check, a line of a released answer)
    # says nothing of the answer; every other line must be gone.
    elsewhere = _outside(keys)
    leaked = []
    for module, name, assignment in keys:
        for line in _body_lines(module, name) - elsewhere:
            where = [str(p.relative_to(target)) for p, text in files.items() if line in text]
            if where:
                leaked.append(f"{module}:{name}: {line!r} in {where}")
    assert not leaked, f"{current} open, lines of answer keys left in the build:\n" + "\n".join(leaked[:30])


def test_every_key_is_found_where_the_manifest_says():
    for module, name, assignment in classmode.keys_of(classmode.ASSIGNMENTS):
        assert _body_lines(module, name) is not None


def test_the_build_says_what_it_left_out(tmp_path, capsys):
    classmode.main(["build", "--closed", "01_ann_limits", "--out", str(tmp_path)])
    said = capsys.readouterr().out
    assert "6 open assignments" in said and (tmp_path / "rnnlib" / "_not_released.py").exists()
    with pytest.raises(SystemExit, match="unknown assignments"):
        classmode.build(tmp_path, ["08_transformers"])


def test_grading_with_a_build_that_leaves_out_an_earlier_answer_is_refused(tmp_path):
    target = classmode.build(tmp_path, ["01_ann_limits"])
    assert classmode.open_in(target) == classmode.ASSIGNMENTS[1:]
    classmode.check_for_grading(target, "02_vanilla_rnn")         # 02 may use 01's answers: they are in the build
    with pytest.raises(ValueError, match="still leaves out the answers to 02_vanilla_rnn, which a student's 03_bptt"):
        classmode.check_for_grading(target, "03_bptt")



def test_one_build_per_assignment_grades_each_with_its_own(tmp_path):
    # tests/test_grading_pipeline.py grades its class of three with these (issue 15: grading unchanged by the mode)
    folder = classmode.build_each(tmp_path)
    for k, assignment in enumerate(classmode.ASSIGNMENTS):
        own = classmode.build_for(folder, assignment) / "rnnlib"
        assert classmode.open_in(own) == classmode.ASSIGNMENTS[k:]
        classmode.check_for_grading(own, assignment)
    single = classmode.build(tmp_path / "single", [])
    assert classmode.build_for(single.parent, "03_bptt") == single.parent


RELEASE_PROBE = r'''
import inspect, json, sys
import numpy as np
import rnnlib
from rnnlib._not_released import AnswerNotReleased
answers = sys.argv[1]
x, h0 = np.linspace(-1, 1, 24).reshape(2, 3, 4), np.zeros((2, 5))
Wx, Wh, b = np.linspace(-.3, .3, 20).reshape(4, 5), np.eye(5) * .5, np.full(5, .1)

def run(code):
    try:
        return np.asarray(eval(code)).tolist()
    except AnswerNotReleased as e:
        return "not released: " + str(e)

out = {"before": run("rnnlib.rnn_forward(x, h0, Wx, Wh, b)[0]")}
import subprocess
subprocess.run([sys.executable, "-m", "rnngrader.classmode", "release", "02_vanilla_rnn", "--to", answers], check=True,
               cwd=sys.argv[2], capture_output=True)
out["after"] = run("rnnlib.rnn_forward(x, h0, Wx, Wh, b)[0]")                 # the same kernel, no restart
out["model"] = run("rnnlib.RNNCell().forward(x, rnnlib.RNNCell().init_params(4, 5, np.random.default_rng(0), "
                   "np.float64))[0]")
out["still open"] = run("rnnlib.rnn_backward(np.ones((2, 3, 5)), None)")
print(json.dumps(out))
'''


def test_released_answers_run_in_the_class_build_without_a_restart_and_show_their_source(tmp_path):
    classmode.build(tmp_path / "class", ["01_ann_limits"])
    answers = tmp_path / "answers"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "class"), "RNNLIB_ANSWERS": str(answers)}
    run = subprocess.run([sys.executable, "-c", RELEASE_PROBE, str(answers), str(REPO)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout)
    assert out["before"].startswith("not released: rnnlib.layers.rnn.rnn_forward is part of the answer to 02")
    import numpy as np
    import rnnlib

    x, h0 = np.linspace(-1, 1, 24).reshape(2, 3, 4), np.zeros((2, 5))
    Wx, Wh, b = np.linspace(-.3, .3, 20).reshape(4, 5), np.eye(5) * .5, np.full(5, .1)
    assert np.array_equal(out["after"], rnnlib.rnn_forward(x, h0, Wx, Wh, b)[0]), "released: not rnnlib's numbers"
    assert np.asarray(out["model"]).shape == (2, 3, 5)
    assert out["still open"].startswith("not released: rnnlib.layers.rnn.rnn_backward is part of the answer to 03")

    files = sorted(p.relative_to(answers).as_posix() for p in answers.rglob("*.py"))
    assert files == ["02_vanilla_rnn/kernels/rnn.py", "02_vanilla_rnn/layers/affine.py", "02_vanilla_rnn/layers/rnn.py"]
    assert all(p.stat().st_mode & 0o777 == (0o755 if p.is_dir() else 0o644) for p in answers.rglob("*")), \
        "students must be able to read the released answers"
    # A kernel started after the release has rnnlib's functions themselves: ?? shows the answer.
    shown = subprocess.run([sys.executable, "-c", "import inspect, rnnlib; print(inspect.getsourcefile("
                            "rnnlib.rnn_forward)); print(inspect.getsource(rnnlib.rnn_step_forward))"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    where, source = shown.stdout.split("\n", 1)
    assert where == str(answers / "02_vanilla_rnn" / "layers" / "rnn.py"), shown.stderr[-2000:]
    assert source.strip() == inspect.getsource(rnnlib.layers.rnn.rnn_step_forward).strip()


def test_answers_are_released_only_from_the_whole_rnnlib(tmp_path):
    build = classmode.build(tmp_path, [])
    with pytest.raises(SystemExit, match="is a class build; run this in the course directory"):
        classmode.release(["02_vanilla_rnn"], tmp_path / "answers", source=build)
    with pytest.raises(SystemExit, match="unknown assignments"):
        classmode.release(["08_transformers"], tmp_path / "answers")
