"""How a gradient travels backwards through the states of a tanh RNN.

Used to show vanishing and exploding gradients: the gradient reaching h_t is
the gradient at the last step times a product of per-step Jacobians
diag(1 - h_{k+1}^2) Wh^T, one for every step between t and the end.
"""
import numpy as np

from .validation import check_shapes


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
