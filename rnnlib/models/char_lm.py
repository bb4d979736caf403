"""A character-level language model that trains fast on a CPU, in numpy.

The model reads a batch of character ids x (N, T) and predicts the next
character at every position:

    one-hot(x) -> recurrent layer 1 -> [recurrent layer 2] -> affine -> softmax

with LSTM cells (gate blocks i, f, o, g, as rnnlib.layers.lstm) or tanh RNN cells,
one or two stacked layers. The hidden (and cell) state at the end of a batch
is returned, so the next batch can start from it: truncated backpropagation
through time with the state carried from batch to batch.

It computes exactly what rnnlib.lstm_forward / lstm_backward compute (the
tests check that in float64), but organised for speed. Where the time goes,
and what this model and its kernels (rnnlib/kernels/lstm.py, rnn.py) do about it:

1. **Fused gates.** The four gate pre-activations come from one matrix
   product per step, h_{t-1} @ Wh with Wh (H, 4H), instead of four (H, H)
   products: one large product keeps the BLAS busy, four small ones do not.
2. **Input projections for all steps at once.** x_t @ Wx + b does not depend
   on the recurrence, so it is computed for every time step before the loop,
   as one (T*N, D) @ (D, 4H) product (for one-hot characters it is a row
   lookup, Wx[ids]). Likewise after the loop: the weight gradients
   dWx = sum_t x_t^T da_t and dWh = sum_t h_{t-1}^T da_t are each one large
   product over all T*N rows, not T small ones. Only h_{t-1} @ Wh and
   da_t @ Wh^T stay inside the time loop.
3. **Preallocated buffers.** Gates, states, gradients and scratch space are
   allocated once per batch shape and reused on every call; every operation
   writes into them (``out=``, ``+=``), so no step allocates memory.
4. **Cheap nonlinearities.** numpy's float32 exp is faster than its tanh,
   so sigmoid(a) = 1 / (1 + exp(-a)) and tanh(a) = 2 sigmoid(2a) - 1 are
   computed for all 4H gate columns with a single exp.
5. **float32** for training (half the memory traffic of float64, twice the
   numbers per SIMD instruction), float64 for gradient checks: ``dtype=``.

Everything is stored time-major, (T, N, ...), so that the slice for one step
is a contiguous block.

Note: arrays returned by ``loss_and_grads`` (the grads dict) and the layer
functions live in these reused buffers: they are overwritten by the next call.
"""
import json
import pathlib

import numpy as np

from ..kernels.lstm import lstm_recurrence_backward, lstm_recurrence_forward
from ..kernels.rnn import rnn_recurrence_backward, rnn_recurrence_forward
from ..kernels.workspace import Workspace
from ..validation import as_count
from .init_weights import orthogonal_blocks

CELLS = ("lstm", "rnn")


