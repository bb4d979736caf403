"""An encoder-decoder (sequence to sequence) model with optional dot-product attention.

The encoder reads the source characters with a GRU (optionally a bidirectional
one: a second GRU reads the string from right to left and the two states are
concatenated). The decoder is another GRU that writes the target one
character at a time. Its first state is the encoder's final state; with
attention it also looks back at every encoder state at every step:

    h_t       = GRU(y_{t-1}, h_{t-1})                      decoder state, (N, H)
    c_t, a_t  = attention_forward(h_t, keys, mask)         keys = encoder states, (N, S, H)
    scores_t  = [h_t, c_t] @ W_out + b_out                 (N, V)   (without attention: h_t @ W_out + b_out)

Training uses teacher forcing (the decoder reads the true previous character);
translation uses greedy decoding (it reads its own previous guess).

Inputs are character ids (one-hot inputs, so x @ Wx is a row lookup Wx[ids]);
the input projections of all time steps are computed at once, and the loops
over time are time-major and work on the whole batch. float32 by default for
training, float64 for gradient checks.
"""
import time

import numpy as np

from . import dates
from .attention import attention_backward, attention_forward
from .clipping import clip_grad_norm
from .loss import temporal_softmax_loss
from .optim import Adam


# ----------------------------------------------------------------------------- the GRU over a sequence

def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))   # stable for any x, one ufunc call


def gru_sequence_forward(ax, h0, Wh, mask=None):
    """A GRU over a whole sequence, time-major, with precomputed input projections.

    Inputs:
    - ax: (T, N, 3H) x_t @ Wx + b for every step (blocks r, z, n as in rnnlib.gru).
    - h0: (N, H) initial state.
    - Wh: (H, 3H) recurrent weights.
    - mask: (T, N) bool or None. Where mask[t, n] is False the state is carried
      over unchanged (padding does not move the state).

    Returns:
    - h: (T, N, H) the state after every step.
    - cache: for gru_sequence_backward.
    """
    T, N, H3 = ax.shape
    H = H3 // 3
    dtype = np.result_type(ax, h0, Wh)
    h_all = np.empty((T + 1, N, H), dtype=dtype)
    rz_all = np.empty((T, N, 2 * H), dtype=dtype)
    n_all = np.empty((T, N, H), dtype=dtype)
    ahn_all = np.empty((T, N, H), dtype=dtype)
    h_all[0] = h0
    for t in range(T):
        h = h_all[t]
        ah = h @ Wh
        rz = _sigmoid(ax[t, :, :2 * H] + ah[:, :2 * H])
        n = np.tanh(ax[t, :, 2 * H:] + rz[:, :H] * ah[:, 2 * H:])
        h_new = n + rz[:, H:] * (h - n)
        if mask is not None:
            h_new = np.where(mask[t][:, None], h_new, h)
        h_all[t + 1] = h_new
        rz_all[t], n_all[t], ahn_all[t] = rz, n, ah[:, 2 * H:]
    return h_all[1:], (h_all, rz_all, n_all, ahn_all, Wh, mask)


def gru_sequence_backward(dh, cache):
    """Backward pass of gru_sequence_forward.

    Inputs: dh (T, N, H), the gradient on every h[t] from outside the recurrence.
    Returns: dax (T, N, 3H), dh0 (N, H), dWh (H, 3H).
    """
    h_all, rz_all, n_all, ahn_all, Wh, mask = cache
    T, N, H = dh.shape
    dax = np.empty((T, N, 3 * H), dtype=dh.dtype)
    dah = np.empty((T, N, 3 * H), dtype=dh.dtype)
    dh_next = np.zeros((N, H), dtype=dh.dtype)
    WhT = Wh.T
    for t in reversed(range(T)):
        g = dh[t] + dh_next
        if mask is not None:
            m = mask[t][:, None]
            carry = np.where(m, 0.0, g)
            g = np.where(m, g, 0.0)
        h_prev, r, z, n = h_all[t], rz_all[t, :, :H], rz_all[t, :, H:], n_all[t]
        dan = g * (1.0 - z) * (1.0 - n * n)
        dax[t, :, :H] = dan * ahn_all[t] * r * (1.0 - r)
        dax[t, :, H:2 * H] = g * (h_prev - n) * z * (1.0 - z)
        dax[t, :, 2 * H:] = dan
        dah[t, :, :2 * H] = dax[t, :, :2 * H]
        dah[t, :, 2 * H:] = dan * r
        dh_next = g * z + dah[t] @ WhT
        if mask is not None:
            dh_next = dh_next + carry
    dWh = h_all[:-1].reshape(-1, H).T @ dah.reshape(-1, 3 * H)
    return dax, dh_next, dWh


