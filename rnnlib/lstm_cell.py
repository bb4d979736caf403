"""Gated recurrent layers for models: LSTM and GRU over whole sequences, and cells for RNNClassifier.

The contract functions of notebook 05 (rnnlib.lstm) start every sequence from a
zero cell state and return only the hidden states. Models need a little more:

    h, c, cache = lstm_layer_forward(x, h0, c0, Wx, Wh, b)        any initial (h0, c0); h and c (N, T, H)
    dx, dh0, dc0, dWx, dWh, db = lstm_layer_backward(dh, cache, dc=None)

A character model that carries its state from one batch to the next (notebook 06)
feeds (h[:, -1], c[:, -1]) back in as (h0, c0); an encoder-decoder (notebook 07)
hands the encoder's last (h, c) to the decoder, and the decoder's dh0, dc0 flow back
into the encoder through `dh` and `dc` on its last step.

    h, cache = gru_forward(x, h0, Wx, Wh, b)       a GRU over a sequence (rnnlib.gru steps)
    dx, dh0, dWx, dWh, db = gru_backward(dh, cache)

    lstm_init(D, H, rng, forget_bias=1.0)           {"Wx", "Wh", "b"} with the forget-gate bias set
    LSTMCell(forget_bias=1.0), GRUCell()            cells for rnnlib.RNNClassifier
    lstm_gates(cache)                               {"i", "f", "o", "g", "c", "h"}: (N, T, H) each, from a cache
    hidden_state_gradients(model, ids, labels)      (N, T, H): dL/dh_t of a trained classifier, every step
"""
import numpy as np

from .gru import gru_step_backward, gru_step_forward
from .init_weights import orthogonal_blocks
from .loss import softmax_cross_entropy
from .lstm import lstm_step_backward
from .rnn import rnn_step_backward
from .validation import check_shapes


# ---------------------------------------------------------------------------------------------------- LSTM
def lstm_layer_forward(x, h0, c0, Wx, Wh, b):
    """An LSTM over a sequence from any initial hidden and cell state.

    The same numbers as rnnlib.lstm_forward (when c0 is zero), computed faster: the input
    projection x @ Wx + b of all T steps is one matrix product, and only h_prev @ Wh stays in the loop.

    Inputs:
    - x: (N, T, D) inputs; h0: (N, H) initial hidden state; c0: (N, H) initial cell state (None: zeros).
    - Wx: (D, 4H), Wh: (H, 4H), b: (4H,), gate blocks in the order i, f, o, g.

    Returns:
    - h: (N, T, H) hidden states, h[:, t] after step t.
    - c: (N, T, H) cell states, c[:, t] after step t.
    - cache: list of T step caches (x_t, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next), the layout of
      rnnlib.lstm_step_forward, so rnnlib.lstm_backward accepts it too.
    """
    if c0 is None:
        c0 = np.zeros_like(h0)
    dims = check_shapes("lstm_layer_forward", ("x", x, "N,T,D"), ("h0", h0, "N,H"), ("c0", c0, "N,H"),
                        ("Wx", Wx, "D,4H"), ("Wh", Wh, "H,4H"), ("b", b, "4H"))
    N, T, H = dims["N"], dims["T"], dims["H"]
    dtype = np.result_type(x, h0, c0, Wx, Wh, b)
    h, c = np.empty((N, T, H), dtype=dtype), np.empty((N, T, H), dtype=dtype)
    ax = x @ Wx + b                                   # (N, T, 4H): the input part of every step at once
    h_t, c_t, cache = h0, c0, []
    for t in range(T):
        a = ax[:, t] + h_t @ Wh
        ifo = 0.5 * (1.0 + np.tanh(0.5 * a[:, :3 * H]))   # sigmoid, written so that it cannot overflow
        i, f, o = ifo[:, :H], ifo[:, H:2 * H], ifo[:, 2 * H:]
        g = np.tanh(a[:, 3 * H:])
        c_next = f * c_t + i * g
        h_next = o * np.tanh(c_next)
        cache.append((x[:, t], h_t, c_t, Wx, Wh, i, f, o, g, c_next))
        h[:, t], c[:, t] = h_next, c_next
        h_t, c_t = h_next, c_next
    return h, c, cache


