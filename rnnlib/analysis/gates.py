"""lstm_gates(cache): the gate activations an LSTM stored in its cache, as (N, T, H) arrays (05's gate heatmaps)."""
import numpy as np


def lstm_gates(cache):
    """The gate activations stored in an LSTM cache, stacked over time.

    Input: cache, the list of T step caches of rnnlib.lstm_forward or lstm_layer_forward.
    Returns: dict with "i", "f", "o", "g", "c" (cell state after the step) and "h" (hidden state after
    the step), each (N, T, H).
    """
    out = {}
    for k, name in zip((5, 6, 7, 8, 9), "i f o g c".split()):
        out[name] = np.stack([step[k] for step in cache], axis=1)
    out["h"] = out["o"] * np.tanh(out["c"])
    return out