def _table_grad(ids, d, rows):
    """Gradient of a row lookup table[ids]: sum the rows of d that read each entry.

    The same as np.add.at(out, ids, d), written as one_hot(ids).T @ d, which is faster.
    """
    one_hot = (np.arange(rows)[:, None] == ids.reshape(1, -1)).astype(d.dtype)
    return one_hot @ d.reshape(-1, d.shape[-1])


# ----------------------------------------------------------------------------- BLAS threads

def _openblas():
    """The OpenBLAS library numpy uses and its (get, set) thread functions, or None."""
    import ctypes
    import re

    try:
        with open("/proc/self/maps") as f:
            paths = sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", f.read())))
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "64_"), ("openblas", "")):
            get, put = getattr(lib, f"{prefix}_get_num_threads{suffix}", None), getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
            if get is not None and put is not None:
                return get, put
    return None


class blas_threads:
    """Context manager: let numpy's BLAS use `n` threads inside the block (best effort).

    The matrices of this model are small ((128, 64) @ (64, 192)); splitting such a
    product over several threads costs more in synchronisation than it saves,
    and on a busy machine it can make training several times slower. Works with
    OpenBLAS (numpy's wheels on Linux); elsewhere it does nothing.
    """

    def __init__(self, n=1):
        self.n, self.old, self.lib = int(n), None, None

    def __enter__(self):
        self.lib = _openblas() if self.n > 0 else None
        if self.lib is not None:
            self.old = self.lib[0]()
            self.lib[1](self.n)
        return self

    def __exit__(self, *exc):
        if self.lib is not None and self.old is not None:
            self.lib[1](self.old)
        return False


# ----------------------------------------------------------------------------- greedy decoding

def greedy_decode(step, state, first_ids, length):
    """Greedy decoding: feed the decoder its own most likely previous output.

    Inputs:
    - step: function step(prev_ids, state) -> (scores, new_state), with prev_ids
      int (N,) and scores (N, V); the state is whatever the decoder needs
      (opaque here: only passed along).
    - state: the decoder's initial state.
    - first_ids: int (N,), what the decoder reads at the first step (the start symbol).
    - length: number of output steps T.

    Returns:
    - ids: int64 (N, T); ids[:, t] is the argmax over V of the scores of step t,
      and it is what the decoder reads at step t + 1.
    """
    prev = np.asarray(first_ids, dtype=np.int64)
    ids = np.zeros((prev.shape[0], length), dtype=np.int64)
    for t in range(length):
        scores, state = step(prev, state)
        prev = np.argmax(scores, axis=-1)
        ids[:, t] = prev
    return ids


# ----------------------------------------------------------------------------- the model

def decoder_inputs(targets, start_id):
    """Teacher forcing: the decoder reads start_id, then the target shifted right by one.

    Input: targets int (N, T). Returns int (N, T): [start_id, y_0, ..., y_{T-2}].
    """
    targets = np.asarray(targets)
    return np.concatenate([np.full((targets.shape[0], 1), start_id, dtype=targets.dtype), targets[:, :-1]], axis=1)