# ----------------------------------------------------------------------------------------- the model
class CharLM:
    """A character language model with LSTM or RNN cells, 1 or 2 layers.

        model = CharLM(vocab_size=len(vocab), hidden_size=256, num_layers=1, cell="lstm")
        state = model.init_state(batch_size)
        loss, grads, state = model.loss_and_grads(x, y, state)   # x, y (N, T) ints; loss in nats/char
        optimizer.step(model.params, grads)

    Inputs:
    - vocab_size: V, the number of characters.
    - hidden_size: H.
    - num_layers: 1 or 2.
    - cell: "lstm" or "rnn".
    - dtype: np.float32 (training) or np.float64 (gradient checks).
    - seed: for the random initial weights.
    - chars: optional list of the V characters, saved with the model.

    Parameters (dict ``params``), layer l = 1, 2: ``Wx{l}`` (D, G H), ``Wh{l}`` (H, G H),
    ``b{l}`` (G H,), with G = 4 for an LSTM (blocks i, f, o, g) and 1 for an RNN,
    D = V for layer 1 and H for layer 2; output ``Wy`` (H, V), ``by`` (V,).
    """

    def __init__(self, vocab_size, hidden_size=256, num_layers=1, cell="lstm", dtype=np.float32, seed=0,
                 chars=None):
        if cell not in CELLS:
            raise ValueError(f"CharLM: cell must be one of {CELLS}, got {cell!r}.")
        if num_layers not in (1, 2):
            raise ValueError(f"CharLM: num_layers must be 1 or 2, got {num_layers!r}.")
        vocab_size = as_count("CharLM", "vocab_size", vocab_size)
        hidden_size = as_count("CharLM", "hidden_size", hidden_size)
        self.V, self.H, self.num_layers, self.cell = int(vocab_size), int(hidden_size), num_layers, cell
        self.dtype = np.dtype(dtype)
        if chars is not None and len(chars) != self.V:
            raise ValueError(f"CharLM: {len(chars)} chars given for vocab_size {self.V}.")
        self.chars = None if chars is None else list(chars)
        self.seed = seed
        G = 4 if cell == "lstm" else 1
        rng = np.random.default_rng(seed)
        params = {}
        for layer in range(1, num_layers + 1):
            D = self.V if layer == 1 else self.H
            # one-hot input (layer 1): each row of Wx1 is a character's input vector, std 0.1;
            # layer 2 reads H tanh-sized numbers: std 1/sqrt(H) keeps its pre-activations of order 1.
            std = 0.1 if layer == 1 else 1.0 / np.sqrt(D)
            params[f"Wx{layer}"] = std * rng.standard_normal((D, G * self.H))
            params[f"Wh{layer}"] = orthogonal_blocks(self.H, G, rng)
            b = np.zeros(G * self.H)
            if cell == "lstm":
                b[self.H:2 * self.H] = 1.0   # forget gates start open: remember by default
            params[f"b{layer}"] = b
        params["Wy"] = rng.standard_normal((self.H, self.V)) / np.sqrt(self.H)
        params["by"] = np.zeros(self.V)
        self.params = {k: v.astype(self.dtype) for k, v in params.items()}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._ws = {}   # (T, N, training?) -> [Workspace per layer + one for the head]

    # ------------------------------------------------------------------ helpers
    def __repr__(self):
        return (f"CharLM({self.cell.upper()}, V={self.V}, H={self.H}, layers={self.num_layers}, "
                f"{self.num_params():,} parameters, {self.dtype})")

    def num_params(self):
        return int(sum(p.size for p in self.params.values()))

    def init_state(self, batch_size):
        """Zero state for `batch_size` lanes: a list with one (h, c) pair per layer (c is None for an RNN)."""
        z = lambda: np.zeros((batch_size, self.H), dtype=self.dtype)  # noqa: E731
        return [(z(), z() if self.cell == "lstm" else None) for _ in range(self.num_layers)]

    def _workspaces(self, T, N):
        key = (T, N)
        if key not in self._ws:
            if len(self._ws) > 8:          # many shapes (e.g. sampling with varying lengths): start over
                self._ws.clear()
            self._ws[key] = [Workspace() for _ in range(self.num_layers + 1)]
        return self._ws[key]

    def _check_ids(self, where, x):
        x = np.asarray(x)
        if x.ndim != 2 or not np.issubdtype(x.dtype, np.integer):
            raise ValueError(f"CharLM.{where}: expected an integer array (N, T), got shape {x.shape}, "
                             f"dtype {x.dtype}.")
        if x.size and (x.min() < 0 or x.max() >= self.V):
            raise ValueError(f"CharLM.{where}: ids must be in [0, {self.V}), got values in "
                             f"[{x.min()}, {x.max()}].")
        return x

    # ------------------------------------------------------------------ forward
    def _forward(self, x, state):
        """Run every layer over x (N, T). Returns the top hidden states (T*N, H) and the new state."""
        N, T = x.shape
        ids = np.ascontiguousarray(x.T).ravel()                    # time-major: row t*N + n
        state = self.init_state(N) if state is None else state
        wss = self._workspaces(T, N)
        layer_in, new_state, self._tape = None, [], []
        for layer in range(1, self.num_layers + 1):
            Wx, Wh, b = self.params[f"Wx{layer}"], self.params[f"Wh{layer}"], self.params[f"b{layer}"]
            ws = wss[layer - 1]
            gates = ws.get("gates", (T, N, Wx.shape[1]), self.dtype)
            flat = gates.reshape(T * N, -1)
            if layer == 1:
                np.take(Wx, ids, axis=0, out=flat)                 # one-hot input: x_t @ Wx is a row of Wx
            else:
                np.matmul(layer_in, Wx, out=flat)                  # all T steps in one product
            flat += b
            h0, c0 = state[layer - 1]
            if self.cell == "lstm":
                hs, cs = lstm_recurrence_forward(gates, h0, c0, Wh, ws)
                new_state.append((hs[T].copy(), cs[T].copy()))
            else:
                hs, cs = rnn_recurrence_forward(gates, h0, Wh, ws), None
                new_state.append((hs[T].copy(), None))
            self._tape.append((gates, hs, cs))
            layer_in = hs[1:].reshape(T * N, self.H)
        self._ids = ids
        return layer_in, new_state

    def _scores(self, top, T, N):
        ws = self._workspaces(T, N)[-1]
        scores = ws.get("scores", (T * N, self.V), self.dtype)
        np.matmul(top, self.params["Wy"], out=scores)
        scores += self.params["by"]
        return scores

    def logits(self, x, state=None):
        """Forward only. x (N, T) ids -> (logits (N, T, V) float64, new state)."""
        x = self._check_ids("logits", x)
        N, T = x.shape
        top, state = self._forward(x, state)
        scores = self._scores(top, T, N)
        return scores.reshape(T, N, self.V).transpose(1, 0, 2).astype(np.float64), state

    def step(self, ids, state):
        """Feed one lane: ids (T,) -> (logits (T, V) float64, new state). Used for sampling."""
        logits, state = self.logits(np.asarray(ids).reshape(1, -1), state)
        return logits[0], state

    def _softmax_loss(self, scores, y_tm, want_grad):
        """Mean cross-entropy (nats) of scores (M, V) against targets y_tm (M,); scores become dscores."""
        M = scores.shape[0]
        rows = np.arange(M)
        scores -= scores.max(axis=1, keepdims=True)
        picked = scores[rows, y_tm].astype(np.float64)
        np.exp(scores, out=scores)
        sums = scores.sum(axis=1, keepdims=True)
        loss = float(np.log(sums.astype(np.float64)).sum() - picked.sum()) / M
        if want_grad:
            scores /= sums                                         # probabilities
            scores[rows, y_tm] -= 1.0
            scores *= 1.0 / M                                      # dscores
        return loss

    def loss(self, x, y, state=None):
        """Forward only: (mean cross-entropy in nats per character, new state)."""
        x = self._check_ids("loss", x)
        y = self._check_ids("loss", y)
        N, T = x.shape
        top, state = self._forward(x, state)
        scores = self._scores(top, T, N)
        return self._softmax_loss(scores, np.ascontiguousarray(y.T).ravel(), False), state

    # ------------------------------------------------------------------ backward
    def loss_and_grads(self, x, y, state=None):
        """Forward and backward over one batch.

        Inputs: x, y (N, T) integer ids (y the next character of x); state from
        init_state or from the previous batch (None: zeros).
        Returns: loss (float, nats per character), grads (dict like params, reused
        buffers), new state (the state after the last step; no gradient flows
        back into the previous batch: that is the "truncated" in truncated BPTT).
        """
        x = self._check_ids("loss_and_grads", x)
        y = self._check_ids("loss_and_grads", y)
        if x.shape != y.shape:
            raise ValueError(f"CharLM.loss_and_grads: x has shape {x.shape} but y has shape {y.shape}.")
        N, T = x.shape
        top, new_state = self._forward(x, state)
        dscores = self._scores(top, T, N)
        loss = self._softmax_loss(dscores, np.ascontiguousarray(y.T).ravel(), True)
        g, p = self.grads, self.params
        np.matmul(top.T, dscores, out=g["Wy"])
        np.sum(dscores, axis=0, out=g["by"])
        wss = self._workspaces(T, N)
        dtop = wss[-1].get("dtop", (T * N, self.H), self.dtype)
        np.matmul(dscores, p["Wy"].T, out=dtop)
        for layer in range(self.num_layers, 0, -1):
            ws = wss[layer - 1]
            gates, hs, cs = self._tape[layer - 1]
            Wx, Wh = p[f"Wx{layer}"], p[f"Wh{layer}"]
            dhs = dtop.reshape(T, N, self.H)
            if self.cell == "lstm":
                da, _, _ = lstm_recurrence_backward(dhs, gates, hs, cs, Wh, ws)
            else:
                da, _ = rnn_recurrence_backward(dhs, hs, Wh, ws)
            da_flat = da.reshape(T * N, -1)
            np.matmul(hs[:-1].reshape(T * N, self.H).T, da_flat, out=g[f"Wh{layer}"])   # one product for all steps
            np.sum(da_flat, axis=0, out=g[f"b{layer}"])
            if layer == 1:
                onehot = ws.get("onehot", (self.V, T * N), self.dtype, zero=True)
                onehot[self._ids, np.arange(T * N)] = 1.0
                np.matmul(onehot, da_flat, out=g["Wx1"])                                # sum of da rows per character
            else:
                below = wss[layer - 2]
                hs_below = self._tape[layer - 2][1]
                np.matmul(hs_below[1:].reshape(T * N, self.H).T, da_flat, out=g[f"Wx{layer}"])
                dtop = below.get("dtop", (T * N, self.H), self.dtype)
                np.matmul(da_flat, Wx.T, out=dtop)
        return loss, g, new_state

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, batches, state=None):
        """Mean loss in nats per character over a list of (x, y) batches, carrying the state."""
        total, count = 0.0, 0
        for x, y in batches:
            state = self.init_state(x.shape[0]) if state is None else state
            loss, state = self.loss(x, y, state)
            total += loss * x.size
            count += x.size
        if count == 0:
            raise ValueError("CharLM.evaluate: no batches (the text is shorter than one batch).")
        return total / count

    # ------------------------------------------------------------------ save / load
    def config(self):
        return {"vocab_size": self.V, "hidden_size": self.H, "num_layers": self.num_layers, "cell": self.cell,
                "dtype": self.dtype.name, "seed": self.seed}

    def save(self, path):
        """Write the parameters, the configuration and the characters to a .npz file."""
        path = pathlib.Path(path)
        extra = {"config": np.array(json.dumps(self.config()))}
        if self.chars is not None:
            extra["chars"] = np.array(json.dumps(self.chars))
        np.savez(path, **{f"param_{k}": v for k, v in self.params.items()}, **extra)
        return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")

    @classmethod
    def load(cls, path):
        """Read a model written by save()."""
        with np.load(path, allow_pickle=False) as data:
            config = json.loads(str(data["config"]))
            chars = json.loads(str(data["chars"])) if "chars" in data.files else None
            model = cls(config["vocab_size"], config["hidden_size"], config["num_layers"], config["cell"],
                        dtype=np.dtype(config["dtype"]), seed=config["seed"], chars=chars)
            for k in model.params:
                stored = data[f"param_{k}"]
                if stored.shape != model.params[k].shape:
                    raise ValueError(f"CharLM.load: {k} has shape {stored.shape} in {path}, expected "
                                     f"{model.params[k].shape}.")
                model.params[k][...] = stored
        return model
