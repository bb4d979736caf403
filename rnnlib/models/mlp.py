"""A small feed-forward classifier: affine - ReLU - affine - softmax.

It is the "ordinary neural network" of notebook 01: it maps one fixed-size
input vector to a probability for each class, and has no memory of anything
it saw before. Training is full-batch (or mini-batch) Adam on the mean
cross-entropy loss, which is fast for the small problems of the course.

    model = MLPClassifier(input_size=D, hidden_size=32, n_classes=C, seed=0)
    history = model.fit(X_train, y_train, steps=200)
    print(model.accuracy(X_test, y_test))
"""
import numpy as np

from ..layers.affine import affine_backward, affine_forward
from ..layers.softmax import softmax as rnnlib_softmax
from ..train.minibatch import fit_minibatches
from ..validation import as_count, as_float_array, as_int_array, as_rng, check_shapes


class MLPClassifier:
    """Two-layer network: scores = relu(X @ W1 + b1) @ W2 + b2.

    Inputs:
    - input_size: D, the size of one input vector.
    - hidden_size: H, the number of hidden ReLU units.
    - n_classes: C, the number of classes (targets are integers in [0, C)).
    - weight_scale: standard deviation of the initial weights; None uses
      sqrt(2 / fan_in) (He initialisation, suited to ReLU).
    - seed: int or np.random.Generator for the initial weights and mini-batches.
    - dtype: float dtype of the parameters (float64 by default).
    - softmax: the function scores (N, C) -> probabilities (None: rnnlib.softmax). Notebook 01 passes the
      student's own, so the model runs in a class whose rnnlib holds back the answers to notebook 01.

    Attributes:
    - params: dict with W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).
    """

    def __init__(self, input_size, hidden_size, n_classes, weight_scale=None, seed=0, dtype=np.float64,
                 softmax=None):
        if softmax is not None and not callable(softmax):
            raise TypeError(f"MLPClassifier: softmax must be a function or None, got {type(softmax).__name__}.")
        self.softmax = rnnlib_softmax if softmax is None else softmax
        input_size = as_count("MLPClassifier", "input_size", input_size)
        hidden_size = as_count("MLPClassifier", "hidden_size", hidden_size)
        n_classes = as_count("MLPClassifier", "n_classes", n_classes)
        self.input_size, self.hidden_size, self.n_classes = int(input_size), int(hidden_size), int(n_classes)
        self.rng = as_rng(seed)
        self.dtype = np.dtype(dtype)
        s1 = np.sqrt(2.0 / input_size) if weight_scale is None else weight_scale
        s2 = np.sqrt(2.0 / hidden_size) if weight_scale is None else weight_scale
        self.params = {
            "W1": (s1 * self.rng.standard_normal((input_size, hidden_size))).astype(self.dtype),
            "b1": np.zeros(hidden_size, dtype=self.dtype),
            "W2": (s2 * self.rng.standard_normal((hidden_size, n_classes))).astype(self.dtype),
            "b2": np.zeros(n_classes, dtype=self.dtype),
        }

    # -- checks ---------------------------------------------------------
    def _inputs(self, X, where):
        X = as_float_array("X", X, where).astype(self.dtype, copy=False)
        check_shapes(where, ("X", X, f"N,{self.input_size}"))
        return X

    def _targets(self, y, n, where):
        y = as_int_array("y", y, where, upper=self.n_classes)
        check_shapes(where, ("y", y, f"{n}"))
        return y

    # -- forward / backward ---------------------------------------------
    def scores(self, X):
        """Class scores (logits) for a batch. X (N, D) -> (N, C)."""
        X = self._inputs(X, "MLPClassifier.scores")
        p = self.params
        hidden, _ = affine_forward(X, p["W1"], p["b1"])
        out, _ = affine_forward(np.maximum(hidden, 0), p["W2"], p["b2"])
        return out

    def loss(self, X, y, reg=0.0):
        """Mean cross-entropy (+ L2 penalty) and its gradients.

        Inputs:
        - X: (N, D) inputs.
        - y: (N,) integer targets in [0, C).
        - reg: L2 strength; adds 0.5 * reg * (|W1|^2 + |W2|^2) to the loss.

        Returns:
        - loss: float, in nats per example.
        - grads: dict with the keys and shapes of params.
        """
        X = self._inputs(X, "MLPClassifier.loss")
        y = self._targets(y, X.shape[0], "MLPClassifier.loss")
        p = self.params
        a1, cache1 = affine_forward(X, p["W1"], p["b1"])
        h = np.maximum(a1, 0)
        scores, cache2 = affine_forward(h, p["W2"], p["b2"])
        # the mean cross-entropy and its gradient (P - Y) / N, as in notebook 01's "hello" model
        P = np.asarray(self.softmax(scores), dtype=scores.dtype)
        rows = np.arange(len(y))
        loss = -np.mean(np.log(np.maximum(P[rows, y], np.finfo(P.dtype).tiny)))
        dscores = P.copy()
        dscores[rows, y] -= 1
        dscores /= len(y)
        loss += 0.5 * reg * (np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2))
        dh, dW2, db2 = affine_backward(dscores, cache2)
        da1 = dh * (a1 > 0)
        _, dW1, db1 = affine_backward(da1, cache1)
        grads = {"W1": dW1 + reg * p["W1"], "b1": db1, "W2": dW2 + reg * p["W2"], "b2": db2}
        return float(loss), grads

    # -- training and use -------------------------------------------------
    def fit(self, X, y, steps=200, lr=1e-2, batch_size=None, reg=0.0, optimizer=None):
        """Train with Adam (or the given optimizer) for a number of steps.

        Inputs:
        - X: (N, D) training inputs; y: (N,) integer targets.
        - steps: number of parameter updates.
        - lr: learning rate for the default Adam optimiser.
        - batch_size: examples per step; None uses the whole training set.
        - reg: L2 strength (see loss).
        - optimizer: an rnnlib.train.optim optimiser; None makes Adam(lr).

        Returns:
        - history: list of the training loss at every step.
        """
        X = self._inputs(X, "MLPClassifier.fit")
        y = self._targets(y, X.shape[0], "MLPClassifier.fit")
        history = fit_minibatches(self, lambda Xb, yb: self.loss(Xb, yb, reg), X, y, self.rng, steps=steps, lr=lr,
                                  batch_size=batch_size, optimizer=optimizer, where="MLPClassifier.fit",
                                  advice="Try a lower learning rate.")
        return history["loss"]

    def predict_proba(self, X):
        """Class probabilities. X (N, D) -> (N, C), rows sum to 1."""
        return self.softmax(self.scores(X))

    def predict(self, X):
        """Most likely class. X (N, D) -> (N,) int."""
        return np.argmax(self.scores(X), axis=1)

    def accuracy(self, X, y):
        """Fraction of examples whose predicted class equals y (a float in [0, 1])."""
        X = self._inputs(X, "MLPClassifier.accuracy")
        y = self._targets(y, X.shape[0], "MLPClassifier.accuracy")
        return float(np.mean(self.predict(X) == y))
