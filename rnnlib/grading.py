"""Assertions for the notebooks' test cells.

Each helper fails with an AssertionError whose message says *what* is wrong:
which output, which shape, which entries, and (with `hints`) which typical
mistake the answer matches. Test cells read like a checklist:

    h_next, cache = call_own(rnn_step_forward, x, h_prev, Wx, Wh, b)
    assert_shape("h_next", h_next, (2, 3))
    assert_close("h_next", h_next, expected, hints={"h_next ignores the bias b": no_bias})
"""
import contextlib
import importlib
import inspect
import itertools
import os
import re
import sys
import textwrap
import types

import numpy as np

import rnnlib

from .analysis.gradcheck import relative_error


WIDTH = 76      # `nbgrader validate` cuts every line of an error at 87 characters, indent included


def _wrap(message, first_line_taken):
    """`message` with every line longer than WIDTH broken at spaces; the first line leaves room for
    the `GradingError: ` that a traceback puts before it. Short lines are kept as they are."""
    out = []
    for k, line in enumerate(str(message).split("\n")):
        taken = first_line_taken if k == 0 else 0
        if len(line) + taken <= WIDTH:
            out.append(line)
            continue
        wrapped = textwrap.wrap(line, WIDTH, initial_indent="\0" * taken, break_long_words=False,
                                break_on_hyphens=False)
        out.extend([wrapped[0].lstrip("\0"), *wrapped[1:]] if wrapped else [line])
    return "\n".join(out)


class GradingError(AssertionError):
    """A test found a wrong answer; the message explains what is wrong.

    The message is kept in lines short enough for a terminal: `nbgrader validate` shows a
    student all of it, not the first 80 characters."""

    def __init__(self, message=""):
        super().__init__(_wrap(message, len(type(self).__name__) + 2))
        self.message = str(message)         # as written, before wrapping


def fail(message):
    raise GradingError(message)


