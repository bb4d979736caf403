"""The judge and the wire between it and the student's kernel (rnngrader/judge.py, wire.py, agent.py).

Here the agent runs in a thread of the test process, over the same Unix socket as in grading, with a
plain dict standing for the notebook's namespace; tests/test_sandbox.py and tests/test_attacks.py
run it in a real sandboxed kernel. Each test is one property a grade depends on.
"""
import contextlib
import os
import socket
import struct
import threading
import time
import warnings

import numpy as np
import pytest

from rnngrader import agent, judge, wire
from rnnlib.grading import GradingError, ReferenceCalled, call_own, repeat


@pytest.fixture
def session(tmp_path, monkeypatch):
    """(judge, namespace): the student's notebook namespace is the dict; functions put in it are 'theirs'."""
    ns = {}
    monkeypatch.setattr(agent, "_namespace", lambda: ns)
    j = judge.Judge(str(tmp_path), cell_timeout=5)
    thread = threading.Thread(target=agent.serve, args=(j.path,), daemon=True)
    thread.start()
    assert j.connect(5)
    yield j, ns
    j.close()
    thread.join(5)


def student(ns, source):
    """Define the student's functions from source, as a notebook cell would (module __main__)."""
    glob = {"__name__": "__main__", "np": np}
    exec(source, glob)
    ns.update({k: v for k, v in glob.items() if not k.startswith("__")})


def proxy(j, name):
    return judge.StudentFunction(j, None, name, ["x"])


def test_plain_data_crosses_both_ways_unchanged(session):
    j, ns = session
    student(ns, "def echo(*a, **k):\n    return a, k")
    value = (np.arange(6.0).reshape(2, 3), np.float32(2.5), np.int64(3), [1, "two", None, True, 1 + 2j],
             {"a": np.array([True, False]), 3: (np.array(["x", "yz"]),)}, float("nan"), -0.0)
    args, kwargs = proxy(j, "echo")(*value, key=np.uint8(7))
    assert kwargs["key"] == 7 and type(kwargs["key"]) is np.uint8
    assert type(args[1]) is np.float32 and type(args[2]) is np.int64
    assert np.array_equal(args[0], value[0]) and args[0].dtype == np.float64
    assert args[3] == value[3] and args[4]["a"].dtype == bool and args[4][3][0].tolist() == ["x", "yz"]
    assert np.isnan(args[5]) and str(args[6]) == "-0.0"


def test_what_is_not_plain_data_is_refused_with_a_message(session):
    j, ns = session
    student(ns, "class Liar:\n    shape = (2, 2)\n    def __array__(self, *a, **k):\n        return np.zeros((2, 2))\n"
                "def lying(x):\n    return Liar(), x\n"
                "def objects(x):\n    return np.array([object()])\n"
                "def returns_function(x):\n    return len")
    for name, words in [("lying", "Liar object"), ("objects", "dtype object"), ("returns_function", "a function")]:
        with pytest.raises(GradingError, match=words):
            proxy(j, name)(np.zeros(2))


def test_in_place_changes_come_back_and_rebinding_is_seen(session):
    j, ns = session
    student(ns, "def scale(grads, s):\n    for g in grads.values():\n        g *= s\n"
                "def rebind(grads, s):\n    for k in grads:\n        grads[k] = grads[k] * s\n"
                "def same(x):\n    return x\n"
                "def view(x):\n    return x[:1]")
    W, b = np.ones((2, 2)), np.array([2.0])
    grads = {"W": W, "b": b}
    judge.StudentFunction(j, None, "scale", ["grads", "s"])(grads, 0.5)
    assert grads["W"] is W and np.all(W == 0.5) and b[0] == 1.0
    judge.StudentFunction(j, None, "rebind", ["grads", "s"])(grads, 2.0)
    assert grads["W"] is not W and np.all(grads["W"] == 1.0) and np.all(W == 0.5)
    x = np.arange(3.0)
    assert proxy(j, "same")(x) is x                     # returning an argument returns that very object
    assert proxy(j, "view")(x) is not x


