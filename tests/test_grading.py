"""The grading helpers: specific messages, the reference guard, input mutation."""
import numpy as np
import pytest

import rnnlib
from rnnlib.grading import GradingError, assert_close, assert_shape, builds_on, cache_order, call_own, needs, slips, unpack


def test_assert_close_names_entry_and_hint():
    expected = np.array([[0.5, 0.25]])
    with pytest.raises(GradingError) as info:
        assert_close("h_next", np.array([[0.5, 0.0]]), expected, hints={"h_next ignores the bias b": [[0.5, 0.0]]})
    assert str(info.value) == (
        "h_next: 1 of 2 entries are wrong; at index (0, 1) it is 0,\n"
        "expected 0.25.\n"
        "Hint: h_next ignores the bias b."
    )


def test_messages_fit_a_terminal_line():
    """`nbgrader validate` cuts lines at 87 characters (4 of indent): every line of a message fits, the first
    one after `GradingError: `, and short lines stay as they are."""
    long = "word " * 40 + "shape_(2,_4)_is_one_chunk " * 3
    message = str(GradingError(long + "\nshort line\n" + long))
    lines = message.split("\n")
    assert len("GradingError: " + lines[0]) <= 76 and all(len(line) <= 76 for line in lines)
    assert "short line" in lines and " ".join(message.split()) == " ".join((long + " short line " + long).split())
    assert "shape_(2,_4)_is_one_chunk" in lines[3]
    assert str(GradingError(message)) == message


def test_assert_close_hint_only_when_it_matches():
    with pytest.raises(GradingError) as info:
        assert_close("h", np.ones(2), np.zeros(2), hints={"forgot tanh": [5.0, 5.0]})
    assert "Hint" not in str(info.value)


@pytest.mark.parametrize("actual, words", [
    (None, "h is None: did you forget a `return`?"),
    (np.ones((2, 1)), "h has shape (2, 1), expected (2,)."),
    (np.array([np.nan, 1.0]), "h contains 1 NaN or infinite entry."),
    ("text", "h should be numeric, got str."),
])
def test_assert_close_messages(actual, words):
    with pytest.raises(GradingError) as info:
        assert_close("h", actual, np.ones(2))
    assert str(info.value) == words


def test_assert_close_passes_within_tolerance():
    assert_close("x", np.array([1.0 + 1e-9]), np.array([1.0]))
    assert_close("loss", 2.0, 2.0)


def test_assert_shape_and_unpack():
    with pytest.raises(GradingError, match=r"scores has shape \(2, 3\), expected \(2, 3, 4\)"):
        assert_shape("scores", np.zeros((2, 3)), (2, 3, 4))
    with pytest.raises(GradingError, match=r"should return 2 values \(h_next, cache\), but\sit returned one ndarray"):
        unpack("rnn_step_forward", np.zeros(2), ("h_next", "cache"))
    with pytest.raises(GradingError, match="returned None"):
        unpack("f", None, ("a", "b"))
    assert unpack("f", (1, 2), ("a", "b")) == (1, 2)


def _args(rng):
    return (rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((3, 4)),
            rng.standard_normal((4, 4)), rng.standard_normal(4))


def test_guard_catches_calls_to_the_reference(rng):
    from rnnlib import rnn_step_forward as aliased

    def rnn_step_forward(x, h_prev, Wx, Wh, b):
        return aliased(x, h_prev, Wx, Wh, b)

    with pytest.raises(GradingError, match="calls rnnlib's reference rnn_step_forward"):
        call_own(rnn_step_forward, *_args(rng))
    with pytest.raises(GradingError, match="is rnnlib's reference"):
        call_own(rnnlib.rnn_step_forward, *_args(rng))


def test_guard_sees_through_a_swallowed_exception(rng):
    def rnn_step_forward(*args):
        try:
            return rnnlib.rnn_step_forward(*args)
        except Exception:
            return None

    with pytest.raises(GradingError, match="calls rnnlib's reference"):
        call_own(rnn_step_forward, *_args(rng))


