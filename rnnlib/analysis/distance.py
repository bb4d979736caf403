"""accuracy_vs_distance: the experiment of notebooks 04 and 05, how far back a recurrent classifier carries a clue.

Trains one rnnlib.models.RNNClassifier per (distance, seed) on a long-range task and measures its test accuracy.
"""
import numpy as np

from ..data.long_range import first_symbol_task
from ..models.cells import RNNCell
from ..models.rnn_classifier import RNNClassifier


def accuracy_vs_distance(distances, make_cell=None, task=None, seeds=(0,), hidden_size=32, steps=150,
                         n_train=2000, n_test=500, lr=1e-2, batch_size=64, clip=5.0, clip_with=None,
                         dtype=np.float32, progress=True, desc="training runs"):
    """Train one classifier per (distance, seed) and measure its test accuracy.

    The experiment of notebooks 04 and 05: how far back can a model carry a clue?

    Inputs:
    - distances: list of dependency distances d (ints >= 0).
    - make_cell: function of no arguments returning a fresh cell; None makes RNNCell().
    - task: generator task(n, distance, rng=...) -> LongRangeTask; None uses
      rnnlib.first_symbol_task.
    - seeds: one training run per seed (the seed fixes the data, the initial weights and the batches).
    - hidden_size, steps, lr, batch_size, clip, clip_with, dtype: as in RNNClassifier and RNNClassifier.fit.
    - n_train, n_test: number of training and (fresh) test sequences per run.
    - progress: True shows a tqdm progress bar with one tick per training run (and the distance and
      accuracy of the last run); False or None shows nothing; a function is called instead as
      progress(distance, seed, accuracy) after each run.
    - desc: the label of the progress bar, e.g. "LSTM".

    Returns:
    - acc: float array (len(distances), len(seeds)) of test accuracies.
    """

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
                model = RNNClassifier(train.vocab_size, hidden_size, train.n_classes, cell=make_cell(), seed=rng,
                                      dtype=dtype)
                model.fit(train.ids, train.labels, steps=steps, lr=lr, batch_size=batch_size, clip=clip,
                          clip_with=clip_with)
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
