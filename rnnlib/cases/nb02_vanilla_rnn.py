"""Visible test cases of notebook 02 (the vanilla RNN): inputs, expected values and hint tables.

One function per exercise; each call returns a namespace of new arrays:

- `step_forward`    Exercise 2.1, `rnn_step_forward`:        N = 2 sequences, D = 3 inputs, H = 4 hidden units.
- `forward`         Exercise 2.2, `rnn_forward`:             N = 2, T = 3 steps, D = 4, H = 2 (and
                    `h_step0`, the first step alone, to check rnn_step_forward under it).
- `affine_forward`  Exercise 2.3, `temporal_affine_forward`: N = 2, T = 3, H = 4, V = 3 (and a square W, H = V = 3).

The expected values are fixed numbers (computed once, by hand-checked code), not calls to a reference.
Beside each expected value `v`, `v_hints` is its hint table {sentence: what a typical slip returns}, the wrong
value built here from the case's inputs with numpy; `forward().shape_slips` is the table {numpy's error: the slip
it reveals} of rnn_forward's first call.

`cache_problem` is the plumbing of the three cache checks: it runs rnnlib's backward pass on a student's cache
and on a correct one (`step_cache`, `forward_cache`: the contract's caches of the cases, from their numbers), and
says in words what differs (the test cell holds the sentences). In a class whose rnnlib holds the backward passes
back (notebook 03 still open), it checks the cache's layout only, and says so; the grader checks its values.
"""
from types import SimpleNamespace

import numpy as np

from ..grading import cache_checked_when_graded, held_back
# rnnlib's, not a copy: this file is in the rnnlib of a class while notebook 01, whose answer it is, is open
# (it is only called once 02's notebook runs, by when 01 has closed)
from ..layers.softmax import softmax

# Sentences that several hint tables share.
WH_TRANSPOSED = "Wh is used transposed (h_prev @ Wh.T) — with a non-symmetric Wh the order matters"
STORED_H_PREV = "h[:, t] is the state before step t, not after (you stored h_prev)"
NO_SOFTMAX = "scores should be raw scores; do not apply softmax"


def cache_problem(backward, upstream, cache, good_cache, grads, unusable, wrong):
    """What is wrong with a student's `cache`, in words; "" when nothing is.

    `backward` (an rnnlib backward pass, e.g. rnnlib.rnn_step_backward) must give from `cache` the same
    gradients, named `grads`, as from the correct `good_cache`. When it cannot use the cache at all, the
    message ends with the sentence `unusable`; when a gradient differs, it names the gradient and ends with
    the sentence `wrong`. (The test cell fails with the message: assert_true(not problem, problem).)
    """
    name = f"rnnlib.{backward.__name__}"
    try:
        expected = backward(upstream, good_cache)
    except NotImplementedError as error:
        if not held_back(error):
            raise
        return _layout_problem(name, cache, good_cache, unusable)
    try:
        got = backward(upstream, cache)
    except Exception as refused:             # (named unlike the hidden tests' lines: none of them may be here)
        return f"{name} cannot use your cache ({type(refused).__name__}: {refused}). {unusable}"
    for grad, g, e in zip(grads, got, expected):
        if not (np.shape(g) == np.shape(e) and np.allclose(g, e, rtol=1e-7, atol=1e-12)):
            return f"Your cache gives a wrong {grad} in {name}: {wrong}"
    return ""


def _layout(value):
    """The nesting and shapes of a cache: lists for tuples and lists, a shape for anything else."""
    return [_layout(v) for v in value] if isinstance(value, (list, tuple)) else np.shape(value)


def _layout_problem(name, cache, good_cache, unusable):
    """cache_problem without the backward pass (class mode): does the cache have the contract's layout?"""
    if _layout(cache) != _layout(good_cache):
        return f"Your cache does not have the layout of the contract. {unusable}"
    cache_checked_when_graded(name)
    return ""


def step_cache(c):
    """The contract's cache of rnn_step_forward on step_forward()'s case: (x, h_prev, Wx, Wh, h_next)."""
    return (c.x, c.h_prev, c.Wx, c.Wh, c.h_next)


