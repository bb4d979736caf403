"""Visible test cases of notebook 01 (the limits of a plain network): inputs, expected values and hint arrays.

One function per exercise; each call returns a namespace of new arrays (a test may hand them to code that
changes them in place):

- `one_hot()`          Exercise 1.1: ids (3,) with vocab_size V = 5, then a batch (2, 2) with V = 3.
- `softmax()`          Exercise 1.2: scores (3,), (2, 3), and large scores that overflow np.exp.
- `window_features()`  Exercise 1.4: ids (2, 4) with W = 2, V = 3; a short row (1, 2) with W = 4;
                       ids (1, 2) with W = 1, V = 5.

(Exercise 1.3, `best_current_char_accuracy`, checks single numbers; they stay in its test cell.)
The expected values are fixed numbers; the arrays behind hints are what a typical slip returns, built with numpy.
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
    c.shifted_right = np.eye(5)[(c.ids + 1) % 5]     # each 1 one place too far right
    c.shifted_left = np.eye(5)[c.ids - 1]            # each 1 one place too far left
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
    c.not_divided = np.exp([1.0, 2.0, 3.0])
    c.log_softmax = np.log([0.09003057317038046, 0.24472847105479764, 0.6652409557748219])
    S = c.rows
    E_rows = np.exp(S - S.max(axis=-1, keepdims=True))       # what a row-max subtraction gives before normalising
    c.rows_down_columns = np.exp(S) / np.exp(S).sum(axis=0)
    c.rows_whole_array = np.exp(S) / np.exp(S).sum()
    c.rows_max_by_row_sum_by_column = E_rows / E_rows.sum(axis=0)
    return c


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
        short_padded_right=[[0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0]],
        short_padded_with_token_0=[[1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0]],
        wide_ids=np.array([[3, 0]]),                     # used with W = 1, vocab_size = 5
        wide_expected=[[1, 0, 0, 0, 0]],
    )
    c.reversed_blocks = _blocks(c.ids[:, ::-1][:, :2])
    c.first_tokens = _blocks(c.ids[:, :2])
    c.shifted_by_one = _blocks(c.ids[:, 1:3])
    c.interleaved = np.eye(3)[c.ids[:, 2:]].transpose(0, 2, 1).reshape(2, 6)
    c.short_wrapped_round = _blocks(c.short[:, [-2, -1, 0, 1]])
    return c
