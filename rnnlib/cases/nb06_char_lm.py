"""The visible test cases of notebook 06 (a character language model): inputs, expected values, hint tables.

One namespace per exercise, the sentences its longer failures say (a SAYS table of templates that the test
cell fills in with the numbers it found), and the plumbing its test cell uses:

    make_batches        Exercise 6.1: streams whose values are all different; check_batches, which checks one output
                        of make_batches, and lane_slip, which finds where the batches stop being pieces of the stream
    sample_from_logits  Exercise 6.2: logits, the chi-square threshold; draw_many (many draws, counted) and
                        check_frequencies (a chi-square test), and the numpy errors that reveal a slip
    generate            Exercise 6.3: a prompt, the toy model's expected output and the outputs of typical slips,
                        the toy model, and the check of sample_from_logits that generate builds on

The notebook's hidden tests call check_batches, draw_many and check_frequencies too (the visible cells import them).
A function here that calls the student's function gets it wrapped in call_own by the test cell.
"""
import contextlib
import warnings

import numpy as np

from . import Case
from ..layers.softmax import softmax
from ..grading import assert_shape, assert_true, fail, repeat, slips, unpack


# --- Exercise 6.1 make_batches(ids, batch_size, seq_len) ---------------------------------------------------------
# Every value in each stream is different, so that a value says where in the stream it came from.
make_batches = Case(
    alphabet=np.arange(26),                              # (26,) a = 0, b = 1, ..., z = 25; B = 2, T = 3 -> 4 batches
    exact=100 + np.arange(24),                           # (24,) = 4 * 2 * 3: (24 - 1) // 6 = 3 batches
    scrambled=np.random.default_rng(6).permutation(50),  # (50,) the values 0..49, each once; B = 3, T = 5
)

# What check_batches says: for a wrong number of batches, and for what lane_slip can find, in the order it looks.
BATCHES_SAY = {
    "count": "{where} returned {got} batches, expected (L - 1) // (B * T) = ({L} - 1) // ({B} * {T}) = {K}.{hint}",
    "count_hint": " Hint: count with len(ids) - 1, not len(ids): the last input needs a next character as its target.",
    "transposed": "{name} of batch {k} has shape {shape} = (seq_len, batch_size); expected (batch_size, seq_len) = {BT}: "
                  "rows are lanes, columns are time steps.",
    "dtype": "{name} of batch {k} has dtype {dtype}; it must stay an integer array (ids index the vocabulary).",
    "unknown": "{name} of batch {k} holds values that are not in ids: {values}.",
    "y_is_x": "y of batch {k} equals x: the targets must be shifted by one (y[b, t] is the character AFTER x[b, t]).",
    "backwards": "y of batch {k} is shifted the wrong way: y[b, t] must be the character after x[b, t], not before it.",
    "not_next": "y[{b}, {t}] of batch {k} is not the character that follows x[{b}, {t}] in the stream "
                "(x[{b}, {t}] is ids[{px}], so y[{b}, {t}] should be ids[{next}], got ids[{py}]).",
    "gap": "row {b} of x in batch {k} is not a contiguous piece of the stream: x[{b}, {t}] is ids[{p}] "
           "but x[{b}, {t1}] is ids[{p1}].",
    "restart": "lane {b} does not continue: row {b} of batch {k} starts at ids[{p}], but row {b} of batch {before} "
               "stopped at ids[{last}], so it should start at ids[{expected}]. The hidden state carried from batch "
               "{before} to batch {k} would belong to another place in the text.",
    "overlap": "lanes {a} and {b} overlap: lane {a} covers ids[{start_a}:{end_a}] and lane {b} starts at ids[{start_b}]. "
               "Each lane must be its own piece of the stream (they are {K} * {T} = {length} characters long)."}