def forward_cache(c):
    """The contract's cache of rnn_forward on forward()'s case: the step cache of each step, in time order."""
    states = [c.h0] + [c.h[:, t] for t in range(c.x.shape[1])]
    return [(c.x[:, t], states[t], c.Wx, c.Wh, states[t + 1]) for t in range(c.x.shape[1])]


# ---------------------------------------------------------------------------------------------------------------
# Exercise 2.1 — rnn_step_forward(x, h_prev, Wx, Wh, b): x (2, 3), h_prev (2, 4), Wx (3, 4), Wh (4, 4), b (4,).
def step_forward():
    """Fresh arrays on every call: a test may hand them to code that changes them in place."""
    c = SimpleNamespace(
        x=np.array([[1.0, 0.0, -1.0],
                    [0.5, 2.0, 0.0]]),
        h_prev=np.array([[0.5, -0.5, 0.0, 1.0],
                         [0.0, 1.0, -1.0, 0.5]]),
        Wx=np.array([[0.1, -0.2, 0.3, 0.0],
                     [0.0, 0.4, -0.1, 0.2],
                     [-0.3, 0.1, 0.0, 0.5]]),
        Wh=np.array([[0.2, 0.5, 0.0, -0.1],     # not symmetric: Wh.T is a different matrix
                     [-0.4, 0.1, 0.3, 0.0],
                     [0.0, 0.2, -0.3, 0.6],
                     [0.1, 0.0, 0.4, -0.2]]),
        b=np.array([0.25, -0.1, 0.2, 0.05]),
        # upstream gradient (2, 4) for the cache check through rnnlib.rnn_step_backward
        dh_next=np.array([[1.0, -0.5, 0.25, 0.0], [-1.0, 0.5, 2.0, 0.75]]),
    )
    # h_next (2, 4) when x = 0 and h_prev = 0: every row is tanh(b)
    c.h_bias_only = np.array([[0.2449186624, -0.0996679946, 0.1973753202, 0.049958375],
                              [0.2449186624, -0.0996679946, 0.1973753202, 0.049958375]])
    c.h_bias_only_hints = {"h_next ignores the bias b": np.zeros((2, 4)),
                           "tanh is missing, or the bias is added after tanh": np.tile(c.b, (2, 1))}
    # h_next (2, 4) when h_prev = 0 and b = 0
    c.h_input_only = np.array([[0.3799489623, -0.2913126125, 0.2913126125, -0.4621171573],
                               [0.049958375, 0.6043677771, -0.049958375, 0.3799489623]])
    c.h_input_only_hints = {"x @ Wx term missing": np.zeros((2, 4)), "tanh is missing": c.x @ c.Wx}
    # h_next (2, 4) when x = 0 and b = 0
    c.h_state_only = np.array([[0.3799489623, 0.1973753202, 0.2449186624, -0.2449186624],
                               [-0.3363755443, -0.0996679946, 0.6640367703, -0.6043677771]])
    c.h_state_only_hints = {WH_TRANSPOSED: np.tanh(c.h_prev @ c.Wh.T),
                            "h_prev @ Wh term missing": np.zeros((2, 4)), "tanh is missing": c.h_prev @ c.Wh}
    # h_next (2, 4) with all inputs
    c.h_next = np.array([[0.7818063576, -0.1973753202, 0.6351489524, -0.6043677771],
                         [-0.049958375, 0.4621171573, 0.7397830513, -0.2449186624]])
    c.h_next_hints = {"the bias is added after tanh, it belongs inside": np.tanh(c.x @ c.Wx + c.h_prev @ c.Wh) + c.b}
    return c