def test_own_code_passes_and_may_use_other_references(rng):
    def rnn_forward(x, h0, Wx, Wh, b):  # the reference *step*: allowed where the notebook has no step of its own
        hs, h = [], h0
        for t in range(x.shape[1]):
            h, _ = rnnlib.rnn_step_forward(x[:, t], h, Wx, Wh, b)
            hs.append(h)
        return np.stack(hs, axis=1), None

    x = rng.standard_normal((2, 3, 3))
    h, _ = call_own(rnn_forward, x, *_args(rng)[1:])
    assert h.shape == (2, 3, 4)


def test_in_place_modification_is_reported(rng):
    def softmax(scores):
        scores -= scores.max(axis=-1, keepdims=True)
        return np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)

    with pytest.raises(GradingError, match="softmax changed its input scores in place"):
        call_own(softmax, rng.standard_normal((2, 3)))


def test_call_own_names_an_array_changed_in_place_inside_a_dict_or_a_cache(rng):
    def loss_and_grads(x, params):
        params["b"] -= 1.0
        return 0.0

    def rebinds(x, params):
        params["b"] = params["b"] - 1.0
        return 0.0

    def backward(dout, cache):
        cache[1][0] = 0.0
        return dout

    def honest(x, params):
        b = params["b"] - 1.0
        return float(b.sum())

    params = {"W": rng.standard_normal((2, 2)), "b": np.zeros(2)}
    for fn in (loss_and_grads, rebinds):
        with pytest.raises(GradingError) as error:
            call_own(fn, np.ones(2), {k: v.copy() for k, v in params.items()})
        assert "changed params['b'] in place" in error.value.message
        assert "not `params['b'] -= 1`" in error.value.message
    with pytest.raises(GradingError, match=r"backward changed cache\[1\] in place"):
        call_own(backward, np.ones(2), (np.ones(2), np.ones(3)))
    assert call_own(honest, np.ones(2), params) == -2.0
    assert np.array_equal(params["b"], np.zeros(2))


def test_needs_explains_an_unsolved_exercise():
    def rnn_forward(*args):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError, match=r"uses your rnn_forward \(Exercise 2.2\), and it is not written yet. "
                                                  r"Solve Exercise 2.2, run its cell"):
        with needs("your rnn_forward", "Exercise 2.2"):
            rnn_forward()
    with pytest.raises(NotImplementedError, match=r"and they are not all written yet. Solve Exercises 7.1 to 7.3, run their cells"):
        with needs("your attention functions", "Exercises 7.1 to 7.3"):
            rnn_forward()


def test_the_librarys_own_use_of_a_reference_is_not_the_students(rng):
    """A test's callback may run rnnlib's models, which use attention_forward: that is not the student calling it."""
    from rnnlib.grading import forbid_reference
    from rnnlib.models.seq2seq import Seq2Seq

    model = Seq2Seq(hidden_size=4, attention=True, seed=1, dtype=np.float64)
    src, mask = rnnlib.data.dates.encode_source(["3 May 1979"])
    with forbid_reference("attention_forward"):
        model.step(np.full(1, model.start_id), model.start(src, mask))
    with pytest.raises(GradingError, match="calls rnnlib's reference attention_forward"):
        with forbid_reference("attention_forward"):
            rnnlib.attention_forward(np.ones((1, 2)), np.ones((1, 3, 2)))