def check_batches(batches, stream, B, T):
    """Check one output of make_batches(stream, B, T), for a stream whose values are all different (so that every
    value says where in the stream it came from). Any lane start positions are accepted.

    It checks, in this order: a list of K = (L - 1) // (B * T) pairs (x, y); x and y integer arrays (B, T);
    then, with lane_slip, that y is x shifted by one, that each row is a piece of the stream, that each lane
    continues from one batch to the next, and that no two lanes overlap.
    """
    where = f"make_batches(ids of length {len(stream)}, batch_size={B}, seq_len={T})"
    K = (len(stream) - 1) // (B * T)
    if batches is None:
        fail(f"{where} returned None: did you forget a `return`?")
    assert_true(isinstance(batches, list), f"{where} should return a list of (x, y) pairs, got {type(batches).__name__}.")
    if len(batches) != K:
        hint = BATCHES_SAY["count_hint"] if len(batches) == len(stream) // (B * T) != K else ""
        fail(BATCHES_SAY["count"].format(where=where, got=len(batches), L=len(stream), B=B, T=T, K=K, hint=hint))
    for k, pair in enumerate(batches):
        for name, a in zip(("x", "y"), unpack(f"batch {k}", pair, ("x", "y"))):
            if isinstance(a, np.ndarray) and a.shape == (T, B) and B != T:
                fail(BATCHES_SAY["transposed"].format(name=name, k=k, shape=a.shape, BT=(B, T)))
            assert_shape(f"{name} of batch {k}", a, (B, T))
            assert_true(np.issubdtype(a.dtype, np.integer), BATCHES_SAY["dtype"].format(name=name, k=k, dtype=a.dtype))
    slip, found = lane_slip(batches, stream, T)
    if slip:
        fail(BATCHES_SAY[slip].format(**found))


def lane_slip(batches, stream, T):
    """The first way in which make_batches' output is not K lanes of the stream, or (None, {}) when it is.

    batches: K pairs (x, y) of integer arrays (B, T) (their shapes and types are checked before); stream: the ids
    it was given, all values different, so that a value says where in the stream it came from. The slips, in the
    order they are looked for, batch by batch, then over all lanes:
      "unknown"   x or y of a batch holds values that are not in the stream         name, k, values
      "y_is_x"    y equals x                                                          k
      "backwards" y[b, t] is the character before x[b, t]                             k
      "not_next"  y[b, t] is not the character after x[b, t]                          k, b, t, px, py (positions)
      "gap"       a row of x is not a contiguous piece of the stream                  k, b, t, p, p1
      "restart"   row b of batch k does not continue row b of batch k - 1             k, b, p, last, expected
      "overlap"   two lanes share characters                                          a, b, start_a, end_a, start_b,
                                                                                      K, length
    """
    position = {int(v): p for p, v in enumerate(stream)}
    starts = previous = None
    for k, (x, y) in enumerate(batches):
        for name, a in (("x", x), ("y", y)):
            unknown = [int(v) for v in np.unique(a) if int(v) not in position]
            if unknown:
                return "unknown", dict(name=name, k=k, values=unknown[:5])
        px, py = np.vectorize(position.get)(x), np.vectorize(position.get)(y)
        if not np.array_equal(py, px + 1):
            if np.array_equal(y, x):
                return "y_is_x", dict(k=k)
            if np.array_equal(py, px - 1):
                return "backwards", dict(k=k)
            b, t = np.argwhere(py != px + 1)[0]
            return "not_next", dict(k=k, b=b, t=t, px=px[b, t], next=px[b, t] + 1, py=py[b, t])
        gaps = np.argwhere(np.diff(px, axis=1) != 1)
        if len(gaps):
            b, t = gaps[0]
            return "gap", dict(k=k, b=b, t=t, t1=t + 1, p=px[b, t], p1=px[b, t + 1])
        if starts is None:
            starts = px[:, 0]
        elif np.any(px[:, 0] != previous[:, -1] + 1):
            b = int(np.argmax(px[:, 0] != previous[:, -1] + 1))
            return "restart", dict(k=k, before=k - 1, b=b, p=px[b, 0], last=previous[b, -1], expected=previous[b, -1] + 1)
        previous = px
    K = len(batches)
    if K:
        order = np.argsort(starts)
        for a, b in zip(order[:-1], order[1:]):
            if starts[b] < starts[a] + K * T:
                return "overlap", dict(a=a, b=b, start_a=starts[a], end_a=starts[a] + K * T, start_b=starts[b], K=K,
                                       T=T, length=K * T)
    return None, {}


