"""A many-to-one sequence classifier: read a sequence, name one class at the end.

    token ids (N, T) --one-hot--> x (N, T, V) --cell--> h (N, T, H)
    scores = h[:, -1] @ Wy + by   (N, C),   loss = mean cross-entropy

The recurrent part is a *cell* object, so the same classifier, loss and
training loop work with any recurrent layer. A cell has three methods:

    params = cell.init_params(input_size, hidden_size, rng, dtype)   dict of arrays
    h, cache = cell.forward(x, params)             x (N, T, D) -> h (N, T, H), initial state zero
    grads = cell.backward(dh, cache)               dh (N, T, H) -> dict with the keys of params

RNNCell (the vanilla tanh RNN of rnnlib.layers.rnn; rnnlib/models/cells.py) is the default; an LSTM cell with
the same three methods plugs in unchanged:

    model = RNNClassifier(vocab_size=V, hidden_size=32, n_classes=C, seed=0)
    history = model.fit(task.ids, task.labels, steps=300, lr=1e-2, clip=5.0)
    model.accuracy(test.ids, test.labels)
"""
import numpy as np

from ..layers.affine import affine_backward, affine_forward
from ..layers.encoding import one_hot
from ..layers.loss import softmax_cross_entropy
from ..layers.softmax import softmax
from ..train.minibatch import fit_minibatches
from ..validation import as_count, as_int_array, as_rng, check_shapes
from .cells import RNNCell


class RNNClassifier:
    """Read a sequence of token ids, predict one class from the last hidden state.

    Inputs:
    - vocab_size: V, token ids are in [0, V) and enter the cell as one-hot vectors.
    - hidden_size: H.
    - n_classes: C.
    - cell: a cell object (see the module docstring); None makes RNNCell().
    - seed: int or np.random.Generator, for the initial weights and the mini-batches.
    - dtype: np.float32 (fast, for training) or np.float64 (for gradient checks).

    Attributes:
    - params: dict with the cell's parameters plus Wy (H, C) and by (C,).
    """

    def __init__(self, vocab_size, hidden_size, n_classes, cell=None, seed=0, dtype=np.float32):
        vocab_size = as_count("RNNClassifier", "vocab_size", vocab_size)
        hidden_size = as_count("RNNClassifier", "hidden_size", hidden_size)
        n_classes = as_count("RNNClassifier", "n_classes", n_classes)
        self.vocab_size, self.hidden_size, self.n_classes = int(vocab_size), int(hidden_size), int(n_classes)
        self.cell = RNNCell() if cell is None else cell
        self.rng = as_rng(seed)
        self.dtype = np.dtype(dtype)
        if not np.issubdtype(self.dtype, np.floating):
            raise ValueError(f"RNNClassifier: dtype must be a float type, got {self.dtype}.")
        self.params = self.cell.init_params(self.vocab_size, self.hidden_size, self.rng, self.dtype)
        for key in ("Wy", "by"):
            if key in self.params:
                raise ValueError(f"RNNClassifier: the cell may not use the parameter name {key!r}.")
        self.params["Wy"] = (self.rng.standard_normal((hidden_size, n_classes)) / np.sqrt(hidden_size)).astype(self.dtype)
        self.params["by"] = np.zeros(n_classes, dtype=self.dtype)

    # -- checks ---------------------------------------------------------
    def _ids(self, ids, where):
        ids = as_int_array("ids", ids, where, upper=self.vocab_size)
        check_shapes(where, ("ids", ids, "N,T"))
        if ids.shape[1] == 0:
            raise ValueError(f"{where}: the sequences are empty (T = 0).")
        return ids

    def _labels(self, labels, n, where):
        labels = as_int_array("labels", labels, where, upper=self.n_classes)
        check_shapes(where, ("labels", labels, f"{n}"))
        return labels

    # -- forward / backward ---------------------------------------------
    def _forward(self, ids):
        x = one_hot(ids, self.vocab_size).astype(self.dtype, copy=False)
        h, cell_cache = self.cell.forward(x, self.params)
        scores, out_cache = affine_forward(h[:, -1], self.params["Wy"], self.params["by"])
        return scores, (h.shape, cell_cache, out_cache)

    def scores(self, ids):
        """Class scores (logits) after reading each sequence. ids (N, T) -> (N, C)."""
        return self._forward(self._ids(ids, "RNNClassifier.scores"))[0]

    def loss(self, ids, labels):
        """Mean cross-entropy of the prediction at the end of each sequence, and its gradients.

        Inputs:
        - ids: (N, T) int token ids.
        - labels: (N,) int classes.

        Returns:
        - loss: float, in nats per sequence.
        - grads: dict with the keys and shapes of params. The only upstream
          gradient on the hidden states is on the last one, h[:, -1].
        """
        ids = self._ids(ids, "RNNClassifier.loss")
        labels = self._labels(labels, ids.shape[0], "RNNClassifier.loss")
        scores, (h_shape, cell_cache, out_cache) = self._forward(ids)
        loss, dscores = softmax_cross_entropy(scores, labels)
        dh_last, dWy, dby = affine_backward(dscores, out_cache)
        dh = np.zeros(h_shape, dtype=dh_last.dtype)
        dh[:, -1] = dh_last
        grads = dict(self.cell.backward(dh, cell_cache))
        grads["Wy"], grads["by"] = dWy, dby
        return float(loss), grads

    # -- training and use -------------------------------------------------
    def fit(self, ids, labels, steps=300, lr=1e-2, batch_size=64, clip=None, optimizer=None, clip_with=None):
        """Train with Adam (or `optimizer`) on random mini-batches.

        Inputs:
        - ids: (N, T) training sequences; labels: (N,) their classes.
        - steps: number of parameter updates.
        - lr: learning rate of the default Adam optimiser.
        - batch_size: sequences per step (None or >= N: the whole set).
        - clip: None, or max_norm for rnnlib.clip_grad_norm applied to all
          gradients together before every update.
        - clip_with: the function that clips, with rnnlib.clip_grad_norm's signature (None: that one).
        - optimizer: an rnnlib.train.optim optimiser; None makes Adam(lr).

        Returns:
        - history: dict with "loss" and "grad_norm" (before clipping), one entry per step.

        Raises FloatingPointError when the loss or the gradients stop being finite.
        """
        ids = self._ids(ids, "RNNClassifier.fit")
        labels = self._labels(labels, ids.shape[0], "RNNClassifier.fit")
        return fit_minibatches(self, self.loss, ids, labels, self.rng, steps=steps, lr=lr, batch_size=batch_size,
                               clip=clip, clip_with=clip_with, optimizer=optimizer, where="RNNClassifier.fit",
                               advice="Clip the gradients (clip=...) or lower the learning rate.")

    def predict_proba(self, ids):
        """Class probabilities. ids (N, T) -> (N, C), rows sum to 1."""
        return softmax(self.scores(ids))

    def predict(self, ids):
        """Most likely class. ids (N, T) -> (N,) int."""
        return np.argmax(self.scores(ids), axis=1)

    def accuracy(self, ids, labels):
        """Fraction of sequences whose predicted class equals the label."""
        ids = self._ids(ids, "RNNClassifier.accuracy")
        labels = self._labels(labels, ids.shape[0], "RNNClassifier.accuracy")
        return float(np.mean(self.predict(ids) == labels))