class Seq2Seq:
    """GRU encoder-decoder for characters in, characters out.

    Inputs:
    - src_vocab: number of source ids (id 0 is padding).
    - tgt_vocab: number of output symbols V; the decoder reads ids 0..V, where
      id V is the start symbol.
    - hidden_size: H, the size of the decoder state and of every key.
    - attention: use dot-product attention over the encoder states.
    - bidirectional: encoder of two GRUs with H/2 units each, one per direction.
    - seed, dtype: initialisation and floating-point type.
    - attention_fns: optional pair (attention_forward, attention_backward) with the
      contract of rnnlib.attention, e.g. your own; None uses rnnlib's.
    """

    def __init__(self, src_vocab=dates.SOURCE_VOCAB_SIZE, tgt_vocab=len(dates.TARGET_CHARS), hidden_size=64,
                 attention=True, bidirectional=False, seed=0, dtype=np.float32, attention_fns=None):
        if bidirectional and hidden_size % 2:
            raise ValueError(f"Seq2Seq: a bidirectional encoder splits H into two halves; H = {hidden_size} is odd.")
        self.src_vocab, self.tgt_vocab, self.H = int(src_vocab), int(tgt_vocab), int(hidden_size)
        self.attention, self.bidirectional, self.dtype = bool(attention), bool(bidirectional), np.dtype(dtype)
        self.start_id = self.tgt_vocab
        if attention_fns is None:
            attention_fns = (attention_forward, attention_backward)
        if len(attention_fns) != 2 or not all(callable(f) for f in attention_fns):
            raise TypeError("Seq2Seq: attention_fns must be a pair of functions (attention_forward, attention_backward).")
        self.attention_fns = tuple(attention_fns)
        H, He = self.H, self.H // 2 if bidirectional else self.H
        self.He = He
        rng = np.random.default_rng(seed)

        def normal(shape, scale):
            return (scale * rng.standard_normal(shape)).astype(self.dtype)

        p = {}
        for prefix in ("enc", "encb") if bidirectional else ("enc",):
            p[f"{prefix}_Wx"] = normal((self.src_vocab, 3 * He), 0.3)
            p[f"{prefix}_Wh"] = normal((He, 3 * He), 1.0 / np.sqrt(He))
            p[f"{prefix}_b"] = np.zeros(3 * He, dtype=self.dtype)
        p["dec_Wx"] = normal((self.tgt_vocab + 1, 3 * H), 0.3)
        p["dec_Wh"] = normal((H, 3 * H), 1.0 / np.sqrt(H))
        p["dec_b"] = np.zeros(3 * H, dtype=self.dtype)
        F = 2 * H if attention else H
        p["out_W"] = normal((F, self.tgt_vocab), 1.0 / np.sqrt(F))
        p["out_b"] = np.zeros(self.tgt_vocab, dtype=self.dtype)
        self.params = p

    def __repr__(self):
        kind = "bidirectional" if self.bidirectional else "unidirectional"
        n = sum(v.size for v in self.params.values())
        return (f"Seq2Seq(GRU, H={self.H}, {kind} encoder, {'with' if self.attention else 'without'} attention, "
                f"{n} parameters, {self.dtype})")

    # -- encoder ---------------------------------------------------------------------------------------
    def _check_source(self, src, mask):
        src = np.asarray(src)
        if src.ndim != 2:
            raise ValueError(f"Seq2Seq: src should be (N, S) ids, got shape {src.shape}.")
        mask = (src != dates.PAD) if mask is None else np.asarray(mask, dtype=bool)
        if mask.shape != src.shape:
            raise ValueError(f"Seq2Seq: mask has shape {mask.shape}, src has shape {src.shape}.")
        if src.size and (src.min() < 0 or src.max() >= self.src_vocab):
            raise ValueError(f"Seq2Seq: src ids must be in 0..{self.src_vocab - 1}.")
        if not mask.any(axis=1).all():
            raise ValueError("Seq2Seq: every source row needs at least one real position.")
        return src, mask

    def encode(self, src, mask=None):
        """Encoder states. Returns keys (N, S, H), the final state (N, H) and a cache."""
        src, mask = self._check_source(src, mask)
        p = self.params
        mask_tm = mask.T
        N = src.shape[0]
        h0 = np.zeros((N, self.He), dtype=self.dtype)
        hf, cf = gru_sequence_forward(p["enc_Wx"][src.T] + p["enc_b"], h0, p["enc_Wh"], mask_tm)
        if self.bidirectional:
            rev = src[:, ::-1].T
            hb_rev, cb = gru_sequence_forward(p["encb_Wx"][rev] + p["encb_b"], h0, p["encb_Wh"], mask_tm[::-1])
            keys_tm = np.concatenate([hf, hb_rev[::-1]], axis=-1)
            final = np.concatenate([hf[-1], hb_rev[-1]], axis=-1)
            caches = (cf, cb)
        else:
            keys_tm, final, caches = hf, hf[-1], (cf,)
        keys = np.ascontiguousarray(keys_tm.transpose(1, 0, 2))
        return keys, final, (src, mask, caches)

    def _encode_backward(self, dkeys, dfinal, cache, grads):
        src, mask, caches = cache
        He = self.He
        dkeys_tm = dkeys.transpose(1, 0, 2)
        dhf = np.array(dkeys_tm[..., :He])
        dhf[-1] += dfinal[:, :He]
        dax, _, grads["enc_Wh"] = gru_sequence_backward(dhf, caches[0])
        grads["enc_Wx"] = _table_grad(src.T, dax, self.src_vocab)
        grads["enc_b"] = dax.sum(axis=(0, 1))
        if self.bidirectional:
            dhb_rev = np.array(dkeys_tm[::-1, :, He:])
            dhb_rev[-1] += dfinal[:, He:]
            dax, _, grads["encb_Wh"] = gru_sequence_backward(dhb_rev, caches[1])
            grads["encb_Wx"] = _table_grad(src[:, ::-1].T, dax, self.src_vocab)
            grads["encb_b"] = dax.sum(axis=(0, 1))

    # -- teacher forcing -------------------------------------------------------------------------------
    def forward(self, src, mask, dec_in):
        """Teacher-forced forward pass.

        Inputs: src (N, S) ids, mask (N, S) bool (None: src != 0), dec_in (N, T) decoder inputs
        (START then the target shifted right).
        Returns scores (N, T, V), attention weights (N, T, S) (None without attention) and a cache.
        """
        p = self.params
        keys, final, enc_cache = self.encode(src, mask)
        mask = enc_cache[1]
        dec_in = np.asarray(dec_in)
        hd_tm, dec_cache = gru_sequence_forward(p["dec_Wx"][dec_in.T] + p["dec_b"], final, p["dec_Wh"])
        hd = hd_tm.transpose(1, 0, 2)                                   # (N, T, H)
        att_caches, weights = [], None
        if self.attention:
            T = hd.shape[1]
            ctx = np.empty_like(hd)
            weights = np.empty((hd.shape[0], T, keys.shape[1]), dtype=self.dtype)
            for t in range(T):
                ctx[:, t], weights[:, t], c = self.attention_fns[0](hd[:, t], keys, mask)
                att_caches.append(c)
            feat = np.concatenate([hd, ctx], axis=-1)
        else:
            feat = hd
        scores = feat @ p["out_W"] + p["out_b"]
        return scores, weights, (keys, enc_cache, dec_in, dec_cache, att_caches, feat)

    def loss(self, src, mask, tgt):
        """Mean cross-entropy per output character with teacher forcing, and the gradients.

        Inputs: src (N, S), mask (N, S) or None, tgt (N, T) target ids.
        Returns: (loss, grads) with grads a dict shaped like self.params.
        """
        tgt = np.asarray(tgt)
        scores, _, (keys, enc_cache, dec_in, dec_cache, att_caches, feat) = self.forward(
            src, mask, decoder_inputs(tgt, self.start_id))
        loss, dscores = temporal_softmax_loss(scores, tgt)
        dscores = dscores.astype(self.dtype, copy=False)
        p, H, V = self.params, self.H, self.tgt_vocab
        grads = {"out_W": feat.reshape(-1, feat.shape[-1]).T @ dscores.reshape(-1, V),
                 "out_b": dscores.sum(axis=(0, 1))}
        dfeat = dscores @ p["out_W"].T
        dhd = np.ascontiguousarray(dfeat[..., :H].transpose(1, 0, 2))  # (T, N, H)
        dkeys = np.zeros_like(keys)
        if self.attention:
            for t, c in enumerate(att_caches):
                dq, dk = self.attention_fns[1](dfeat[:, t, H:], c)
                dhd[t] += dq
                dkeys += dk
        dax, dfinal, grads["dec_Wh"] = gru_sequence_backward(dhd, dec_cache)
        grads["dec_Wx"] = _table_grad(dec_in.T, dax, self.tgt_vocab + 1)
        grads["dec_b"] = dax.sum(axis=(0, 1))
        self._encode_backward(dkeys, dfinal, enc_cache, grads)
        return loss, {k: grads[k] for k in p}

    # -- greedy decoding -------------------------------------------------------------------------------
    def start(self, src, mask=None):
        """The decoder's initial state for greedy decoding: (h, keys, mask)."""
        keys, final, (_, mask, _) = self.encode(src, mask)
        return final, keys, mask

    def step(self, prev_ids, state):
        """One decoder step: prev_ids int (N,), state (h, keys, mask) -> (scores (N, V), new state)."""
        h, keys, mask = state
        p = self.params
        prev_ids = np.asarray(prev_ids)
        ax = p["dec_Wx"][prev_ids] + p["dec_b"]
        h_new, _ = gru_sequence_forward(ax[None], h, p["dec_Wh"])
        h_new = h_new[0]
        if self.attention:
            ctx, _, _ = self.attention_fns[0](h_new, keys, mask)
            feat = np.concatenate([h_new, ctx], axis=-1)
        else:
            feat = h_new
        return feat @ p["out_W"] + p["out_b"], (h_new, keys, mask)

    def translate_ids(self, src, mask=None, length=dates.TARGET_LENGTH, decode=None, batch_size=2000):
        """Greedy translation of source ids. Returns int (N, length).

        decode: a function with the signature of greedy_decode (default: rnnlib's).
        """
        decode = greedy_decode if decode is None else decode
        src = np.asarray(src)
        mask = (src != dates.PAD) if mask is None else np.asarray(mask, dtype=bool)
        out = []
        with blas_threads(1):
            self._translate_batches(src, mask, length, decode, batch_size, out)
        return np.concatenate(out, axis=0) if out else np.zeros((0, length), dtype=np.int64)

    def _translate_batches(self, src, mask, length, decode, batch_size, out):
        for k in range(0, len(src), batch_size):
            s, m = src[k:k + batch_size], mask[k:k + batch_size]
            used = max(1, int(m.sum(axis=1).max()))
            first = np.full(len(s), self.start_id, dtype=np.int64)
            out.append(np.asarray(decode(self.step, self.start(s[:, :used], m[:, :used]), first, length)))

    def attention_map(self, src, mask, out_ids):
        """Attention weights (N, T, S) of the decoder when it reads its own outputs out_ids (N, T).

        With out_ids from greedy decoding this is exactly the attention used while translating.
        """
        if not self.attention:
            raise ValueError("attention_map: this model has no attention.")
        _, weights, _ = self.forward(src, mask, decoder_inputs(np.asarray(out_ids), self.start_id))
        return weights

    def translate(self, strings, decode=None):
        """Translate human-written dates (list of str) -> list of str 'YYYY-MM-DD'."""
        src, mask = dates.encode_source(list(strings))
        return dates.decode_target(self.translate_ids(src, mask, decode=decode))

    def exact_match(self, src, mask, tgt, decode=None):
        """Fraction of rows whose whole greedy translation equals tgt (N, T)."""
        pred = self.translate_ids(src, mask, length=np.shape(tgt)[1], decode=decode)
        return float(np.mean(np.all(pred == np.asarray(tgt), axis=1)))


