"""Training an encoder-decoder (rnnlib.models.Seq2Seq): its batches of similar length, its validation, its history.

    config = TrainConfig(steps=1000, lr=1e-2, final_lr=1e-3, decay="geometric", eval_every=100)
    history = train(model, src, mask, tgt, config, batch_size=128, valid=(valid_src, valid_mask, valid_tgt))

The updates come from rnnlib.train.loop.run (budget, learning-rate schedule, clipping, evaluations,
progress bar, NaN stop); the batches, the exact-match validation and the history dict are here.
"""
import numpy as np

from ..kernels.blas import blas_threads
from .loop import run


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


def train(model, src, mask, tgt, config, *, batch_size=128, seed=0, valid=None, threads=1):
    """Train a Seq2Seq on teacher-forced cross-entropy, with Adam on batches of similar length.

    Inputs:
    - model: Seq2Seq. src (M, S), mask (M, S), tgt (M, T): the training set.
    - config: a rnnlib.train.loop.TrainConfig: the budget (steps and/or seconds), lr, final_lr and decay
      (the course uses decay="geometric"), clip, eval_every or eval_seconds, callback(history, model), and
      progress (a label shows a bar with that label; its text has the recent loss and the last exact match).
    - batch_size: examples per update; seed: the batches' random order (see length_batches).
    - valid: optional (src, mask, tgt), measured by exact-match accuracy at every evaluation and at the end.
    - threads: BLAS threads while training (see blas_threads; None: leave as is).

    Returns: a history dict with lists "loss" (every update), "valid_step", "valid_accuracy", and
    "seconds" (total time), "steps" (updates done). Raises rnnlib.train.loop.TrainingDiverged (a
    FloatingPointError, with advice) when the loss becomes NaN or infinite.
    """
    lengths = np.asarray(mask).sum(axis=1)
    batches = length_batches(lengths, batch_size, np.random.default_rng(seed))
    history = {"loss": [], "valid_step": [], "valid_accuracy": [], "seconds": 0.0, "steps": 0}

    def losses():
        for idx in batches:
            S = int(lengths[idx].max())        # the longest source of the batch: no column of padding only
            yield model.loss(src[idx, :S], mask[idx, :S], tgt[idx])

    def evaluate(trace):
        history["loss"], history["steps"] = trace.loss, trace.steps
        history["valid_step"].append(trace.steps)
        history["valid_accuracy"].append(model.exact_match(*valid))

    def postfix(trace):
        acc = f", valid exact match {history['valid_accuracy'][-1]:.1%}" if history["valid_accuracy"] else ""
        return f"loss {np.mean(trace.loss[-20:]):.3f}{acc}"

    with blas_threads(threads or 0):
        trace = run(model, losses(), config, evaluate=None if valid is None else evaluate, postfix=postfix,
                    history=history)
    history.update(loss=trace.loss, seconds=trace.seconds, steps=trace.steps)
    return history
