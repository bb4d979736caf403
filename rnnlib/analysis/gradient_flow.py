"""How a gradient travels backwards through the states of a recurrent network.

Used to show vanishing and exploding gradients: the gradient reaching h_t is
the gradient at the last step times a product of per-step Jacobians
diag(1 - h_{k+1}^2) Wh^T, one for every step between t and the end.

    state_gradients(dh_last, h, Wh)              (N, T, H) for a tanh RNN (notebook 04's exercise)
    hidden_state_gradients(model, ids, labels)   (N, T, H) dL/dh_t of a trained RNNClassifier, any of its cells
"""
import numpy as np

from ..layers.gru import gru_step_backward
from ..layers.loss import softmax_cross_entropy
from ..layers.rnn import rnn_step_backward
from ..models.cells import GRUCell, LSTMCell, ReLURNNCell, RNNCell
from ..validation import check_shapes


def state_gradients(dh_last, h, Wh):
    """Gradient of a loss on the last state with respect to every state.

    Inputs:
    - dh_last: (N, H) gradient of the loss with respect to h[:, -1].
    - h: (N, T, H) hidden states of a tanh RNN, h[:, t] = tanh(x_t Wx + h[:, t-1] Wh + b).
    - Wh: (H, H) hidden-to-hidden weights.

    Returns:
    - dh: (N, T, H) with dh[:, -1] = dh_last and, going backwards,
      dh[:, t] = (dh[:, t+1] * (1 - h[:, t+1]**2)) @ Wh.T.
    """
    dims = check_shapes("state_gradients", ("dh_last", dh_last, "N,H"), ("h", h, "N,T,H"), ("Wh", Wh, "H,H"))
    dh = np.empty_like(h, dtype=np.result_type(dh_last, h, Wh))
    dh[:, -1] = dh_last
    for t in range(dims["T"] - 2, -1, -1):
        dh[:, t] = (dh[:, t + 1] * (1.0 - h[:, t + 1] ** 2)) @ Wh.T
    return dh


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
            _, g, gc, *_ = cell.step_backward(g, gc, cache[t])
        elif isinstance(cell, GRUCell):
            _, g, *_ = gru_step_backward(g, cache[t])
        elif isinstance(cell, RNNCell) and not isinstance(cell, ReLURNNCell):
            _, g, *_ = rnn_step_backward(g, cache[t])
        else:
            raise TypeError(f"hidden_state_gradients: no backward step for a {type(cell).__name__}.")
    return out
