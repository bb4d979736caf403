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
import numpy as np

from ..data import dates
from ..kernels.blas import blas_threads
from ..kernels.gru import gru_sequence_backward, gru_sequence_forward
from ..layers.attention import attention_backward, attention_forward
from ..layers.loss import temporal_softmax_loss
from ..train.decoding import decoder_inputs, greedy_decode


# ----------------------------------------------------------------------------- the GRU over a sequence

def _table_grad(ids, d, rows):
    """Gradient of a row lookup table[ids]: sum the rows of d that read each entry.

    The same as np.add.at(out, ids, d), written as one_hot(ids).T @ d, which is faster.
    """
    one_hot = (np.arange(rows)[:, None] == ids.reshape(1, -1)).astype(d.dtype)
    return one_hot @ d.reshape(-1, d.shape[-1])


# ----------------------------------------------------------------------------- BLAS threads

# ----------------------------------------------------------------------------- greedy decoding

# ----------------------------------------------------------------------------- the model

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
      contract of rnnlib.layers.attention, e.g. your own; None uses rnnlib's.
    - decode: the function that translates (translate_ids, exact_match, and so the validation
      during training), with the signature of greedy_decode, e.g. your own; None uses rnnlib's.
    """

    def __init__(self, src_vocab=dates.SOURCE_VOCAB_SIZE, tgt_vocab=len(dates.TARGET_CHARS), hidden_size=64,
                 attention=True, bidirectional=False, seed=0, dtype=np.float32, attention_fns=None,
                 decode=None):
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
        if decode is not None and not callable(decode):
            raise TypeError(f"Seq2Seq: decode must be a function like greedy_decode, got {type(decode).__name__}.")
        self.decode = greedy_decode if decode is None else decode
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

        decode: a function with the signature of greedy_decode (default: the model's decode).
        """
        decode = self.decode if decode is None else decode
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

# ----------------------------------------------------------------------------- pictures
