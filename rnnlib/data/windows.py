"""A fixed window of context: what a feed-forward net sees, and the best any window-bound predictor can do.

Notebook 01's argument for recurrence:

- window_features: the fixed-size input of a feed-forward net that looks at
  the last `window` tokens (one-hot, concatenated, left-padded with zeros).
- best_current_char_accuracy / context_count_accuracy: the best accuracy any
  next-character predictor can reach when it sees only the last few characters.
"""
from collections import Counter, defaultdict

import numpy as np

from ..layers.encoding import one_hot
from ..validation import as_count, as_int_array, check_shapes

def window_features(ids, window, vocab_size):
    """The input a feed-forward net gets when it sees the last `window` tokens.

    Inputs:
    - ids: int array (N, T), token ids in [0, V).
    - window: W >= 1, the number of most recent tokens the model sees.
    - vocab_size: V.

    Returns:
    - X: float64 array (N, W * V). Block k = X[:, k*V:(k+1)*V] (k = 0 .. W-1)
      is the one-hot vector of ids[:, T - W + k]: block 0 is the oldest token
      in the window and block W-1 the newest (ids[:, T-1]). When W > T the
      first W - T blocks, which have no token, are all zeros (left padding).
    """
    where = "window_features"
    window = as_count(where, "window", window)
    vocab_size = as_count(where, "vocab_size", vocab_size)
    ids = as_int_array("ids", ids, where, upper=vocab_size)
    check_shapes(where, ("ids", ids, "N,T"))
    N, T = ids.shape
    blocks = np.zeros((N, window, vocab_size))
    seen = min(window, T)
    if seen:
        blocks[:, window - seen:] = one_hot(ids[:, T - seen:], vocab_size)
    return blocks.reshape(N, window * vocab_size)


def _check_text(where, text, name="text"):
    if not isinstance(text, str):
        raise TypeError(f"{where}: {name} must be a str, got {type(text).__name__}.")
    if len(text) < 2:
        raise ValueError(f"{where}: {name} needs at least 2 characters to have one prediction, got {len(text)}.")


def best_current_char_accuracy(text):
    """Best accuracy of any next-character predictor that sees only the current character.

    There are len(text) - 1 predictions: text[i] -> text[i + 1]. The best such
    predictor answers, for every character c, the character that most often
    follows c in the text; this returns the fraction of the predictions it gets right.

    Inputs:
    - text: str with at least 2 characters (case and spaces count as characters).

    Returns:
    - accuracy: float in (0, 1]. For "hello" it is 0.75: after "l" the text
      continues once with "l" and once with "o", so one of the two is missed.
    """
    _check_text("best_current_char_accuracy", text)
    follow = defaultdict(Counter)
    for current, nxt in zip(text, text[1:]):
        follow[current][nxt] += 1
    right = sum(max(c.values()) for c in follow.values())
    return right / (len(text) - 1)


def context_count_accuracy(text, window, test_text=None):
    """Accuracy of predicting the next character from the last `window` characters by counting.

    For every context (the last `window` characters; fewer at the very start)
    the predictor answers the character that most often follows that context in
    `text`. Evaluated on `text` itself this is the best accuracy any model that
    sees only `window` characters can reach there. Evaluated on `test_text`, a
    context never seen in `text` gets the most frequent character of `text`.

    Inputs:
    - text: str, where the counts come from (at least 2 characters).
    - window: int >= 1, how many characters the predictor sees.
    - test_text: str or None (None: evaluate on `text`).

    Returns:
    - accuracy: float, the fraction of the len(test_text) - 1 predictions that are right.
    """
    where = "context_count_accuracy"
    _check_text(where, text)
    window = as_count(where, "window", window)
    test = text if test_text is None else test_text
    _check_text(where, test, "test_text")
    pairs = Counter(zip(_contexts(text, window), text[1:]))
    best, best_count = {}, {}
    for (context, nxt), count in pairs.items():  # ties: the pair seen first wins
        if count > best_count.get(context, 0):
            best[context], best_count[context] = nxt, count
    fallback = Counter(text[1:]).most_common(1)[0][0]
    right = sum(best.get(context, fallback) == nxt for context, nxt in zip(_contexts(test, window), test[1:]))
    return right / (len(test) - 1)


def _contexts(text, window):
    """The context before each prediction: text[max(0, i - window + 1) : i + 1] for i < len(text) - 1."""
    return [text[max(0, i - window + 1):i + 1] for i in range(len(text) - 1)]