def test_call_own_sees_an_input_changed_in_place(session):
    j, ns = session
    student(ns, "def add_one(x):\n    x += 1\n    return x")
    with pytest.raises(GradingError, match="changed its input x in place"):
        call_own(proxy(j, "add_one"), np.zeros(3))
    student(ns, "def loss(x, params):\n    params['b'] -= 1\n    return 0.0")
    with pytest.raises(GradingError) as error:
        call_own(judge.StudentFunction(j, None, "loss", ["x", "params"]), np.zeros(3), {"b": np.zeros(2)})
    assert "changed params['b'] in place" in error.value.message


def test_a_generator_carries_its_state_like_a_local_call(session):
    j, ns = session
    student(ns, "def draw(rng):\n    return int(rng.integers(0, 1000))")
    here, there = np.random.default_rng(5), np.random.default_rng(5)
    f = judge.StudentFunction(j, None, "draw", ["rng"])
    assert [f(there) for _ in range(5)] == [int(here.integers(0, 1000)) for _ in range(5)]
    assert repeat(f, 50, there) == [int(here.integers(0, 1000)) for _ in range(50)]


def test_callbacks_reach_the_judge_and_return_plain_data(session):
    j, ns = session
    student(ns, "def decode(step, state, n):\n    out = []\n    for _ in range(n):\n"
                "        scores, state = step(np.array(out[-1:] or [0]), state)\n        out.append(int(scores.argmax()))\n"
                "    return out")
    calls = []

    def step(prev, state):
        calls.append(int(prev[0]))
        return np.eye(4)[(prev[0] + state) % 4], state + 1

    assert judge.StudentFunction(j, None, "decode", [])(step, 1, 4) == [1, 3, 2, 2]
    assert calls == [0, 1, 3, 2]


def test_exceptions_come_back_as_the_same_kind(session):
    j, ns = session
    student(ns, "def bad(x):\n    if x == 0:\n        raise ValueError('temperature must be > 0')\n"
                "    if x == 1:\n        raise NotImplementedError()\n    if x == 2:\n        raise SystemExit(3)\n"
                "    class Mine(Exception):\n        pass\n    raise Mine('custom')")
    f = proxy(j, "bad")
    with pytest.raises(ValueError, match="temperature"):
        f(0)
    with pytest.raises(NotImplementedError):
        f(1)
    with pytest.raises(judge.StudentError, match="SystemExit"):
        f(2)
    with pytest.raises(judge.StudentError, match="Mine: custom"):
        f(3)


def test_a_missing_function_is_a_name_error(session):
    j, ns = session
    with pytest.raises(NameError, match="rnn_forward"):
        proxy(j, "rnn_forward")(1)