# ----------------------------------------------------------------------------- training

def length_batches(lengths, batch_size, rng, bucket=16):
    """Endless stream of index batches that group examples of similar length.

    Draws bucket * batch_size random indices, sorts them by length, cuts them
    into `bucket` batches and yields those in random order; then repeats.
    Less padding per batch means less work for the encoder.
    """
    lengths = np.asarray(lengths)
    M = len(lengths)
    if M < batch_size:
        raise ValueError(f"length_batches: {M} examples cannot fill a batch of {batch_size}.")
    while True:
        idx = rng.choice(M, size=min(M, bucket * batch_size), replace=False)
        idx = idx[np.argsort(lengths[idx], kind="stable")]
        chunks = [idx[k:k + batch_size] for k in range(0, len(idx) - batch_size + 1, batch_size)]
        for j in rng.permutation(len(chunks)):
            yield chunks[j]


def train(model, src, mask, tgt, steps, batch_size=128, lr=1e-2, final_lr=1e-3, clip=5.0, seed=0,
          valid=None, eval_every=None, print_every=None, time_limit=None, threads=1, progress=True, desc="training"):
    """Train a Seq2Seq with Adam on teacher-forced cross-entropy.

    Inputs:
    - model: Seq2Seq. src (M, S), mask (M, S), tgt (M, T): the training set.
    - steps: number of updates; batch_size: examples per update.
    - lr, final_lr: the learning rate decays geometrically from lr to final_lr.
    - clip: global gradient-norm clipping (None: off).
    - valid: optional (src, mask, tgt) for exact-match accuracy every eval_every steps.
    - print_every: ignored (it used to print a line every so many steps; the progress bar replaced it).
    - time_limit: stop after this many seconds (None: no limit).
    - threads: BLAS threads while training (see blas_threads; None: leave as is).
    - progress: show a tqdm progress bar over the steps, with the recent loss and the last
      validation exact match (False: silent); desc: the bar's label.

    Returns: a history dict with lists "loss" (every step), "valid_step",
    "valid_accuracy", and "seconds" (total time), "steps" (updates done).
    """
    if steps < 1:
        raise ValueError(f"train: steps must be at least 1, got {steps}.")
    rng = np.random.default_rng(seed)
    opt = Adam(lr=lr)
    lengths = np.asarray(mask).sum(axis=1)
    batches = length_batches(lengths, batch_size, rng)
    history = {"loss": [], "valid_step": [], "valid_accuracy": [], "seconds": 0.0, "steps": 0}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=steps, unit="step", desc=desc)
    start = time.perf_counter()
    try:
        with blas_threads(threads or 0):
            _train_loop(model, src, mask, tgt, steps, batches, lengths, opt, lr, final_lr, clip, valid, eval_every,
                        time_limit, history, start, bar)
    finally:
        if bar is not None:
            bar.close()
    history["seconds"] = time.perf_counter() - start
    return history