# --- Exercise 6.2 sample_from_logits(logits, temperature, rng) -----------------------------------------------------
sample_from_logits = Case(
    logits=np.array([2.0, 1.0, 0.0, -1.0, 0.5]),        # (V,) = (5,): chi-square with 4 degrees of freedom
    big=np.array([1000.0, 999.0, 998.0, 996.0, 999.5]),  # (5,) logits near 1000: np.exp overflows without a shift
    CHI2_4DF=33.4,                                       # P(chi-square_4 > 33.4) = 1e-6
)

# numpy's own errors from rng.choice, and the slip each one reveals (for slips(...) in draw_many).
SAMPLE_SLIPS = {
    r"Probabilities contain NaN":
        "np.exp overflowed (inf / inf is NaN). Subtract the largest logit before np.exp: softmax(z) = softmax(z - max(z)).",
    r"Probabilities do not sum to 1":
        "the probabilities given to rng.choice do not sum to 1. Divide the logits by the temperature "
        "before the softmax, not the probabilities after it."}

# The longer sentences of the test cell of sample_from_logits, filled in with what the test found.
SAMPLE_SAYS = {
    "far": "at temperature 1, the counts {counts} of 6000 draws are far from softmax(logits) = {p}.",
    "far_all_same": " Hint: every draw gave the same index; draw at random with rng (a generator seeded inside the "
                    "function, or the argmax, gives the same answer every time).",
    "ignored": "at temperature {t} the frequencies match softmax(logits), not softmax(logits / {t}): the temperature "
               "is ignored.",
    "multiplied": "at temperature {t} the frequencies match softmax(logits * {t}): divide the logits by the temperature, "
                  "do not multiply.",
    "same_seed": "two generators with the same seed gave different draws: use the rng argument for all randomness "
                 "(not np.random.* or a new default_rng()).",
    "overflow": "sample_from_logits fails for logits near 1000 ({error}). Subtract the largest logit before np.exp.",
}


def draw_many(fn, logits, temperature, n, seed):
    """n draws of fn(logits, temperature, rng) from one generator rng seeded with `seed` (repeat makes the n calls
    in one go); checks that each is an int in 0..V-1, and returns the counts (V,)."""
    with slips("sample_from_logits", SAMPLE_SLIPS):
        draws = repeat(fn, n, logits, temperature, np.random.default_rng(seed))
    k = first_bad_draw(draws, len(logits))           # the first draw that is not an int in 0..V-1, or None
    if k is not None and not is_index(k):
        fail(f"sample_from_logits should return an int index, got {type(k).__name__}"
             f"{' of shape ' + str(np.shape(k)) if np.ndim(k) else ''} ({k!r}).")
    assert_true(k is None, f"sample_from_logits returned {k}, outside 0..{len(logits) - 1}.")
    return np.bincount(np.asarray(draws, dtype=int), minlength=len(logits))


def check_frequencies(counts, expected_p, what, threshold):
    """Check that the (V,) counts of draws match the probabilities expected_p: their chi-square statistic is at most
    `threshold`, the value that a correct sampler exceeds with probability 1e-6 (one false alarm in a million runs
    with a random seed)."""
    n, stat = counts.sum(), chi_square(counts, expected_p)
    assert_true(stat <= threshold,
                f"{what}: the frequencies of {n} draws do not match softmax(logits / temperature) "
                f"(chi-square {stat:.1f} > {threshold}). Observed {np.array2string(counts / n, precision=3)}, "
                f"expected {np.array2string(expected_p, precision=3)}.")


def far_from_softmax(counts, logits):
    """What the test says when the counts of 6000 draws at temperature 1 are far from softmax(logits)."""
    hint = SAMPLE_SAYS["far_all_same"] if counts.max() == counts.sum() else ""
    return SAMPLE_SAYS["far"].format(counts=counts, p=np.array2string(softmax_t(logits, 1.0), precision=3)) + hint


