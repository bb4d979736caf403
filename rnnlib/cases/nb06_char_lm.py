"""The visible test cases of notebook 06 (a character language model): inputs, expected values, hint arrays.

One namespace per exercise, and the plumbing its test cell uses (a chi-square statistic, a toy model).
The checks and the sentences a student reads stay in the notebook's test cells.

    make_batches        Exercise 6.1: streams whose values are all different
    sample_from_logits  Exercise 6.2: logits and the chi-square threshold
    generate            Exercise 6.3: a prompt, the toy model's expected output and the outputs of typical slips
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
