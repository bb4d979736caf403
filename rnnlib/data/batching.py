"""Batches for truncated backpropagation through time.

A long stream of character ids is cut into ``batch_size`` contiguous *lanes*,
one per row of a batch. Batch k holds the k-th window of ``seq_len``
characters of every lane, so row b of batch k+1 continues exactly where row b
of batch k stopped. That is what lets a model carry its hidden state from one
batch to the next: the state at the end of a row is the right starting state
for the same row of the next batch.

    stream:  a b c d e f g h i j k l m n o p q r s ...
    lanes (batch_size=2, seq_len=3, 3 batches; lane length 9):
      lane 0: a b c | d e f | g h i
      lane 1: j k l | m n o | p q r        (s is the last target)
               batch 0  batch 1  batch 2
"""
import numpy as np

from ..validation import as_count




def make_batches(ids, batch_size, seq_len):
    """Cut a stream of ids into batches of inputs and next-character targets.

    Inputs:
    - ids: 1-D integer array (L,), the whole stream.
    - batch_size: B, the number of lanes (rows of every batch).
    - seq_len: T, the number of time steps per batch.

    Returns:
    - a list of K = (L - 1) // (B * T) pairs (x, y), each an int64 array of
      shape (B, T). Lane b is ids[b*K*T : (b+1)*K*T] (contiguous, no overlap);
      batch k holds its k-th window: x[b] = lane[k*T : (k+1)*T], and y[b, t]
      is the character that follows x[b, t] in the stream.
    """
    batch_size = as_count("make_batches", "batch_size", batch_size)
    seq_len = as_count("make_batches", "seq_len", seq_len)
    ids = np.asarray(ids)
    if ids.ndim != 1 or not (np.issubdtype(ids.dtype, np.integer) or ids.size == 0):
        raise ValueError(f"make_batches: ids must be a 1-D integer array, got shape {ids.shape} "
                         f"and dtype {ids.dtype}.")
    count = (len(ids) - 1) // (batch_size * seq_len) if len(ids) else 0
    lane = count * seq_len
    x = ids[:batch_size * lane].astype(np.int64).reshape(batch_size, lane)
    y = ids[1:batch_size * lane + 1].astype(np.int64).reshape(batch_size, lane)
    return [(x[:, k * seq_len:(k + 1) * seq_len].copy(), y[:, k * seq_len:(k + 1) * seq_len].copy())
            for k in range(count)]