def _fmt_shape(shape):
    return "(" + ", ".join(str(int(s)) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def assert_shape(name, actual, expected_shape):
    """Check that `actual` is an array of the expected shape."""
    if actual is None:
        fail(f"{name} is None: did you forget a `return`?")
    if not hasattr(actual, "shape"):
        fail(f"{name} should be a numpy array of shape {_fmt_shape(expected_shape)}, got {type(actual).__name__}.")
    if tuple(actual.shape) != tuple(expected_shape):
        fail(f"{name} has shape {_fmt_shape(actual.shape)}, expected {_fmt_shape(expected_shape)}.")


def _close(a, b, rtol, atol):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or not np.all(np.isfinite(a)):
        return False
    return bool(np.all(np.abs(a - b) <= atol + rtol * np.maximum(np.abs(a), np.abs(b))))


def assert_close(name, actual, expected, rtol=1e-7, atol=1e-12, hints=None):
    """Check that `actual` matches `expected` entry by entry.

    Inputs:
    - name: what the value is called in the exercise ("h_next", "dWh").
    - actual, expected: arrays (or scalars).
    - rtol, atol: an entry passes when |a - e| <= atol + rtol * max(|a|, |e|).
    - hints: optional dict {message: value a typical mistake would produce}.
      When `actual` matches one of these values (and it is not the right
      answer), the message is added to the failure.
    """
    expected = np.asarray(expected, dtype=np.float64)
    if actual is None:
        fail(f"{name} is None: did you forget a `return`?")
    try:
        actual_arr = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        fail(f"{name} should be numeric, got {type(actual).__name__}.")
    if actual_arr.shape != expected.shape:
        if expected.ndim == 0:
            fail(f"{name} should be a single number, got an array of shape {_fmt_shape(actual_arr.shape)}.")
        fail(f"{name} has shape {_fmt_shape(actual_arr.shape)}, expected {_fmt_shape(expected.shape)}.")
    if not np.all(np.isfinite(actual_arr)):
        bad = int((~np.isfinite(actual_arr)).sum())
        fail(f"{name} contains {bad} NaN or infinite entr{'y' if bad == 1 else 'ies'}.")
    diff = np.abs(actual_arr - expected)
    ok = diff <= atol + rtol * np.maximum(np.abs(actual_arr), np.abs(expected))
    if np.all(ok):
        return
    lines = []
    if expected.ndim == 0:
        lines.append(f"{name} is {float(actual_arr):.8g}, expected {float(expected):.8g}.")
    else:
        worst = np.unravel_index(np.argmax(relative_error(actual_arr, expected)), expected.shape)
        where = tuple(int(i) for i in worst)
        lines.append(
            f"{name}: {int((~ok).sum())} of {ok.size} entries are wrong; "
            f"at index {where} it is {actual_arr[worst]:.8g}, expected {expected[worst]:.8g}."
        )
    for message, wrong in (hints or {}).items():
        if _close(actual_arr, wrong, 1e-6, 1e-9) and not _close(wrong, expected, 1e-6, 1e-9):
            lines.append(f"Hint: {message}.")
    fail("\n".join(lines))       # the hint on a line of its own, where a student sees it


def assert_true(condition, message):
    """Fail with `message` unless `condition` holds (an assert that survives python -O)."""
    if not condition:
        fail(message)


def unpack(name, result, names):
    """Check that a function returned a tuple of the right length; return it.

    unpack("rnn_step_forward", result, ("h_next", "cache")) fails with
    "rnn_step_forward should return 2 values (h_next, cache), but it returned one ndarray"
    when the student forgot the cache.
    """
    wanted = f"{len(names)} values ({', '.join(names)})"
    if result is None:
        fail(f"{name} returned None: it should return {wanted}. Did you forget a `return`?")
    if not isinstance(result, (tuple, list)):
        fail(f"{name} should return {wanted}, but it returned one {type(result).__name__}.")
    if len(result) != len(names):
        fail(f"{name} should return {wanted}, but it returned {len(result)} values.")
    return tuple(result)


# ---------------------------------------------------------------------------
# The guard: the student's function must not just call the library's answer.
# ---------------------------------------------------------------------------

def _reference_code(name):
    """The code object of the rnnlib reference function called `name`."""
    ref = getattr(rnnlib, name, None)
    return getattr(ref, "__code__", None)


# rnnlib functions that compute what an exercise asks for under another name: while the exercise's own
# reference is forbidden, so are they (a student's lstm_forward that returns rnnlib's LSTM layer, or a softmax
# that is np.exp of rnnlib's log_softmax, is not an answer). The library may still call them itself.
SAME_ANSWER = {
    "softmax": ("layers.softmax.log_softmax", "train.sampling.softmax_with_temperature"),
    "best_current_char_accuracy": ("data.windows.context_count_accuracy",),     # with a window of one
    "rnn_forward": ("kernels.rnn.rnn_recurrence_forward",),
    "rnn_backward": ("kernels.rnn.rnn_recurrence_backward",),
    "temporal_softmax_loss": ("layers.loss.softmax_cross_entropy", "models.char_lm.CharLM._softmax_loss"),
    "sigmoid": ("kernels.gru._sigmoid",),
    "lstm_forward": ("layers.lstm.lstm_layer_forward", "kernels.lstm.lstm_recurrence_forward"),
    "lstm_backward": ("layers.lstm.lstm_layer_backward", "kernels.lstm.lstm_recurrence_backward"),
    "gru_step_forward": ("layers.gru.gru_forward", "kernels.gru.gru_sequence_forward"),
    "gru_step_backward": ("layers.gru.gru_backward", "kernels.gru.gru_sequence_backward"),
}


def _watched_codes(names):
    """{code object: name}: the references of `names` and the functions that compute the same answers."""
    codes = {}
    for name in names:
        if (code := _reference_code(name)) is not None:
            codes[code] = name
        for path in SAME_ANSWER.get(name, ()):
            codes[_library_function(path).__code__] = path.rsplit(".", 1)[1]
    return codes


def _library_function(path):
    """rnnlib's function at `path`: "module.function" or "module.Class.method", the module under rnnlib."""
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            found = importlib.import_module("rnnlib." + ".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            found = getattr(found, attr)
        return found
    raise LookupError(f"SAME_ANSWER: no rnnlib function {path}")


def references_written_here(namespace):
    """Names of rnnlib reference functions that the notebook `namespace` defines itself: its exercises.

    While a test calls the student's code, none of these references may be called: a notebook's answers
    must not lean on the answers of the same notebook. References of earlier notebooks (softmax in 06,
    say) stay available.
    """
    return tuple(sorted(name for name, obj in list(namespace.items())
                        if isinstance(obj, types.FunctionType) and getattr(obj, "__module__", None) == "__main__"
                        and isinstance(getattr(rnnlib, name, None), types.FunctionType)))


class ReferenceCalled(GradingError):
    def __init__(self, message, reference=None):
        super().__init__(message)
        self.reference = reference


@contextlib.contextmanager
def forbid_reference(*names):
    """Inside this block, calling the rnnlib reference of any of `names` fails, and so does calling an rnnlib
    function that computes the same answer (SAME_ANSWER).

    It watches every Python function call (sys.setprofile), so it catches the
    reference however it was reached: `rnnlib.rnn_forward`, an alias
    `from rnnlib import rnn_forward as f`, getattr, a lambda around it ...
    """
    codes = _watched_codes(names)
    previous = sys.getprofile()
    called = []

    def watch(frame, event, arg):
        if event == "call" and frame.f_code in codes:
            if _in_rnnlib(frame.f_back):
                return          # the library's own use (a test's model calls attention_forward): not the student's
            called.append(codes[frame.f_code])
            sys.setprofile(None)
            raise ReferenceCalled(_called_message(codes[frame.f_code]), codes[frame.f_code])

    sys.setprofile(watch)
    try:
        yield
    finally:
        unhooked = sys.getprofile() is not watch and not called
        sys.setprofile(previous)
    if unhooked:
        raise ReferenceCalled("Your code switched off the grader's watch (sys.setprofile). Remove that line.")
    if called:  # the student's code swallowed the exception
        raise ReferenceCalled(_called_message(called[0]), called[0])


_RNNLIB = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _in_rnnlib(frame):
    return frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_RNNLIB)


def _called_message(name):
    return (f"Your code calls rnnlib's reference {name}. Write the computation yourself; the reference is there "
            f"for later notebooks.")


def _copy(value):
    """A copy of every array in `value`, also inside dicts, lists and tuples (a cache, a dict of parameters)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(v) for v in value]
    return value


def _changed_in_place(old, new, where):
    """The places (e.g. "params['b']") where `new` no longer matches its copy `old`."""
    if isinstance(old, np.ndarray):
        if not isinstance(new, np.ndarray) or new.shape != old.shape or not np.array_equal(old, new, equal_nan=True):
            yield where
    elif isinstance(old, dict):
        if not isinstance(new, dict) or list(new) != list(old):
            yield where
            return
        for key, value in old.items():
            yield from _changed_in_place(value, new[key], f"{where}[{key!r}]")
    elif isinstance(old, list):
        if not isinstance(new, (list, tuple)) or len(new) != len(old):
            yield where
            return
        for k, value in enumerate(old):
            yield from _changed_in_place(value, new[k], f"{where}[{k}]")


def call_own(fn, *args, **kwargs):
    """Call the student's `fn` the way a test should.

    - fails if `fn` is missing, not callable, or *is* the rnnlib reference;
    - fails if `fn` calls the rnnlib reference of an exercise of this notebook;
    - fails if `fn` changes one of its array arguments in place, also an array inside a dict, list or
      tuple argument (a dict of parameters, a cache), or what such a container holds;
    - returns whatever `fn` returns.

    When grading, `fn` stands for the student's function in the sandboxed kernel (rnngrader's judge):
    the reference watch then runs over there, around the student's code.
    """
    if not callable(fn):
        fail(f"expected a function, got {type(fn).__name__}: did you overwrite its name with a value?")
    name = getattr(fn, "__name__", "the function")
    ref = getattr(rnnlib, name, None)
    if ref is not None and (fn is ref or getattr(fn, "__code__", None) is getattr(ref, "__code__", 0)):
        fail(f"{name} is rnnlib's reference {name}, not your own code.")
    before = [_copy(a) for a in args]
    if getattr(fn, "_rnn_remote", False):
        result = fn(*args, **kwargs)
    else:
        caller = sys._getframe(1).f_globals
        with forbid_reference(name, *references_written_here(caller)):
            result = fn(*args, **kwargs)
    params = list(inspect.signature(fn).parameters) if _has_signature(fn) else []
    for k, (old, new) in enumerate(zip(before, args)):
        arg = params[k] if k < len(params) else f"argument {k + 1}"
        where = next(_changed_in_place(old, new, arg), None)
        if where == arg and isinstance(old, np.ndarray):
            fail(f"{name} changed its input {arg} in place; compute new arrays instead (e.g. `a = a + 1`, not `a += 1`).")
        if where is not None:
            fail(f"{name} changed {where} in place, which belongs to the caller: leave its inputs as they were and "
                 f"compute new arrays instead (e.g. `new = {where} - 1`, not `{where} -= 1`; and no assignment "
                 f"into a dict or list you were given).")
    return result


def repeat(fn, n, *args, **kwargs):
    """[fn(*args, **kwargs) for _ in range(n)]: n calls in a row with the same arguments.

    For tests that call a function thousands of times, e.g. a sampler with one generator `rng`
    whose state carries from call to call. When grading, the n calls run next to the student's
    code in one go (rnngrader's judge), which is much faster than n separate calls.
    """
    if getattr(fn, "_rnn_remote", False):
        return fn.repeat(n, *args, **kwargs)
    return [fn(*args, **kwargs) for _ in range(n)]


def _has_signature(fn):
    try:
        inspect.signature(fn)
        return True
    except (TypeError, ValueError):
        return False


@contextlib.contextmanager
def slips(name, known):
    """Name the likely slip when the student's `name` raises an error inside this block.

        with slips("rnn_forward", {r"shapes [(]3,2[)] [(]2,2[)]": "x[t] is sequence t; step t of all is x[:, t]"}):
            h, cache = call_own(rnn_forward, x, h0, Wx, Wh, b)

    `known` maps a regular expression, searched in "ErrorType: message", to the slip it reveals. The
    test's sizes are all different (N, T, D, H), so each slip makes numpy say something of its own.
    An error that matches no pattern is raised as it is.
    """
    try:
        yield
    except (GradingError, NotImplementedError):
        raise
    except Exception as error:
        said = f"{type(error).__name__}: {error}"
        for pattern, slip in known.items():
            if re.search(pattern, said):
                raise GradingError(f"{name} stopped with {said.splitlines()[0][:200]}\nLikely: {slip}") from None
        raise


@contextlib.contextmanager
def value_error_says(message):
    """Inside this block, a ValueError of the student's function fails the test with `message`, its
    "{error}" filled in with numpy's words:

        with value_error_says("lstm_forward raised ValueError: {error}. Check the shapes of each product."):
            h, cache = call_own(lstm_forward, x, h0, Wx, Wh, b)
    """
    try:
        yield
    except ValueError as error:
        fail(message.format(error=error))


@contextlib.contextmanager
def builds_on(name, exercise, still_right):
    """When a test in this block fails, first check the earlier exercise it builds on.

        with builds_on("rnn_step_forward", "Exercise 2.1", lambda: <does the student's step pass a check?>):
            ... the tests of rnn_forward ...

    If `still_right()` is false (or raises), the failure is reported as "your rnn_step_forward still
    fails Exercise 2.1: fix it first", followed by what the test found. A function that does not use
    the earlier one is judged on its own: the check only runs after a failure.
    """
    try:
        yield
    except NotImplementedError:
        raise
    except Exception as error:
        try:
            right = bool(still_right())
        except Exception:
            right = False
        if right:
            raise
        found = error.message if isinstance(error, GradingError) else f"{type(error).__name__}: {error}"
        raise GradingError(f"Your {name} still fails {exercise}, and this function uses it: fix {name} first, "
                           f"then run this test again.\nWhat this test found: {found}") from None


@contextlib.contextmanager
def cache_order(name, names, right_with):
    """When a test in this block fails, check whether the student reads the cache in another order.

        with cache_order("rnn_step_backward", ("x", "h_prev", "Wx", "Wh", "h_next"),
                         lambda order: <is the answer right when the cache's items come in this order?>):
            ... the tests ...

    After a failure, `right_with` gets every other order of the cache's items, as a tuple of indices into
    `names`; it builds the cache in that order and compares. If one order makes the
    answer right, the student unpacks the cache in that order, and the message says so.
    """
    try:
        yield
    except NotImplementedError:
        raise
    except Exception:
        for order in itertools.permutations(range(len(names))):
            if list(order) == sorted(order):
                continue
            try:
                right = bool(right_with(order))
            except Exception:
                continue
            if right:
                read = ", ".join(names[k] for k in order)
                raise GradingError(f"{name} reads the cache as ({read}), but it holds ({', '.join(names)}) in "
                                   "that order: unpack it in the order the forward step stores it.") from None
        raise


def held_back(error):
    """True for class mode's AnswerNotReleased: a function of rnnlib that a class's copy leaves out while its
    assignment is open (rnngrader/classmode.py; the class is not importable from the whole rnnlib)."""
    return type(error).__name__ == "AnswerNotReleased"


def cache_checked_when_graded(reference):
    """Say so when a visible cache check could check only the cache's layout, `reference` being held back."""
    print(f"Your cache has the contract's layout. Its values are checked when you are graded: {reference}, which "
          "checks them here, belongs to an assignment that is still open in your class.")


@contextlib.contextmanager
def needs(what, exercise):
    """Run a demo cell that uses a student's function; explain if it is unsolved.

        with needs("your rnn_forward", "Exercise 2.2"):
            h, _ = rnn_forward(x, h0, Wx, Wh, b)

    If the function (or one it calls) still raises NotImplementedError, the cell stops with a
    short message that names the exercise to solve first ("Exercises 7.1 to 7.3" for several).
    rnnlib's AnswerNotReleased (class mode: a function held back while its assignment is open) goes
    through as it is: its message names what to use instead.
    """
    try:
        yield
    except NotImplementedError as error:
        if held_back(error):        # class mode: its own message says what to do
            raise
        several = exercise.startswith("Exercises")
        raise NotImplementedError(
            f"This cell uses {what} ({exercise}), and {'they are not all' if several else 'it is not'} written yet. "
            f"Solve {exercise}, run {'their cells' if several else 'its cell'}, then run this cell again."
        ) from None
