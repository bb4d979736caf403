"""Visible test cases of notebook 01 (the limits of a plain network): inputs, expected values and hint tables.

One function per exercise; each call returns a namespace of new arrays (a test may hand them to code that
changes them in place):

- `one_hot()`          Exercise 1.1: ids (3,) with vocab_size V = 5, then a batch (2, 2) with V = 3.
- `softmax()`          Exercise 1.2: scores (3,), (2, 3), and large scores that overflow np.exp.
- `best_current_char_accuracy()`  Exercise 1.3: its texts ("hello", "aXAy", ...), each with its expected
                       accuracy and hint table.
- `window_features()`  Exercise 1.4: ids (2, 4) with W = 2, V = 3; a short row (1, 2) with W = 4;
                       ids (1, 2) with W = 1, V = 5.

The expected values are fixed numbers. Beside an expected value `v`, `v_hints` is its hint table
{sentence: what a typical slip returns}, the wrong value built here with numpy; `..._slips` tables
{error pattern: the slip it reveals} name the slip behind an error the student's function raises.
"""
from types import SimpleNamespace

import numpy as np


def one_hot():
    """Exercise 1.1, one_hot(ids, vocab_size)."""
    c = SimpleNamespace(
        ids=np.array([2, 0, 3]),                 # with vocab_size = 5: expected (3, 5)
        expected=[[0, 0, 1, 0, 0],
                  [1, 0, 0, 0, 0],
                  [0, 0, 0, 1, 0]],
        batch_ids=np.array([[1, 0], [2, 2]]),    # with vocab_size = 3: expected (2, 2, 3)
        batch_expected=[[[0, 1, 0], [1, 0, 0]],
                        [[0, 0, 1], [0, 0, 1]]],
    )
    c.expected_hints = {"each 1 sits one place too far right (off by one)": np.eye(5)[(c.ids + 1) % 5],
                        "each 1 sits one place too far left (off by one)": np.eye(5)[c.ids - 1]}
    return c


def softmax():
    """Exercise 1.2, softmax(scores)."""
    c = SimpleNamespace(
        scores=np.array([1.0, 2.0, 3.0]),                    # (3,)
        expected=[0.09003057317038046, 0.24472847105479764, 0.6652409557748219],
        rows=np.array([[1.0, 2.0, 3.0],                      # (2, 3): each row is a separate softmax
                       [1.0, 1.0, 1.0]]),
        rows_expected=[[0.09003057317038046, 0.24472847105479764, 0.6652409557748219],
                       [1 / 3, 1 / 3, 1 / 3]],
        big=np.array([1000.0, 0.0]),                         # exp(1000) overflows unless the max is subtracted
        big_expected=[1.0, 0.0],
        far=np.array([[0.0, 1.0], [1000.0, 1001.0]]),        # rows far apart: subtract each row's own max
        far_expected=[[0.2689414213699951, 0.7310585786300049],
                      [0.2689414213699951, 0.7310585786300049]],
    )
    # softmax(scores), scores (3,)
    c.scores_slips = {r"axis 1 is out of bounds for array of dimension 1":
                      "axis=1 exists only for 2-D scores. The softmax runs over the LAST axis, and "
                      "axis=-1 is the last axis for (V,), (N, V) and (N, T, V) alike."}
    c.expected_hints = {
        "the exponentials are not divided by their sum": np.exp([1.0, 2.0, 3.0]),
        "this is the log of the softmax; return the probabilities themselves":
            np.log([0.09003057317038046, 0.24472847105479764, 0.6652409557748219]),
    }
    # softmax(rows), rows (2, 3)
    c.rows_slips = {
        r"shapes \(2,3\) \(2,\)|shapes \(2,\) \(2,3\)":
            "np.max(scores, axis=-1) and np.sum(e, axis=-1) give one number per row, shape (N,) = (2,), "
            "and numpy cannot line up a (2,) vector with (2, 3) scores row by row. Subtract the row max "
            "and divide by the row sum with keepdims=True, so the (N,) vector becomes (N, 1) and "
            "broadcasts against (N, V) = (2, 3).",
        r"truth value of an array with more than one element is ambiguous":
            "Python's max() and sum() only work on 1-D scores. For (N, V) scores use "
            "np.max(scores, axis=-1, keepdims=True) and np.sum(e, axis=-1, keepdims=True).",
    }
    S = c.rows
    E_rows = np.exp(S - S.max(axis=-1, keepdims=True))       # what a row-max subtraction gives before normalising
    c.rows_expected_hints = {
        "the softmax was taken down the columns (axis 0); take it along the last axis":
            np.exp(S) / np.exp(S).sum(axis=0),
        "the whole array was normalised at once; each row must sum to 1 on its own":
            np.exp(S) / np.exp(S).sum(),
        "each row's maximum is subtracted, but the sum runs down the columns (axis 0); "
        "divide by the sum along the last axis, np.sum(e, axis=-1, keepdims=True), "
        "so that each row sums to 1": E_rows / E_rows.sum(axis=0),
    }
    return c


