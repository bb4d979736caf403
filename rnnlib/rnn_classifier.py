"""A many-to-one sequence classifier: read a sequence, name one class at the end.

    token ids (N, T) --one-hot--> x (N, T, V) --cell--> h (N, T, H)
    scores = h[:, -1] @ Wy + by   (N, C),   loss = mean cross-entropy

The recurrent part is a *cell* object, so the same classifier, loss and
training loop work with any recurrent layer. A cell has three methods:

    params = cell.init_params(input_dim, hidden_dim, rng, dtype)   dict of arrays
    h, cache = cell.forward(x, params)             x (N, T, D) -> h (N, T, H), initial state zero
    grads = cell.backward(dh, cache)               dh (N, T, H) -> dict with the keys of params

RNNCell (the vanilla tanh RNN of rnnlib.rnn) is the default; an LSTM cell with
the same three methods plugs in unchanged:

    model = RNNClassifier(vocab_size=V, hidden_dim=32, n_classes=C, seed=0)
    history = model.fit(task.ids, task.labels, steps=300, lr=1e-2, clip=5.0)
    model.accuracy(test.ids, test.labels)
"""
import numpy as np

from .affine import affine_backward, affine_forward
from .clipping import clip_grad_norm
from .encoding import one_hot
from .init_weights import orthogonal
from .loss import softmax_cross_entropy
from .optim import Adam
from .rnn import rnn_backward, rnn_forward
from .softmax import softmax
from .validation import as_int_array, as_rng, check_shapes

INITS = ("gaussian", "orthogonal", "identity")


