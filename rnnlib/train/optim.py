"""Optimisers: rules that turn gradients into parameter updates.

Every optimiser is a small object with one method, ``step(params, grads)``.
``params`` and ``grads`` are dicts with the same keys (``"W1"``, ``"b1"``, ...)
whose values are float arrays of matching shapes; ``step`` changes the arrays
in ``params`` *in place*, so a model that holds those arrays sees the update.
Optimisers with memory (momentum, running averages) keep one buffer per key.

    opt = Adam(lr=1e-2)
    for _ in range(steps):
        loss, grads = model.loss(X, y)
        opt.step(model.params, grads)

The four rules, for a parameter w with gradient g (all operations elementwise):

    SGD        w -= lr * g
    Momentum   v = mu * v - lr * g;                  w += v
    RMSProp    s = decay * s + (1 - decay) * g**2;   w -= lr * g / (sqrt(s) + eps)
    Adam       m = b1 * m + (1 - b1) * g;  v = b2 * v + (1 - b2) * g**2
               m_hat = m / (1 - b1**t);    v_hat = v / (1 - b2**t)
               w -= lr * m_hat / (sqrt(v_hat) + eps)        (t = 1, 2, ... counts steps)
"""
import numpy as np

from ..validation import as_positive




def _fraction(where, name, value):
    if not np.isscalar(value) or not (0 <= value < 1):
        raise ValueError(f"{where}: {name} must be in [0, 1), got {value!r}.")
    return float(value)


class Optimizer:
    """Base class: checks the learning rate and the (params, grads) pair."""

    def __init__(self, lr):
        self.lr = as_positive(type(self).__name__, "lr (the learning rate)", lr)
        self.state = {}  # key -> buffers this optimiser keeps for that parameter

    def _check(self, params, grads):
        where = f"{type(self).__name__}.step"
        if not isinstance(params, dict) or not isinstance(grads, dict):
            raise TypeError(f"{where}: params and grads must be dicts of arrays.")
        missing = sorted(set(params) - set(grads))
        extra = sorted(set(grads) - set(params))
        if missing or extra:
            raise KeyError(f"{where}: params and grads have different keys "
                           f"(no gradient for {missing}, gradient without a parameter for {extra}).")
        for key, w in params.items():
            g = grads[key]
            if not isinstance(w, np.ndarray) or not np.issubdtype(w.dtype, np.floating):
                raise TypeError(f"{where}: params[{key!r}] must be a float numpy array (it is updated in place), "
                                f"got {type(w).__name__}{' of dtype ' + str(w.dtype) if hasattr(w, 'dtype') else ''}.")
            if np.shape(g) != w.shape:
                raise ValueError(f"{where}: grads[{key!r}] has shape {np.shape(g)} but params[{key!r}] "
                                 f"has shape {w.shape}.")

    def step(self, params, grads):
        """Update every params[key] in place using grads[key]. Returns None."""
        self._check(params, grads)
        for key in params:
            self._update(key, params[key], np.asarray(grads[key], dtype=params[key].dtype))

    def _update(self, key, w, g):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


class SGD(Optimizer):
    """Plain gradient descent: w -= lr * g.

    Inputs:
    - lr: learning rate (> 0).
    """

    def __init__(self, lr=1e-2):
        super().__init__(lr)

    def _update(self, key, w, g):
        w -= self.lr * g


class Momentum(Optimizer):
    """SGD with momentum: a velocity v that accumulates past gradients.

    v = momentum * v - lr * g;  w += v   (v starts at zero)

    Inputs:
    - lr: learning rate (> 0).
    - momentum: in [0, 1); 0 gives plain SGD.
    """

    def __init__(self, lr=1e-2, momentum=0.9):
        super().__init__(lr)
        self.momentum = _fraction("Momentum", "momentum", momentum)

    def _update(self, key, w, g):
        v = self.state.setdefault(key, {"v": np.zeros_like(w)})["v"]
        v *= self.momentum
        v -= self.lr * g
        w += v


class RMSProp(Optimizer):
    """Divide each step by a running root-mean-square of recent gradients.

    s = decay * s + (1 - decay) * g**2;  w -= lr * g / (sqrt(s) + eps)   (s starts at zero)

    Inputs:
    - lr: learning rate (> 0).
    - decay: in [0, 1), how slowly the running average forgets.
    - eps: small positive number that avoids division by zero.
    """

    def __init__(self, lr=1e-3, decay=0.99, eps=1e-8):
        super().__init__(lr)
        self.decay = _fraction("RMSProp", "decay", decay)
        self.eps = as_positive("RMSProp", "eps", eps)

    def _update(self, key, w, g):
        s = self.state.setdefault(key, {"s": np.zeros_like(w)})["s"]
        s *= self.decay
        s += (1 - self.decay) * g * g
        w -= self.lr * g / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Adam: momentum plus RMSProp, with bias correction for the zero start.

    m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g**2
    w -= lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)

    t counts the calls to step (1 on the first call).

    Inputs:
    - lr: learning rate (> 0).
    - beta1, beta2: in [0, 1), decay rates of the two running averages.
    - eps: small positive number that avoids division by zero.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = _fraction("Adam", "beta1", beta1)
        self.beta2 = _fraction("Adam", "beta2", beta2)
        self.eps = as_positive("Adam", "eps", eps)
        self.t = 0

    def step(self, params, grads):
        self._check(params, grads)
        self.t += 1
        for key in params:
            self._update(key, params[key], np.asarray(grads[key], dtype=params[key].dtype))

    def _update(self, key, w, g):
        buf = self.state.setdefault(key, {"m": np.zeros_like(w), "v": np.zeros_like(w)})
        m, v = buf["m"], buf["v"]
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        m_hat = m / (1 - self.beta1 ** self.t)
        v_hat = v / (1 - self.beta2 ** self.t)
        w -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