# A slip that two texts of Exercise 1.3 reveal.
MOST_OFTEN = "for each character, answer the next character that follows it MOST OFTEN, not the last or first one seen"


def best_current_char_accuracy():
    """Exercise 1.3, best_current_char_accuracy(text): `texts`, a list of (text, expected accuracy, hint table
    {sentence: the accuracy a slip gives} or None), in the order the test cell checks them."""
    hello_hints = {
        "divide by the number of predictions, len(text) - 1 = 4, not by len(text) = 5": 0.6,
        "return the fraction of right predictions, not their number": 3,
        "a model that always answers the most frequent character ignores its input; "
        "count the next characters separately for each current character": 0.5,
        "weight each current character by how often it occurs: 'l' is the input twice": 5 / 6,
        "do not add a prediction from the last character back to the first one": 0.8,
    }
    return SimpleNamespace(texts=[
        ("hello", 0.75, hello_hints),       # after 'h' comes 'e', after 'e' 'l', after 'l' 'l' and 'o': 3 of 4
        ("aaaa", 1.0, None),
        ("aXAy", 1.0,                       # 'a' and 'A' are different characters
         {"'a' and 'A' are different characters; keep the text as it is (no lower())": 2 / 3}),
        ("abababac", 6 / 7,                 # after 'a' comes 'b' three times and 'c' once
         {MOST_OFTEN: 4 / 7, "predict text[i + 1] from text[i], not text[i] from text[i + 1]": 1.0}),
        ("acababab", 6 / 7, {MOST_OFTEN: 4 / 7}),
    ])


def _blocks(tokens):
    """Rows of token ids (N, W) -> concatenated one-hot blocks (N, W * 3), vocabulary of 3."""
    return np.eye(3)[np.asarray(tokens)].reshape(len(tokens), -1)


def window_features():
    """Exercise 1.4, window_features(ids, W, vocab_size)."""
    c = SimpleNamespace(
        ids=np.array([[1, 0, 2, 1],
                      [2, 2, 0, 1]]),                    # N = 2 sequences, T = 4, V = 3; used with W = 2
        expected=[[0, 0, 1, 0, 1, 0],
                  [1, 0, 0, 0, 1, 0]],
        short=np.array([[2, 1]]),                        # T = 2 < W = 4: the missing oldest blocks are zeros
        short_expected=[[0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0]],
        wide_ids=np.array([[3, 0]]),                     # used with W = 1, vocab_size = 5
        wide_expected=[[1, 0, 0, 0, 0]],
    )
    c.expected_hints = {
        "the blocks are in reverse order: block 0 is the OLDEST token of the window, "
        "the last block the newest": _blocks(c.ids[:, ::-1][:, :2]),
        "these are the FIRST two tokens; use the last W tokens": _blocks(c.ids[:, :2]),
        "the window is shifted by one: it must end with the last token ids[:, T-1]": _blocks(c.ids[:, 1:3]),
        "the columns are interleaved (token-major): keep each position's V columns together "
        "in one block": np.eye(3)[c.ids[:, 2:]].transpose(0, 2, 1).reshape(2, 6),
    }
    c.short_expected_hints = {
        "the zeros are on the wrong side: pad on the LEFT, so the newest token is in the last block":
            [[0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0]],
        "padding blocks must be all zeros, not the one-hot vector of token 0":
            [[1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0]],
        "the padding blocks repeat the END of the sequence: for t = T - W + k < 0, ids[:, t] "
        "is Python's negative index, which wraps round to the last tokens. Check t >= 0 first "
        "and leave those blocks all zeros": _blocks(c.short[:, [-2, -1, 0, 1]]),
    }
    return c