# ---------------------------------------------------------------------------------------------------------------
# Exercise 2.2 — rnn_forward(x, h0, Wx, Wh, b): x (2, 3, 4), h0 (2, 2), Wx (4, 2), Wh (2, 2), b (2,).
def forward():
    """Fresh arrays on every call: a test may hand them to code that changes them in place."""
    c = SimpleNamespace(
        x=np.array([[[1.0, 0.0, 0.0, 0.5], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, -1.0, 1.0]],
                    [[0.0, 0.5, 0.5, 0.0], [1.0, 0.0, 0.0, -1.0], [0.0, 2.0, 0.0, 0.0]]]),
        h0=np.array([[0.5, -1.0],
                     [1.0, 0.5]]),
        Wx=np.array([[0.6, -0.3], [0.2, 0.4], [-0.5, 0.1], [0.3, 0.7]]),
        Wh=np.array([[0.8, -0.6],
                     [0.4, 0.9]]),           # not symmetric
        b=np.array([0.2, -0.3]),
        # upstream gradient (2, 3, 2) for the cache check through rnnlib.rnn_backward
        dh=np.linspace(-1.0, 1.0, 12).reshape(2, 3, 2),
    )
    # the first step alone, h_1 (2, 2) = tanh(x[:, 0] @ Wx + h0 @ Wh + b): is the student's rnn_step_forward still right?
    c.h_step0 = np.tanh(c.x[:, 0] @ c.Wx + c.h0 @ c.Wh + c.b)
    # h (2, 3, 2) when x = 0, h0 = 0 and Wh = 0: every step gives tanh(b)
    tb, no = np.tanh(c.b), np.zeros(2)
    c.h_bias_only = np.array([[[0.1973753202, -0.2913126125],
                               [0.1973753202, -0.2913126125],
                               [0.1973753202, -0.2913126125]],
                              [[0.1973753202, -0.2913126125],
                               [0.1973753202, -0.2913126125],
                               [0.1973753202, -0.2913126125]]])
    c.h_bias_only_hints = {
        "bias added only at t=0": np.stack([np.stack([tb, no, no])] * 2),
        STORED_H_PREV: np.stack([np.stack([no, tb, tb])] * 2),
        "the last time step is missing (the loop should run over all T steps)": np.stack([np.stack([tb, tb, no])] * 2),
        "tanh is missing": np.broadcast_to(c.b, (2, 3, 2)),
    }
    # h (2, 3, 2) when x = 0 and b = 0: the state is carried from step to step through Wh
    c.h_state_only = np.array([[[0.0, -0.833654607],
                                [-0.3216279582, -0.6353214213],
                                [-0.4710593641, -0.361675751]],
                               [[0.761594156, -0.1488850336],
                                [0.5003113106, -0.5305806862],
                                [0.1858321757, -0.6513899972]]])
    c.h_state_only_hints = {
        "h0 ignored": np.zeros((2, 3, 2)),
        "the same h_prev used at every step (state not carried)": np.repeat(c.h_state_only[:, :1], 3, axis=1),
        STORED_H_PREV: np.concatenate([c.h0[:, None], c.h_state_only[:, :2]], axis=1),
        WH_TRANSPOSED: np.array([[[0.761594156, -0.6043677771],
                                  [0.7495362828, -0.2348281659],
                                  [0.6294628082, 0.0882390742]],
                                 [[0.4621171573, 0.6910694698],
                                  [-0.0449177108, 0.6678263985],
                                  [-0.4108471727, 0.5248980235]]]),
    }
    # h (2, 3, 2) when h0 = 0, b = 0 and Wh = 0: step t sees x[:, t] alone
    c.h_input_only = np.array([[[0.6351489524, 0.049958375],
                                [0.1973753202, 0.3799489623],
                                [0.6640367703, 0.537049567]],
                               [[-0.1488850336, 0.2449186624],
                                [0.2913126125, -0.761594156],
                                [0.3799489623, 0.6640367703]]])
    c.h_input_only_hints = {"the input of step 0 is used at every step (x[:, 0] instead of x[:, t])":
                            np.repeat(np.tanh(c.x[:, :1] @ c.Wx), 3, axis=1)}
    # h (2, 3, 2) with all inputs
    c.h = np.array([[[0.7397830513, -0.8956928738],
                     [0.5604913372, -0.8177518972],
                     [0.8080179554, -0.6482483528]],
                    [[0.7818063576, -0.1973753202],
                     [0.7804399327, -0.9600635684],
                     [0.6859819694, -0.6817203968]]])
    # the first call, rnn_forward(x, h0, Wx, Wh, b): a slip with the axes makes numpy name its own shapes
    # (N, T, D, H all differ); {numpy's error: the slip it reveals}
    c.shape_slips = {
        r"shapes \(3,2\) \(2,2\)|shapes \(2,2\) \(3,2\)":
            "x[t] is sequence t with all its steps, (T, D); the input of step t for every sequence is x[:, t], (N, D).",
        r"from shape \(2,2\) into shape \(2,4\)":
            "h has the shape of x, (N, T, D) (np.zeros_like(x)?); it must be (N, T, H): np.zeros((N, T, H)).",
    }
    return c


