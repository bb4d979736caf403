"""The visible test cases of notebook 06 (a character language model): inputs, expected values, hint arrays.

One namespace per exercise, and the plumbing its test cell uses (a chi-square statistic, a toy model).
The checks and the sentences a student reads stay in the notebook's test cells.

    make_batches        Exercise 6.1: streams whose values are all different, and lane_slip, which finds where the
                        batches stop being pieces of the stream
    sample_from_logits  Exercise 6.2: logits, the chi-square threshold, and the first draw that is not an index
    generate            Exercise 6.3: a prompt, the toy model's expected output and the outputs of typical slips

A function here that looks for a slip returns what it found (the name of the slip and the numbers its sentence
names); the test cell turns that into the sentence a student reads.
"""
import numpy as np

from . import Case


# --- Exercise 6.1 make_batches(ids, batch_size, seq_len) ---------------------------------------------------------
# Every value in each stream is different, so that a value says where in the stream it came from.
make_batches = Case(
    alphabet=np.arange(26),                              # (26,) a = 0, b = 1, ..., z = 25; B = 2, T = 3 -> 4 batches
    exact=100 + np.arange(24),                           # (24,) = 4 * 2 * 3: (24 - 1) // 6 = 3 batches
    scrambled=np.random.default_rng(6).permutation(50),  # (50,) the values 0..49, each once; B = 3, T = 5
)




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


def softmax_t(z, t):
    """softmax(z / t) of a (V,) array of logits z at temperature t: the probabilities a sampler should draw with."""
    e = np.exp((z - z.max()) / t)
    return e / e.sum()


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
    ids_first_row=[3, 1, 0, 0, 1],         # drawn from logits[0], the scores after the FIRST prompt character
    ids_prompt_only=[4, 4, 4, 4, 4],       # every character drawn after reading only the prompt
    cold=[4, 2, 1, 1, 2, 4, 1, 5],         # (8,) the favourites, margin 1, temperature 0.02, seed 3
    ids_after_5=[0, 2, 5],                 # (3,) after the prompt [5]
    sure=np.array([0.0, 0.0, 60.0]),       # logits whose draw is 2 at temperature 1 (for the sampler check)
    close=np.array([1.0, 1.2, 0.0]),       # logits whose draw is 1 at temperature 1e-3
)


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
