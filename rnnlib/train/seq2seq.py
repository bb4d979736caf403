"""Training an encoder-decoder (rnnlib.models.Seq2Seq): batches of similar length, Adam, clipping, a decaying rate.

    history = train(model, src, mask, tgt, steps, batch_size=128, lr=1e-2, final_lr=1e-3, clip=5.0, ...)
"""
import time

import numpy as np

from ..kernels.blas import blas_threads
from .clipping import clip_grad_norm
from .optim import Adam


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