def _train_loop(model, src, mask, tgt, steps, batches, lengths, opt, lr, final_lr, clip, valid, eval_every,
                time_limit, history, start, bar):
    for k in range(steps):
        opt.lr = lr * (final_lr / lr) ** (k / max(1, steps - 1))
        idx = next(batches)
        S = int(lengths[idx].max())
        loss, grads = model.loss(src[idx, :S], mask[idx, :S], tgt[idx])
        if not np.isfinite(loss):
            raise FloatingPointError(f"train: the loss is {loss} at step {k}. Lower the learning rate (now {opt.lr:.3g}) "
                                     f"or clip the gradients (clip={clip}).")
        if clip is not None:
            clip_grad_norm(grads, clip)
        opt.step(model.params, grads)
        history["loss"].append(loss)
        history["steps"] = k + 1
        last = k == steps - 1
        if valid is not None and eval_every and ((k + 1) % eval_every == 0 or last):
            history["valid_step"].append(k + 1)
            history["valid_accuracy"].append(model.exact_match(*valid))
        if bar is not None:
            acc = f", valid exact match {history['valid_accuracy'][-1]:.1%}" if history["valid_accuracy"] else ""
            bar.set_postfix_str(f"loss {np.mean(history['loss'][-20:]):.3f}{acc}", refresh=False)
            bar.update(1)
        if time_limit is not None and time.perf_counter() - start > time_limit:
            break


