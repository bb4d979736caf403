"""One-hot encoding: turning integer token ids into vectors a network can use."""
import numpy as np

from ..validation import as_int_array


def one_hot(indices, vocab_size):
    """Encode integer ids as one-hot vectors.

    Inputs:
    - indices: int array of any shape S (a scalar, (T,), (N, T), ...), values in [0, V).
    - vocab_size: V, the number of distinct tokens.

    Returns:
    - float64 array of shape S + (V,) with a single 1.0 at each index.
    """
    if int(vocab_size) != vocab_size or vocab_size < 1:
        raise ValueError(f"one_hot: vocab_size must be a positive integer, got {vocab_size!r}.")
    vocab_size = int(vocab_size)
    ids = as_int_array("indices", indices, "one_hot", upper=vocab_size)
    out = np.zeros(ids.shape + (vocab_size,))
    np.put_along_axis(out, ids[..., None], 1.0, axis=-1)
    return out
