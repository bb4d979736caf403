"""The recurrent cells of rnnlib.models.rnn_classifier, and the initial weights each one starts from.

A cell has three methods, so that one classifier, loss and training loop work with any recurrent layer:

    params = cell.init_params(input_size, hidden_size, rng, dtype)   dict of arrays
    h, cache = cell.forward(x, params)             x (N, T, D) -> h (N, T, H), initial state zero
    grads = cell.backward(dh, cache)               dh (N, T, H) -> dict with the keys of params

    RNNCell(init="gaussian", scale=1.0)   the tanh RNN of rnnlib.layers.rnn
    ReLURNNCell(init="identity")          a ReLU RNN (Le et al. 2015's identity initialisation)
    LSTMCell(forget_bias=1.0)             an LSTM (rnnlib.layers.lstm), forget-gate bias set
    GRUCell(update_bias=1.0)              a GRU (rnnlib.layers.gru), update-gate bias set

    recurrent_init(H, rng, init, scale)   a recurrent weight matrix Wh: gaussian, orthogonal or identity
    lstm_init(D, H, rng, forget_bias)     {"Wx", "Wh", "b"} of an LSTM
    parameter_count(D, H, cell)           how many numbers a cell learns
"""
import numpy as np

from ..layers.gru import gru_backward, gru_forward
from ..layers.lstm import lstm_layer_backward, lstm_layer_forward, lstm_step_backward
from ..layers.rnn import rnn_backward, rnn_forward
from ..validation import as_positive, check_shapes
from .init_weights import orthogonal, orthogonal_blocks

INITS = ("gaussian", "orthogonal", "identity")


def lstm_init(input_size, hidden_size, rng, forget_bias=1.0, dtype=np.float64):
    """Initial LSTM weights: {"Wx" (D, 4H), "Wh" (H, 4H), "b" (4H,)}.

    Wx ~ N(0, 1/D); each (H, H) block of Wh is a random orthogonal matrix; b is zero except the
    forget-gate block b[H:2H] = forget_bias. A positive forget bias makes f = sigmoid(forget_bias)
    close to 1 at the start (0.73 for 1, 0.88 for 2), so the cell state, and the gradient along it,
    is carried over many steps before training has learnt when to keep it.
    """
    D, H = int(input_size), int(hidden_size)
    Wx = rng.standard_normal((D, 4 * H)) / np.sqrt(D)
    Wh = orthogonal_blocks(H, 4, rng)
    b = np.zeros(4 * H)
    b[H:2 * H] = forget_bias
    return {"Wx": Wx.astype(dtype), "Wh": Wh.astype(dtype), "b": b.astype(dtype)}


class _LayerCell:
    """A cell that runs a (forward, backward) pair of rnnlib.layers over the whole sequence from a zero state,
    for a layer with parameters Wx, Wh, b: RNNCell (rnn_forward) and GRUCell (gru_forward)."""

    layer = None            # (forward, backward), set by each subclass

    def forward(self, x, params):
        h0 = np.zeros((x.shape[0], params["Wh"].shape[0]), dtype=x.dtype)
        return self.layer[0](x, h0, params["Wx"], params["Wh"], params["b"])

    def backward(self, dh, cache):
        _, _, dWx, dWh, db = self.layer[1](dh, cache)
        return {"Wx": dWx, "Wh": dWh, "b": db}


class LSTMCell:
    """An LSTM as a cell for rnnlib.RNNClassifier (initial h and c zero).

    Inputs:
    - forget_bias: initial value of the forget-gate bias (see lstm_init); 1.0 is the usual choice.
    - lstm_fns: None runs rnnlib's LSTM layer (float32 kernels); or the student's own
      (lstm_forward, lstm_backward, lstm_step_backward) from notebook 05, with the signatures of the
      course's contract (rnnlib.hidden_state_gradients uses the step).

    Parameters: Wx (D, 4H), Wh (H, 4H), b (4H,), gate blocks i, f, o, g.
    """

    def __init__(self, forget_bias=1.0, lstm_fns=None):
        self.forget_bias = float(forget_bias)
        if lstm_fns is not None and not (len(lstm_fns) == 3 and all(callable(f) for f in lstm_fns)):
            raise TypeError("LSTMCell: lstm_fns must be None or (lstm_forward, lstm_backward, lstm_step_backward).")
        self.lstm_fns = lstm_fns
        self.step_backward = lstm_step_backward if lstm_fns is None else lstm_fns[2]

    def init_params(self, input_size, hidden_size, rng, dtype):
        return lstm_init(input_size, hidden_size, rng, self.forget_bias, dtype)

    def forward(self, x, params):
        h0 = np.zeros((x.shape[0], params["Wh"].shape[0]), dtype=x.dtype)
        if self.lstm_fns is not None:
            return self.lstm_fns[0](x, h0, params["Wx"], params["Wh"], params["b"])
        h, _, cache = lstm_layer_forward(x, h0, None, params["Wx"], params["Wh"], params["b"])
        return h, cache

    def backward(self, dh, cache):
        if self.lstm_fns is not None:
            _, _, dWx, dWh, db = self.lstm_fns[1](dh, cache)
        else:
            _, _, _, dWx, dWh, db = lstm_layer_backward(dh, cache)
        return {"Wx": dWx, "Wh": dWh, "b": db}

    def __repr__(self):
        own = "" if self.lstm_fns is None else ", lstm_fns=(your functions)"
        return f"LSTMCell(forget_bias={self.forget_bias!r}{own})"