def recurrent_init(hidden_dim, rng, init="gaussian", scale=1.0, dtype=np.float64):
    """A (H, H) recurrent weight matrix whose spectral radius is about `scale`.

    Inputs:
    - hidden_dim: H.
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
    if not np.isscalar(scale) or not scale > 0:
        raise ValueError(f"recurrent_init: scale must be a positive number, got {scale!r}.")
    H = int(hidden_dim)
    if init == "gaussian":
        W = rng.standard_normal((H, H)) / np.sqrt(H)
    elif init == "orthogonal":
        W = orthogonal(H, rng)
    else:
        W = np.eye(H)
    return (scale * W).astype(dtype)


class RNNCell:
    """The vanilla tanh RNN as a cell for RNNClassifier (rnnlib.rnn_forward / rnn_backward).

    Inputs:
    - init, scale: how Wh starts (see recurrent_init); Wx ~ N(0, 1 / D), b = 0.

    Parameters: Wx (D, H), Wh (H, H), b (H,).
    """

    def __init__(self, init="gaussian", scale=1.0, input_scale=1.0):
        recurrent_init(2, np.random.default_rng(0), init, scale)  # validate the arguments now
        self.init, self.scale, self.input_scale = init, scale, float(input_scale)

    def init_params(self, input_dim, hidden_dim, rng, dtype):
        return {
            "Wx": (rng.standard_normal((input_dim, hidden_dim)) * self.input_scale).astype(dtype),
            "Wh": recurrent_init(hidden_dim, rng, self.init, self.scale, dtype),
            "b": np.zeros(hidden_dim, dtype=dtype),
        }

    def forward(self, x, params):
        h0 = np.zeros((x.shape[0], params["Wh"].shape[0]), dtype=x.dtype)
        return rnn_forward(x, h0, params["Wx"], params["Wh"], params["b"])

    def backward(self, dh, cache):
        _, _, dWx, dWh, db = rnn_backward(dh, cache)
        return {"Wx": dWx, "Wh": dWh, "b": db}

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


class RNNClassifier:
    """Read a sequence of token ids, predict one class from the last hidden state.

    Inputs:
    - vocab_size: V, token ids are in [0, V) and enter the cell as one-hot vectors.
    - hidden_dim: H.
    - n_classes: C.
    - cell: a cell object (see the module docstring); None makes RNNCell().
    - seed: int or np.random.Generator, for the initial weights and the mini-batches.
    - dtype: np.float32 (fast, for training) or np.float64 (for gradient checks).

    Attributes:
    - params: dict with the cell's parameters plus Wy (H, C) and by (C,).
    """

    def __init__(self, vocab_size, hidden_dim, n_classes, cell=None, seed=0, dtype=np.float32):
        for name, value in (("vocab_size", vocab_size), ("hidden_dim", hidden_dim), ("n_classes", n_classes)):
            if isinstance(value, bool) or int(value) != value or value < 1:
                raise ValueError(f"RNNClassifier: {name} must be a positive integer, got {value!r}.")
        self.vocab_size, self.hidden_dim, self.n_classes = int(vocab_size), int(hidden_dim), int(n_classes)
        self.cell = RNNCell() if cell is None else cell
        self.rng = as_rng(seed)
        self.dtype = np.dtype(dtype)
        if not np.issubdtype(self.dtype, np.floating):
            raise ValueError(f"RNNClassifier: dtype must be a float type, got {self.dtype}.")
        self.params = self.cell.init_params(self.vocab_size, self.hidden_dim, self.rng, self.dtype)
        for key in ("Wy", "by"):
            if key in self.params:
                raise ValueError(f"RNNClassifier: the cell may not use the parameter name {key!r}.")
        self.params["Wy"] = (self.rng.standard_normal((hidden_dim, n_classes)) / np.sqrt(hidden_dim)).astype(self.dtype)
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
    def fit(self, ids, labels, steps=300, lr=1e-2, batch_size=64, clip=None, optimizer=None):
        """Train with Adam (or `optimizer`) on random mini-batches.

        Inputs:
        - ids: (N, T) training sequences; labels: (N,) their classes.
        - steps: number of parameter updates.
        - lr: learning rate of the default Adam optimiser.
        - batch_size: sequences per step (None or >= N: the whole set).
        - clip: None, or max_norm for rnnlib.clip_grad_norm applied to all
          gradients together before every update.
        - optimizer: an rnnlib.optim optimiser; None makes Adam(lr).

        Returns:
        - history: dict with "loss" and "grad_norm" (before clipping), one entry per step.

        Raises FloatingPointError when the loss or the gradients stop being finite.
        """
        ids = self._ids(ids, "RNNClassifier.fit")
        labels = self._labels(labels, ids.shape[0], "RNNClassifier.fit")
        if isinstance(steps, bool) or int(steps) != steps or steps < 0:
            raise ValueError(f"RNNClassifier.fit: steps must be a non-negative integer, got {steps!r}.")
        if clip is not None and not (np.isscalar(clip) and clip > 0):
            raise ValueError(f"RNNClassifier.fit: clip must be None or a positive number, got {clip!r}.")
        opt = optimizer if optimizer is not None else Adam(lr=lr)
        N = ids.shape[0]
        history = {"loss": [], "grad_norm": []}
        for step in range(int(steps)):
            if batch_size is None or batch_size >= N:
                batch = slice(None)
            else:
                batch = self.rng.integers(0, N, size=batch_size)
            loss, grads = self.loss(ids[batch], labels[batch])
            norm = (clip_grad_norm(grads, clip) if clip is not None
                    else float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))))
            if not (np.isfinite(loss) and np.isfinite(norm)):
                raise FloatingPointError(
                    f"RNNClassifier.fit: at step {step} the loss ({loss}) or the gradient norm ({norm}) "
                    "is no longer finite; clip the gradients (clip=...) or lower the learning rate."
                )
            opt.step(self.params, grads)
            history["loss"].append(loss)
            history["grad_norm"].append(norm)
        return history

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


def accuracy_vs_distance(distances, make_cell=None, task=None, seeds=(0,), hidden_dim=32, steps=150,
                         n_train=2000, n_test=500, lr=1e-2, batch_size=64, clip=5.0, dtype=np.float32,
                         progress=True, desc="training runs"):
    """Train one classifier per (distance, seed) and measure its test accuracy.

    The experiment of notebooks 04 and 05: how far back can a model carry a clue?

    Inputs:
    - distances: list of dependency distances d (ints >= 0).
    - make_cell: function of no arguments returning a fresh cell; None makes RNNCell().
    - task: generator task(n, distance, rng=...) -> LongRangeTask; None uses
      rnnlib.long_range.first_symbol_task.
    - seeds: one training run per seed (the seed fixes the data, the initial weights and the batches).
    - hidden_dim, steps, lr, batch_size, clip, dtype: as in RNNClassifier and RNNClassifier.fit.
    - n_train, n_test: number of training and (fresh) test sequences per run.
    - progress: True shows a tqdm progress bar with one tick per training run (and the distance and
      accuracy of the last run); False or None shows nothing; a function is called instead as
      progress(distance, seed, accuracy) after each run.
    - desc: the label of the progress bar, e.g. "LSTM".

    Returns:
    - acc: float array (len(distances), len(seeds)) of test accuracies.
    """
    from .long_range import first_symbol_task

    task = first_symbol_task if task is None else task
    make_cell = RNNCell if make_cell is None else make_cell
    acc = np.zeros((len(distances), len(seeds)))
    bar = None
    if progress and not callable(progress):
        from tqdm.auto import tqdm

        bar = tqdm(total=len(distances) * len(seeds), desc=desc, unit="run")
    try:
        for i, d in enumerate(distances):
            for j, seed in enumerate(seeds):
                rng = np.random.default_rng([int(seed), int(d)])
                train, test = task(n_train, d, rng=rng), task(n_test, d, rng=rng)
                model = RNNClassifier(train.vocab_size, hidden_dim, train.n_classes, cell=make_cell(), seed=rng,
                                      dtype=dtype)
                model.fit(train.ids, train.labels, steps=steps, lr=lr, batch_size=batch_size, clip=clip)
                acc[i, j] = model.accuracy(test.ids, test.labels)
                if bar is not None:
                    bar.set_postfix_str(f"distance {d}, seed {seed}: accuracy {acc[i, j]:.2f}")
                    bar.update(1)
                elif callable(progress):
                    progress(d, seed, acc[i, j])
    finally:
        if bar is not None:
            bar.close()
    return acc