def lstm_layer_backward(dh, cache, dc=None):
    """Backpropagation through time for lstm_layer_forward (or rnnlib.lstm_forward).

    Inputs:
    - dh: (N, T, H) upstream gradient on every hidden state h[:, t].
    - cache: the list of T step caches of lstm_layer_forward or rnnlib.lstm_forward.
    - dc: optional (N, T, H) upstream gradient on every cell state c[:, t] (usually zero except on the
      last step, when the final cell state is handed on to another layer).

    Returns:
    - dx (N, T, D), dh0 (N, H), dc0 (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    if len(cache) != np.shape(dh)[1]:
        raise ValueError(f"lstm_layer_backward: dh covers {np.shape(dh)[1]} time steps "
                         f"but the cache holds {len(cache)}.")
    x0, _, _, Wx, Wh = cache[0][:5]
    dims = check_shapes("lstm_layer_backward", ("dh", dh, "N,T,H"), ("x", x0, "N,D"), ("Wx", Wx, "D,4H"))
    if dc is not None:
        check_shapes("lstm_layer_backward", ("dh", dh, "N,T,H"), ("dc", dc, "N,T,H"))
    N, T, D = dims["N"], dims["T"], dims["D"]
    H = dims["H"]
    dtype = np.result_type(dh, Wx)
    dx = np.empty((N, T, D), dtype=dtype)
    dWx, dWh, db = np.zeros(Wx.shape, dtype), np.zeros(Wh.shape, dtype), np.zeros(4 * H, dtype)
    dh_prev, dc_prev = np.zeros((N, H), dtype=dtype), np.zeros((N, H), dtype=dtype)
    for t in reversed(range(T)):
        x_t, h_prev, c_prev, _, _, i, f, o, g, c_next = cache[t]
        dh_t = dh[:, t] + dh_prev
        tanh_c = np.tanh(c_next)
        dc_t = dc_prev + dh_t * o * (1.0 - tanh_c**2)
        if dc is not None:
            dc_t = dc_t + dc[:, t]
        da = np.concatenate([dc_t * g * i * (1.0 - i), dc_t * c_prev * f * (1.0 - f),
                             dh_t * tanh_c * o * (1.0 - o), dc_t * i * (1.0 - g**2)], axis=1)
        dx[:, t] = da @ Wx.T
        dWx += x_t.T @ da
        dWh += h_prev.T @ da
        db += da.sum(axis=0)
        dh_prev = da @ Wh.T
        dc_prev = dc_t * f
    return dx, dh_prev, dc_prev, dWx, dWh, db


def lstm_init(input_dim, hidden_dim, rng, forget_bias=1.0, dtype=np.float64):
    """Initial LSTM weights: {"Wx" (D, 4H), "Wh" (H, 4H), "b" (4H,)}.

    Wx ~ N(0, 1/D); each (H, H) block of Wh is a random orthogonal matrix; b is zero except the
    forget-gate block b[H:2H] = forget_bias. A positive forget bias makes f = sigmoid(forget_bias)
    close to 1 at the start (0.73 for 1, 0.88 for 2), so the cell state, and the gradient along it,
    is carried over many steps before training has learnt when to keep it.
    """
    D, H = int(input_dim), int(hidden_dim)
    Wx = rng.standard_normal((D, 4 * H)) / np.sqrt(D)
    Wh = orthogonal_blocks(H, 4, rng)
    b = np.zeros(4 * H)
    b[H:2 * H] = forget_bias
    return {"Wx": Wx.astype(dtype), "Wh": Wh.astype(dtype), "b": b.astype(dtype)}


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


class LSTMCell:
    """An LSTM as a cell for rnnlib.RNNClassifier (initial h and c zero).

    Inputs:
    - forget_bias: initial value of the forget-gate bias (see lstm_init); 1.0 is the usual choice.

    Parameters: Wx (D, 4H), Wh (H, 4H), b (4H,), gate blocks i, f, o, g.
    """

    def __init__(self, forget_bias=1.0):
        self.forget_bias = float(forget_bias)

    def init_params(self, input_dim, hidden_dim, rng, dtype):
        return lstm_init(input_dim, hidden_dim, rng, self.forget_bias, dtype)

    def forward(self, x, params):
        h0 = np.zeros((x.shape[0], params["Wh"].shape[0]), dtype=x.dtype)
        h, _, cache = lstm_layer_forward(x, h0, None, params["Wx"], params["Wh"], params["b"])
        return h, cache

    def backward(self, dh, cache):
        _, _, _, dWx, dWh, db = lstm_layer_backward(dh, cache)
        return {"Wx": dWx, "Wh": dWh, "b": db}

    def __repr__(self):
        return f"LSTMCell(forget_bias={self.forget_bias!r})"


# ----------------------------------------------------------------------------------------------------- GRU
def gru_forward(x, h0, Wx, Wh, b):
    """A GRU over a sequence (rnnlib.gru.gru_step_forward at every step).

    Inputs: x (N, T, D), h0 (N, H), Wx (D, 3H), Wh (H, 3H), b (3H,), blocks r, z, n.
    Returns: h (N, T, H) and the list of T step caches.
    """
    dims = check_shapes("gru_forward", ("x", x, "N,T,D"), ("h0", h0, "N,H"),
                        ("Wx", Wx, "D,3H"), ("Wh", Wh, "H,3H"), ("b", b, "3H"))
    N, T, H = dims["N"], dims["T"], dims["H"]
    h = np.empty((N, T, H), dtype=np.result_type(x, h0, Wx, Wh, b))
    h_t, cache = h0, []
    for t in range(T):
        h_t, step = gru_step_forward(x[:, t], h_t, Wx, Wh, b)
        h[:, t] = h_t
        cache.append(step)
    return h, cache


def gru_backward(dh, cache):
    """Backpropagation through time for gru_forward.

    Inputs: dh (N, T, H) upstream gradient on every h[:, t]; the cache list.
    Returns: dx (N, T, D), dh0 (N, H), dWx (D, 3H), dWh (H, 3H), db (3H,).
    """
    if len(cache) != np.shape(dh)[1]:
        raise ValueError(f"gru_backward: dh covers {np.shape(dh)[1]} time steps but the cache holds {len(cache)}.")
    x0, _, Wx, Wh = cache[0][:4]
    dims = check_shapes("gru_backward", ("dh", dh, "N,T,H"), ("x", x0, "N,D"), ("Wx", Wx, "D,3H"))
    N, T, D = dims["N"], dims["T"], dims["D"]
    dx = np.empty((N, T, D), dtype=dh.dtype)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wx.shape[1], dtype=Wx.dtype)
    dh_prev = np.zeros_like(dh[:, 0])
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = gru_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db


class GRUCell:
    """A GRU as a cell for rnnlib.RNNClassifier (initial state zero).

    Inputs:
    - update_bias: initial value of the update-gate bias b[H:2H]. A positive value makes z close to 1,
      so h_next = (1 - z) * n + z * h_prev mostly copies the state: the GRU's version of the LSTM's
      positive forget bias.

    Parameters: Wx (D, 3H), Wh (H, 3H), b (3H,), blocks r, z, n.
    """

    def __init__(self, update_bias=1.0):
        self.update_bias = float(update_bias)

    def init_params(self, input_dim, hidden_dim, rng, dtype):
        D, H = int(input_dim), int(hidden_dim)
        Wx = rng.standard_normal((D, 3 * H)) / np.sqrt(D)
        Wh = orthogonal_blocks(H, 3, rng)
        b = np.zeros(3 * H)
        b[H:2 * H] = self.update_bias
        return {"Wx": Wx.astype(dtype), "Wh": Wh.astype(dtype), "b": b.astype(dtype)}

    def forward(self, x, params):
        h0 = np.zeros((x.shape[0], params["Wh"].shape[0]), dtype=x.dtype)
        return gru_forward(x, h0, params["Wx"], params["Wh"], params["b"])

    def backward(self, dh, cache):
        _, _, dWx, dWh, db = gru_backward(dh, cache)
        return {"Wx": dWx, "Wh": dWh, "b": db}

    def __repr__(self):
        return f"GRUCell(update_bias={self.update_bias!r})"


# ------------------------------------------------------------------------------------ gradients in time
def hidden_state_gradients(model, ids, labels):
    """The gradient of a classifier's loss with respect to every hidden state, dL/dh_t.

    The loss of rnnlib.RNNClassifier depends on the last hidden state only; this follows its gradient
    back through every step of the model's cell (RNNCell, LSTMCell or GRUCell), adding nothing on the way.
    For an LSTM it is the total gradient on h_t, which includes what reached it through the cell states.

    Inputs:
    - model: an rnnlib.RNNClassifier whose cell is an RNNCell, LSTMCell or GRUCell.
    - ids: (N, T) token ids; labels: (N,) classes.

    Returns:
    - dh: (N, T, H) float64, dh[:, t] = dL/dh_t for the mean loss over the N sequences.
    """
    from .rnn_classifier import RNNCell, ReLURNNCell

    ids, labels = np.asarray(ids), np.asarray(labels)
    scores, (h_shape, cache, _) = model._forward(model._ids(ids, "hidden_state_gradients"))
    _, dscores = softmax_cross_entropy(scores, labels)
    dh_last = dscores @ model.params["Wy"].T
    N, T, H = h_shape
    out = np.zeros((N, T, H))
    g, gc = dh_last.astype(np.float64), np.zeros((N, H))
    cell = model.cell
    for t in reversed(range(T)):
        out[:, t] = g
        if t == 0:
            break
        if isinstance(cell, LSTMCell):
            _, g, gc, *_ = lstm_step_backward(g, gc, cache[t])
        elif isinstance(cell, GRUCell):
            _, g, *_ = gru_step_backward(g, cache[t])
        elif isinstance(cell, RNNCell) and not isinstance(cell, ReLURNNCell):
            _, g, *_ = rnn_step_backward(g, cache[t])
        else:
            raise TypeError(f"hidden_state_gradients: no backward step for a {type(cell).__name__}.")
    return out