# ---------------------------------------------------------------------------------------------------------------
# Exercise 2.3 — temporal_affine_forward(h, W, b): h (2, 3, 4), W (4, 3), b (3,).
def affine_forward():
    """Fresh arrays on every call: a test may hand them to code that changes them in place."""
    c = SimpleNamespace(
        h=np.array([[[0.5, -0.5, 0.0, 1.0], [0.2, 0.0, -0.4, 0.6], [-1.0, 0.5, 0.5, 0.0]],
                    [[0.0, 1.0, 0.0, -0.5], [0.3, -0.2, 0.1, 0.0], [0.9, 0.0, -0.7, 0.2]]]),
        W=np.array([[1.0, -0.5, 0.0],
                    [0.0, 2.0, -1.0],
                    [0.5, 0.0, 1.5],
                    [-1.0, 0.5, 0.5]]),
        b=np.array([0.1, -0.25, 0.4]),
        # a square, non-symmetric W (H = V = 3), used with h[:, :, :3], so that W and W.T differ
        Wsq=np.array([[1.0, 2.0, 0.0],
                      [0.0, 1.0, -1.0],
                      [0.5, 0.0, 1.0]]),
        # upstream gradient (2, 3, 3) for the cache check through rnnlib.temporal_affine_backward
        dscores=np.linspace(-1.0, 1.0, 18).reshape(2, 3, 3),
    )
    c.hsq = c.h[:, :, :3]
    # scores (2, 3, 3) when h = 0: every position gets b
    c.scores_bias_only = np.broadcast_to(c.b, (2, 3, 3))
    c.scores_bias_only_hints = {"scores ignore the bias": np.zeros((2, 3, 3)),
                                "the bias is added only at the first time step":
                                    np.stack([c.b, 0 * c.b, 0 * c.b])[None].repeat(2, axis=0),
                                NO_SOFTMAX: np.broadcast_to(softmax(c.b), (2, 3, 3))}
    # scores (2, 3, 3) when b = 0
    c.scores_weights_only = np.array([[[-0.5, -0.75, 1.0],
                                       [-0.6, 0.2, -0.3],
                                       [-0.75, 1.5, 0.25]],
                                      [[0.5, 1.75, -1.25],
                                       [0.35, -0.55, 0.35],
                                       [0.35, -0.35, -0.95]]])
    c.scores_weights_only_hints = {
        "the rows got mixed up: reshape back in the same (N, T) order you flattened in":
            (c.h.transpose(1, 0, 2).reshape(6, 4) @ c.W).reshape(2, 3, 3),
        NO_SOFTMAX: softmax(c.scores_weights_only),
        "the output layer is applied to h[:, 0] at every step": np.repeat(c.scores_weights_only[:, :1], 3, axis=1),
    }
    # scores (2, 3, 3) for hsq with the square W and b = 0
    c.scores_square = np.array([[[0.5, 0.5, 0.5],
                                 [0.0, 0.4, -0.4],
                                 [-0.75, -1.5, 0.0]],
                                [[0.0, 1.0, -1.0],
                                 [0.35, 0.4, 0.3],
                                 [0.55, 1.8, -0.7]]])
    c.scores_square_hints = {"W transposed (h @ W.T)": c.hsq @ c.Wsq.T}
    # scores (2, 3, 3) with all inputs
    c.scores = np.array([[[-0.4, -1.0, 1.4],
                          [-0.5, -0.05, 0.1],
                          [-0.65, 1.25, 0.65]],
                         [[0.6, 1.5, -0.85],
                          [0.45, -0.8, 0.75],
                          [0.45, -0.6, -0.55]]])
    return c