def test_numpy_errstate_and_warning_filters_of_the_test_hold_in_the_kernel(session):
    j, ns = session
    student(ns, "def overflow(x):\n    return np.exp(x)")
    f = proxy(j, "overflow")
    with np.errstate(over="raise"):
        with pytest.raises(FloatingPointError):
            f(np.array([1000.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="warn"):
            with pytest.raises(RuntimeWarning, match="overflow"):
                f(np.array([1000.0]))
    with np.errstate(over="ignore"):
        assert np.isinf(f(np.array([1000.0]))[0])


def test_calling_a_reference_of_this_notebooks_exercises_is_reported(session):
    j, ns = session
    student(ns, "import rnnlib\ndef rnn_step_forward(x, h, Wx, Wh, b):\n    return rnnlib.layers.rnn.rnn_step_forward(x, h, Wx, Wh, b)")
    x, h = np.ones((1, 2)), np.zeros((1, 3))
    with pytest.raises(ReferenceCalled, match=r"reference\srnn_step_forward"):
        call_own(judge.StudentFunction(j, None, "rnn_step_forward", []), x, h, np.ones((2, 3)), np.eye(3), np.zeros(3))


def test_frozen_functions_are_judged_as_the_test_cell_saw_them(session):
    j, ns = session
    student(ns, "def f(x):\n    return 1")
    agent.freeze("cell-1", ["f"])
    student(ns, "def f(x):\n    return 2")
    assert judge.StudentFunction(j, "cell-1", "f", [])(0) == 1
    assert judge.StudentFunction(j, None, "f", [])(0) == 2


def test_a_function_that_hangs_ends_its_test_cell_with_a_time_limit(tmp_path, monkeypatch):
    ns = {}
    monkeypatch.setattr(agent, "_namespace", lambda: ns)
    j = judge.Judge(str(tmp_path), cell_timeout=1)
    threading.Thread(target=agent.serve, args=(j.path,), daemon=True).start()
    assert j.connect(5)
    student(ns, "import time\ndef slow(x):\n    time.sleep(30)")
    test = judge.Test(0, "t", "slow(1)", "slow(1)", ("slow",), False)
    started = time.monotonic()
    with pytest.raises(judge._Verdict) as verdict:
        j.run_test(test)
    assert time.monotonic() - started < 5
    assert verdict.value.outputs[-1]["ename"] == "CellTimeoutError"
    j.close()


def _fake_agent(path, reply):
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(path)
    with contextlib.suppress(Exception):
        wire.receive(sock)          # the describe or call request
        sock.sendall(reply)
    time.sleep(0.5)
    sock.close()


@pytest.mark.parametrize("reply, words", [
    (struct.pack("<Q", wire.MAX_FRAME + 1), "unreadable"),                 # a frame too large to accept
    (struct.pack("<Q", 12) + b"\x00" * 12, "unreadable"),                  # a malformed frame
    (b"", "stopped"),                                                      # the kernel died
])
def test_a_kernel_that_lies_or_dies_ends_the_cell_not_the_grader(tmp_path, reply, words):
    j = judge.Judge(str(tmp_path), cell_timeout=3)
    threading.Thread(target=_fake_agent, args=(j.path, reply), daemon=True).start()
    assert j.connect(5)
    with pytest.raises(judge.KernelGone, match=words):
        j.call(None, "f", (1,), {})
    j.close()


def test_decoding_refuses_anything_but_plain_data():
    bad_headers = [
        {"v": ["a", 0, "O", [1]]},              # an object array
        {"v": ["a", 0, "<f8", [5]]},            # data shorter than the shape says
        {"v": ["x", 1]},                         # an unknown tag
        {"v": ["r", 3]},                         # a reference to nothing
        {"v": ["cb", 0]},                        # a callback where none is allowed
        {"v": ["g", "Evil", {}]},                # an unknown bit generator
        {"v": ["f", "1e308"]},                   # a float that is not nan/inf
    ]
    for header in bad_headers:
        encoder = wire.Encoder()
        encoder.buffers.append(b"\x00" * 8)
        frame = wire.pack(header, encoder)
        h, buffers = wire.unpack(frame[8:])
        with pytest.raises(wire.WireError):
            wire.Decoder(buffers).decode(h["v"])
    deep = ["l", [1]]
    for _ in range(100):
        deep = ["l", [deep]]
    with pytest.raises(wire.WireError):
        wire.Decoder([]).decode(deep)


def test_test_cells_take_only_the_students_functions_from_the_kernel():
    """Every name a test cell reads comes from the setup cell, an earlier test cell, or a solution cell's def."""
    import nbformat

    from tests.course import ASSIGNMENTS, REPO

    problems = []
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(str(REPO / "solutions" / assignment / f"{assignment}.ipynb"), as_version=4)
        defined = {name for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
                   for name in judge._names(c.source)[0]}
        for test in judge.plan(nb).tests.values():
            stray = set(test.names) - defined
            if stray:
                problems.append(f"{assignment} {test.key} reads {sorted(stray)} from the notebook")
    assert not problems, "\n".join(problems)


def test_the_hidden_region_never_reaches_the_kernel():
    source = "visible = 1\n### BEGIN HIDDEN TESTS\nsecret = 2\n### END HIDDEN TESTS\nafter = 3"
    assert judge.visible_part(source) == "visible = 1\nafter = 3"


def test_the_socket_folder_lets_the_sandbox_connect_and_nothing_more(tmp_path):
    j = judge.Judge(str(tmp_path))
    assert oct(os.stat(j.path).st_mode & 0o777) == "0o666"
    j.close()