class GRUCell(_LayerCell):
    """A GRU as a cell for rnnlib.RNNClassifier (initial state zero).

    Inputs:
    - update_bias: initial value of the update-gate bias b[H:2H]. A positive value makes z close to 1,
      so h_next = (1 - z) * n + z * h_prev mostly copies the state: the GRU's version of the LSTM's
      positive forget bias.

    Parameters: Wx (D, 3H), Wh (H, 3H), b (3H,), blocks r, z, n.
    """

    def __init__(self, update_bias=1.0):
        self.update_bias = float(update_bias)

    def init_params(self, input_size, hidden_size, rng, dtype):
        D, H = int(input_size), int(hidden_size)
        Wx = rng.standard_normal((D, 3 * H)) / np.sqrt(D)
        Wh = orthogonal_blocks(H, 3, rng)
        b = np.zeros(3 * H)
        b[H:2 * H] = self.update_bias
        return {"Wx": Wx.astype(dtype), "Wh": Wh.astype(dtype), "b": b.astype(dtype)}

    layer = (gru_forward, gru_backward)

    def __repr__(self):
        return f"GRUCell(update_bias={self.update_bias!r})"


def recurrent_init(hidden_size, rng, init="gaussian", scale=1.0, dtype=np.float64):
    """A (H, H) recurrent weight matrix whose spectral radius is about `scale`.

    Inputs:
    - hidden_size: H.
    - rng: np.random.Generator.
    - init: "gaussian" (entries N(0, scale^2 / H): spectral radius close to
      `scale` for large H, by the circular law), "orthogonal" (scale times a
      random orthogonal matrix: every eigenvalue and singular value has size
      exactly `scale`), or "identity" (scale times the identity).
    - scale: the target spectral radius (> 0).

    Returns:
    - Wh: (H, H) array of the given dtype.
    """
    if init not in INITS:
        raise ValueError(f"recurrent_init: init must be one of {INITS}, got {init!r}.")
    scale = as_positive("recurrent_init", "scale", scale)
    H = int(hidden_size)
    if init == "gaussian":
        W = rng.standard_normal((H, H)) / np.sqrt(H)
    elif init == "orthogonal":
        W = orthogonal(H, rng)
    else:
        W = np.eye(H)
    return (scale * W).astype(dtype)


class RNNCell(_LayerCell):
    """The vanilla tanh RNN as a cell for RNNClassifier (rnnlib.rnn_forward / rnn_backward).

    Inputs:
    - init, scale: how Wh starts (see recurrent_init); Wx ~ N(0, 1 / D), b = 0.

    Parameters: Wx (D, H), Wh (H, H), b (H,).
    """

    def __init__(self, init="gaussian", scale=1.0, input_scale=1.0):
        recurrent_init(2, np.random.default_rng(0), init, scale)  # validate the arguments now
        self.init, self.scale, self.input_scale = init, scale, float(input_scale)

    def init_params(self, input_size, hidden_size, rng, dtype):
        return {
            "Wx": (rng.standard_normal((input_size, hidden_size)) * self.input_scale).astype(dtype),
            "Wh": recurrent_init(hidden_size, rng, self.init, self.scale, dtype),
            "b": np.zeros(hidden_size, dtype=dtype),
        }

    layer = (rnn_forward, rnn_backward)

    def __repr__(self):
        return f"RNNCell(init={self.init!r}, scale={self.scale!r}, input_scale={self.input_scale!r})"


class ReLURNNCell(RNNCell):
    """A vanilla RNN with h_t = relu(x_t Wx + h_{t-1} Wh + b) instead of tanh.

    ReLU does not saturate for positive inputs, so nothing bounds the states:
    with a recurrent matrix of spectral radius above 1 the states and the
    gradients can grow until they overflow. Same parameters as RNNCell;
    init="identity" with scale=1 is the IRNN of Le, Jaitly and Hinton (2015).
    """

    def __init__(self, init="identity", scale=1.0, input_scale=1.0):
        super().__init__(init, scale, input_scale)

    def forward(self, x, params):
        Wx, Wh, b = params["Wx"], params["Wh"], params["b"]
        check_shapes("ReLURNNCell.forward", ("x", x, "N,T,D"), ("Wx", Wx, "D,H"), ("Wh", Wh, "H,H"), ("b", b, "H"))
        N, T, _ = x.shape
        h = np.zeros((N, T, Wh.shape[0]), dtype=np.result_type(x, Wx))
        h_prev = np.zeros((N, Wh.shape[0]), dtype=h.dtype)
        for t in range(T):
            h_prev = np.maximum(x[:, t] @ Wx + h_prev @ Wh + b, 0)
            h[:, t] = h_prev
        return h, (x, Wx, Wh, h)

    def backward(self, dh, cache):
        x, Wx, Wh, h = cache
        N, T, H = h.shape
        dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H, dtype=Wh.dtype)
        dh_next = np.zeros((N, H), dtype=dh.dtype)
        for t in reversed(range(T)):
            da = (dh[:, t] + dh_next) * (h[:, t] > 0)  # relu'(a) = 1 where the unit is on
            h_prev = h[:, t - 1] if t > 0 else np.zeros_like(h[:, 0])
            dWx += x[:, t].T @ da
            dWh += h_prev.T @ da
            db += da.sum(axis=0)
            dh_next = da @ Wh.T
        return {"Wx": dWx, "Wh": dWh, "b": db}

    def __repr__(self):
        return f"ReLURNNCell(init={self.init!r}, scale={self.scale!r})"


def parameter_count(D, H, cell):
    """Number of weights of one recurrent layer: 'rnn', 'gru' or 'lstm' (input D, hidden H)."""
    blocks = {"rnn": 1, "gru": 3, "lstm": 4}
    if cell not in blocks:
        raise ValueError(f"parameter_count: cell must be one of {sorted(blocks)}, got {cell!r}.")
    return blocks[cell] * (D * H + H * H + H)