@pytest.mark.parametrize("exercise, answer", [
    ("lstm_forward", lambda x, h0, Wx, Wh, b: rnnlib.layers.lstm.lstm_layer_forward(x, h0, None, Wx, Wh, b)[::2]),
    ("softmax", lambda x, *_: np.exp(rnnlib.log_softmax(x))),
    ("softmax", lambda x, *_: rnnlib.train.sampling.softmax_with_temperature(x, 1.0)),
])
def test_a_library_function_that_computes_the_same_answer_counts_as_the_reference(rng, exercise, answer):
    """rnnlib's LSTM layer is lstm_forward under another name, log_softmax is softmax's logarithm: an answer that
    returns them calls the reference (the library's own use of them stays allowed, as above)."""
    from rnnlib.grading import forbid_reference

    x, h0 = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5))
    Wx, Wh, b = rng.standard_normal((4, 20)), rng.standard_normal((5, 20)), rng.standard_normal(20)
    with pytest.raises(GradingError, match="calls rnnlib's reference"):
        with forbid_reference(exercise):
            answer(x, h0, Wx, Wh, b)
    rnnlib.LSTMCell().forward(x, rnnlib.models.cells.lstm_init(4, 5, rng))      # outside the block: fine


def test_slips_turns_a_numpy_error_into_the_slip_it_reveals():
    x = np.zeros((2, 3, 4))
    with pytest.raises(GradingError) as info:
        with slips("rnn_forward", {r"shapes \(3,2\) \(2,2\)": "x[t] is sequence t; use x[:, t]"}):
            x[0] @ np.zeros((4, 2)) + np.zeros((2, 2))
    said = " ".join(str(info.value).split())
    assert said.startswith("rnn_forward stopped with ValueError: operands could not be broadcast") and \
        said.endswith("Likely: x[t] is sequence t; use x[:, t]"), said
    with pytest.raises(IndexError):                           # an error no pattern knows is raised as it is
        with slips("f", {"shapes": "..."}):
            x[5]
    with pytest.raises(NotImplementedError):                  # an unsolved exercise stays unsolved
        with slips("f", {".*": "..."}):
            raise NotImplementedError


def test_builds_on_names_the_earlier_exercise_only_when_it_is_still_wrong():
    def failing():
        assert_close("h", np.zeros(2), np.ones(2), hints={"the bias is missing": np.zeros(2)})

    with pytest.raises(GradingError) as info:
        with builds_on("rnn_step_forward", "Exercise 2.1", lambda: False):
            failing()
    lines = str(info.value).splitlines()
    assert lines[0].startswith("Your rnn_step_forward still fails Exercise 2.1") and lines[-1] == "Hint: the bias is missing."
    with pytest.raises(GradingError) as info:                 # the earlier exercise is right: the test's own message
        with builds_on("rnn_step_forward", "Exercise 2.1", lambda: True):
            failing()
    assert str(info.value).startswith("h: 2 of 2 entries are wrong")
    with pytest.raises(GradingError, match="still fails"):    # a check that itself fails counts as wrong
        with builds_on("rnn_step_forward", "Exercise 2.1", lambda: 1 / 0):
            failing()
    with builds_on("rnn_step_forward", "Exercise 2.1", lambda: 1 / 0):
        pass                                                  # nothing failed: the check does not run


def test_cache_order_names_the_order_the_student_reads():
    cache = (np.ones((2, 3)), np.full((2, 4), 2.0), np.full((3, 4), 3.0))

    def mine(c):                                              # reads (x, Wx, h_prev) instead of (x, h_prev, Wx)
        x, Wx, h_prev = c
        return x @ Wx + h_prev[:, :1]

    right = cache[0] @ cache[2] + cache[1][:, :1]
    check = lambda order: np.array_equal(mine(tuple(cache[k] for k in order)), right)  # noqa: E731
    with pytest.raises(GradingError) as info:
        with cache_order("step", ("x", "h_prev", "Wx"), check):
            assert_close("out", np.zeros((2, 4)), right)
    assert " ".join(str(info.value).split()).startswith("step reads the cache as (x, Wx, h_prev), but it holds (x, h_prev, Wx)")
    with pytest.raises(GradingError, match="entries are wrong"):       # no order helps: the test's own message
        with cache_order("step", ("x", "h_prev", "Wx"), lambda order: False):
            assert_close("out", np.zeros((2, 4)), right)