@contextlib.contextmanager
def raises_own_value_error(call):
    """The block (a call of sample_from_logits with a temperature <= 0, described by `call`) must raise a ValueError
    of its own: none at all fails, and so does numpy's from rng.choice ("Probabilities ...")."""
    try:
        yield
    except ValueError as error:
        if "Probabilities" in str(error):
            fail(f"{call} stopped with numpy's ValueError from rng.choice ({error}), not with a check of its own: "
                 "test the temperature first and raise a ValueError that says what is wrong.")
    else:
        fail(f"{call} should raise a ValueError.")


@contextlib.contextmanager
def no_overflow(message):
    """Inside this block a warning (an overflow in np.exp) is an error, and a warning, ValueError or
    FloatingPointError fails the test with `message`, its "{error}" filled in with the error's type and words."""
    with warnings.catch_warnings(record=False):
        warnings.simplefilter(action="error")          # an overflow warning becomes an error here
        try:
            yield
        except (RuntimeWarning, ValueError, FloatingPointError) as error:
            fail(message.format(error=f"{type(error).__name__}: {error}"))


def softmax_t(z, t):
    """softmax(z / t) of a (V,) array of logits z at temperature t: the probabilities a sampler should draw with.
    (rnnlib's softmax, not a copy of notebook 01's answer: this file is in the rnnlib of a class while 01 is open.)"""
    return softmax(np.asarray(z, dtype=np.float64) / t)


def chi_square(counts, expected_p):
    """Pearson's chi-square statistic of the (V,) counts of n draws against the (V,) expected probabilities.

    For a correct sampler it follows a chi-square distribution with V - 1 degrees of freedom.
    """
    n = counts.sum()
    return float((((counts - n * expected_p) ** 2) / (n * expected_p)).sum())


def is_index(k):
    """Whether a draw k is an int (a Python or numpy integer, not a bool)."""
    return isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_))


def first_bad_draw(draws, V):
    """The first of the draws that is not an int index in 0..V-1 (None when every draw is one)."""
    return next((k for k in draws if not is_index(k) or not 0 <= k < V), None)


# --- Exercise 6.3 generate(step, state, prime_ids, length, temperature, rng) ---------------------------------------
generate = Case(
    prime=[2, 4, 1],                       # the prompt, P = 3
    start=(0, -1),                         # the toy model's state before the prompt: (n, last)
    ids=[4, 2, 1, 1, 2],                   # (5,) the toy's favourites after the prompt
    ids_hints={                            # {what the slip is: the ids it gives}
        "the first character is drawn from the scores after the FIRST prompt character: use the last row of the "
        "logits, logits[-1], the scores after the whole prompt": [3, 1, 0, 0, 1],
        "every character is drawn after reading only the prompt: read each written character with step and draw "
        "the next one from the new logits": [4, 4, 4, 4, 4]},
    cold=[4, 2, 1, 1, 2, 4, 1, 5],         # (8,) the favourites, margin 1, temperature 0.02, seed 3
    ids_after_5=[0, 2, 5],                 # (3,) after the prompt [5]
    sure=np.array([0.0, 0.0, 60.0]),       # logits whose draw is 2 at temperature 1 (for the sampler check)
    close=np.array([1.0, 1.2, 0.0]),       # logits whose draw is 1 at temperature 1e-3
)


# The longer sentences of the test cell of generate, filled in with what the test found.
GENERATE_SAYS = {
    "first_state": "the first call of step must get the state you were given, (0, -1); it got {got}.",
    "restarted": "call {c} of step got the starting state again: pass on the state returned by the previous call, so "
                 "the model continues from where it was (it would forget the prompt and all it wrote).",
    "not_passed": "call {c} of step got the state {got}, but the previous call returned {returned}: pass on the state "
                  "returned by the previous call.",
    "last_twice": "the model read the prompt's last character twice (it read {read}...): after reading the prompt, "
                  "draw the first character from logits[-1] of that call; do not feed the last prompt character again.",
    "read_written": "after the prompt, the model must read each written character once, in order: [4, 2, 1, 1] "
                    "(and, if you like, the last one, 2); step read {read}.",
    "cold": "at temperature 0.02 the toy's favourite, only 1 ahead in its logits, should win every draw: expected "
            "[4, 2, 1, 1, 2, 4, 1, 5], got {got}. Pass `temperature` on to sample_from_logits (at temperature 1 the "
            "other characters win about two times in three).",
    "argmax": "with two tied favourites, every draw was the one with the smaller index: draw each character with "
              "sample_from_logits(logits[-1], temperature, rng), not np.argmax.",
    "same_seed": "the same seed gave different characters: pass rng to sample_from_logits, and use no other randomness.",
}


