"""What a decoder reads: the true previous characters when it trains, its own guesses when it translates.

    decoder_inputs(targets, start_id)                   teacher forcing: the targets shifted right behind a start id
    greedy_decode(step, state, first_ids, length)       each step reads the most likely previous output
"""
import numpy as np


def greedy_decode(step, state, first_ids, length):
    """Greedy decoding: feed the decoder its own most likely previous output.

    Inputs:
    - step: function step(prev_ids, state) -> (scores, new_state), with prev_ids
      int (N,) and scores (N, V); the state is whatever the decoder needs
      (opaque here: only passed along).
    - state: the decoder's initial state.
    - first_ids: int (N,), what the decoder reads at the first step (the start symbol).
    - length: number of output steps T.

    Returns:
    - ids: int64 (N, T); ids[:, t] is the argmax over V of the scores of step t,
      and it is what the decoder reads at step t + 1.
    """
    prev = np.asarray(first_ids, dtype=np.int64)
    ids = np.zeros((prev.shape[0], length), dtype=np.int64)
    for t in range(length):
        scores, state = step(prev, state)
        prev = np.argmax(scores, axis=-1)
        ids[:, t] = prev
    return ids


def decoder_inputs(targets, start_id):
    """Teacher forcing: the decoder reads start_id, then the target shifted right by one.

    Input: targets int (N, T). Returns int (N, T): [start_id, y_0, ..., y_{T-2}].
    """
    targets = np.asarray(targets)
    return np.concatenate([np.full((targets.shape[0], 1), start_id, dtype=targets.dtype), targets[:, :-1]], axis=1)