# ----------------------------------------------------------------------------- pictures

def draw_encoder_decoder(source="3 May 1979", target="1979-05-03", attention=False, ax=None):
    """Draw the encoder-decoder unrolled on one example.

    The encoder (green) reads every source character first; its final state is
    the decoder's first state; the decoder (orange) then writes one character per
    step and reads its previous output. With attention=True, dashed lines show
    that every decoder step also looks at every encoder state.

    Returns the Axes.
    """
    import matplotlib.pyplot as plt

    from .plots import COLORS, _arrow, _box

    S, T = len(source), len(target)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.55 * (S + T) + 2, 3.6))
    gap = 1.2
    xs_enc = np.arange(S) * 0.55
    xs_dec = xs_enc[-1] + gap + 0.55 + np.arange(T) * 0.55
    for k, ch in enumerate(source):
        _box(ax, (xs_enc[k], 0), repr(ch)[1:-1] if ch != " " else "␣", COLORS["x"], width=0.45, height=0.4, fontsize=10)
        _box(ax, (xs_enc[k], 1), "", COLORS["h"], width=0.45, height=0.4)
        _arrow(ax, (xs_enc[k], 0.2), (xs_enc[k], 0.8))
        if k:
            _arrow(ax, (xs_enc[k - 1] + 0.22, 1), (xs_enc[k] - 0.22, 1))
    for k, ch in enumerate(target):
        prev = "<s>" if k == 0 else target[k - 1]
        _box(ax, (xs_dec[k], 0), prev, COLORS["x"], width=0.45, height=0.4, fontsize=9 if k == 0 else 10)
        _box(ax, (xs_dec[k], 1), "", COLORS["y"], width=0.45, height=0.4)
        _box(ax, (xs_dec[k], 2), ch, COLORS["y"], width=0.45, height=0.4, fontsize=10)
        _arrow(ax, (xs_dec[k], 0.2), (xs_dec[k], 0.8))
        _arrow(ax, (xs_dec[k], 1.2), (xs_dec[k], 1.8))
        if k:
            _arrow(ax, (xs_dec[k - 1] + 0.22, 1), (xs_dec[k] - 0.22, 1))
            ax.annotate("", xy=(xs_dec[k], 0.2), xytext=(xs_dec[k - 1] + 0.1, 1.8),
                        arrowprops=dict(arrowstyle="-|>", color="gray", linestyle=":", connectionstyle="arc3,rad=0.2"))
    _arrow(ax, (xs_enc[-1] + 0.22, 1), (xs_dec[0] - 0.22, 1), color="crimson")
    ax.text((xs_enc[-1] + xs_dec[0]) / 2, 1.25, "final\nstate", ha="center", va="bottom", fontsize=9, color="crimson")
    if attention:
        for j in (T // 2,):
            for k in range(S):
                ax.plot([xs_enc[k], xs_dec[j]], [1.2, 1.2], alpha=0)   # keep limits
                ax.annotate("", xy=(xs_dec[j] - 0.1, 1.15), xytext=(xs_enc[k], 1.2),
                            arrowprops=dict(arrowstyle="-", color="royalblue", alpha=0.35, linestyle="--",
                                            connectionstyle="arc3,rad=-0.35"))
        ax.text(xs_dec[T // 2], 2.55, f"attention at step {T // 2 + 1}: looks at every encoder state", ha="center",
                fontsize=9, color="royalblue")
    ax.text(xs_enc.mean(), -0.55, "encoder reads the whole source", ha="center", fontsize=10)
    ax.text(xs_dec.mean(), -0.55, "decoder writes, reading its previous output", ha="center", fontsize=10)
    ax.set_xlim(xs_enc[0] - 0.5, xs_dec[-1] + 0.5)
    ax.set_ylim(-0.8, 2.9 if attention else 2.5)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def plot_attention(weights, source, target, ax=None, title=None):
    """Heatmap of one example's attention: rows are output characters, columns source characters.

    Inputs:
    - weights: (T, S') attention weights (S' >= len(source); padding columns are dropped).
    - source: the source string; target: the output string (length T).
    Returns the Axes.
    """
    import matplotlib.pyplot as plt

    weights = np.asarray(weights)[:, :len(source)]
    if weights.shape[0] != len(target):
        raise ValueError(f"plot_attention: weights has {weights.shape[0]} rows but the target has {len(target)} characters.")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.3 * len(source) + 1.5, 0.3 * len(target) + 1.2))
    ax.imshow(weights, cmap="Greys", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(source)), ["␣" if ch == " " else ch for ch in source])
    ax.set_yticks(range(len(target)), list(target))
    ax.set_xlabel("source character (attended to)")
    ax.set_ylabel("output character")
    ax.tick_params(length=0)
    if title:
        ax.set_title(title, fontsize=10)
    return ax