def toy_generate(own_generate):
    """toy_generate(prime, length, margin=50.0, temperature=1.0, seed=0, tie=False) -> (ids, calls): runs
    own_generate (the student's generate, wrapped in call_own by the test cell) on the toy model of make_toy_step
    from its starting state (0, -1), with np.random.default_rng(seed); `calls` are the toy's recorded calls."""
    def run(prime, length, margin=50.0, temperature=1.0, seed=0, tie=False):
        calls = []
        ids = own_generate(make_toy_step(calls, margin, tie), (0, -1), np.array(prime), length, temperature,
                           np.random.default_rng(seed))
        return ids, calls
    return run


def sampler_still_right(own_sampler):
    """For rnnlib.grading.builds_on: a function that is true when own_sampler (the student's sample_from_logits,
    wrapped in call_own by the test cell) draws 2 from logits [0, 0, 60] and 1 from [1, 1.2, 0] at temperature 1e-3."""
    def right():
        sure = own_sampler(generate.sure, 1.0, np.random.default_rng(0))
        cold = own_sampler(generate.close, 1e-3, np.random.default_rng(0))
        return sure == 2 and cold == 1
    return right


def make_toy_step(calls, margin=50.0, tie=False):
    """A toy model with V = 6 characters, for generate: step(ids, state) -> (logits (k, 6), new state).

    Its state is (n, last): how many characters it has read, and the last one. After reading a character it
    favours (last + n) % 6 by `margin` in its logits (with `tie`, also (last + n + 3) % 6, equally).
    Every call is appended to `calls` as (a copy of ids, the state it got).
    """
    def toy_step(ids, state):
        calls.append((np.array(ids, copy=True), state))
        n, last = state
        logits = np.zeros((len(ids), 6))
        for row, i in enumerate(np.asarray(ids)):
            n, last = n + 1, int(i)
            logits[row, (last + n) % 6] = margin
            if tie:
                logits[row, (last + n + 3) % 6] = margin
        return logits, (n, last)
    return toy_step


def tied_favourites(prime, written):
    """The two tied favourites of the toy model (tie=True) before each written character, smaller first.

    prime: the prompt (list of ids); written: the characters generate wrote after it. Returns a list of
    [smaller, larger] pairs, one per written character.
    """
    n, last, options = len(prime), prime[-1], []
    for k in np.asarray(written):
        options.append(sorted({(last + n) % 6, (last + n + 3) % 6}))
        n, last = n + 1, int(k)
    return options


def states_passed(calls):
    """[(the state call c got, the state call c - 1 returned), ...] for the calls of a toy step (None for the first)."""
    out = [(calls[0][1], None)] if calls else []
    for c in range(1, len(calls)):
        out.append((calls[c][1], make_toy_step([])(calls[c - 1][0], calls[c - 1][1])[1]))
    return out


def ids_read(calls):
    """Every id the toy step read, in order, as a list of ints."""
    return [int(i) for ids_read_, _ in calls for i in np.atleast_1d(ids_read_)]


def first_not_tied(prime, written):
    """(the first written character that is not one of the toy's two tied favourites, those two), or (None, None)."""
    for k, options in zip(np.asarray(written), tied_favourites(prime, written)):
        if int(k) not in options:
            return k, options
    return None, None


def smaller_favourites(prime, written):
    """How many written characters were the smaller of the toy's two tied favourites."""
    return sum(int(k) == options[0] for k, options in zip(np.asarray(written), tied_favourites(prime, written)))
