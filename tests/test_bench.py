"""`make bench` compares like with like: every contestant trains the same model on the same batch."""
import importlib.util

import numpy as np
import pytest

from tests.course import REPO
from rnnlib.data.batching import make_batches
from rnnlib.models.char_lm import CharLM


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_lstm", REPO / "bench" / "bench_lstm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tiny_batches(V=7, B=3, T=5):
    ids = np.random.default_rng(0).integers(0, V, size=400)
    return make_batches(ids, B, T)[:4]


def test_one_sequence_at_a_time_adds_up_to_the_batched_gradient():
    batches = tiny_batches()
    x, y = batches[0]
    model = CharLM(7, 8, cell="lstm", dtype=np.float64, seed=0)
    loss, grads, _ = model.loss_and_grads(x, y, model.init_state(3))
    grads = {k: g.copy() for k, g in grads.items()}      # the model reuses its gradient buffers
    total = {k: np.zeros_like(g) for k, g in grads.items()}
    summed = 0.0
    for b in range(3):
        lb, gb, _ = model.loss_and_grads(x[b:b + 1], y[b:b + 1], model.init_state(1))
        summed += lb / 3
        for k in total:
            total[k] += gb[k] / 3
    assert summed == pytest.approx(loss, rel=1e-12)
    for k in grads:
        np.testing.assert_allclose(total[k], grads[k], rtol=1e-9, atol=1e-12, err_msg=k)


@pytest.mark.parametrize("contestant", ["RnnlibStep", "OneAtATimeStep", "ReadableLoopStep"])
def test_every_contestant_trains(bench, contestant):
    step = getattr(bench, contestant)(7, 3, 5, 8, tiny_batches())
    losses = [step() for _ in range(30)]
    assert all(np.isfinite(losses))
    assert np.mean(losses[-5:]) < np.mean(losses[:5]), f"{contestant} does not learn: {losses[:5]} -> {losses[-5:]}"
