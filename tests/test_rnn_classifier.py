"""The many-to-one sequence classifier (rnnlib.models.rnn_classifier): gradients, training, cells."""
import numpy as np
import pytest

import rnnlib
from rnnlib.analysis.gradcheck import check_gradient, numerical_gradient
from rnnlib.data.long_range import first_symbol_task
from rnnlib.train.optim import SGD
from rnnlib.analysis.distance import accuracy_vs_distance
from rnnlib.models.cells import recurrent_init, ReLURNNCell, RNNCell
from rnnlib.models.rnn_classifier import RNNClassifier


@pytest.mark.parametrize("cell", [RNNCell(), RNNCell(init="orthogonal", scale=0.9, input_scale=0.5),
                                  ReLURNNCell(scale=0.9)])
def test_loss_gradients_match_finite_differences(cell):
    rng = np.random.default_rng(5)
    model = RNNClassifier(vocab_size=5, hidden_size=4, n_classes=3, cell=cell, seed=1, dtype=np.float64)
    for v in model.params.values():
        v += 0.1 * rng.standard_normal(v.shape)  # move b and by off zero, ReLU units off their kink
    ids, labels = rng.integers(0, 5, size=(3, 6)), rng.integers(0, 3, size=3)
    _, grads = model.loss(ids, labels)
    assert set(grads) == set(model.params) == {"Wx", "Wh", "b", "Wy", "by"}
    for key, value in model.params.items():
        numeric = numerical_gradient(lambda: model.loss(ids, labels)[0], value)
        check_gradient(key, grads[key], numeric, tol=1e-6)


def test_tanh_cell_is_the_reference_rnn():
    rng = np.random.default_rng(0)
    cell = RNNCell()
    params = cell.init_params(3, 4, rng, np.float64)
    x = rng.standard_normal((2, 5, 3))
    h, _ = cell.forward(x, params)
    h_ref, _ = rnnlib.rnn_forward(x, np.zeros((2, 4)), params["Wx"], params["Wh"], params["b"])
    np.testing.assert_allclose(h, h_ref)


def test_recurrent_init_spectral_radius():
    rng = np.random.default_rng(0)
    W = recurrent_init(50, rng, "orthogonal", 1.3)
    np.testing.assert_allclose(np.abs(np.linalg.eigvals(W)), 1.3, rtol=1e-10)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), 1.3, rtol=1e-10)
    np.testing.assert_array_equal(recurrent_init(3, rng, "identity", 0.5), 0.5 * np.eye(3))
    radius = np.abs(np.linalg.eigvals(recurrent_init(200, rng, "gaussian", 1.0))).max()
    assert 0.9 < radius < 1.1
    with pytest.raises(ValueError, match="init must be one of"):
        recurrent_init(3, rng, "xavier")
    with pytest.raises(ValueError, match="scale"):
        RNNCell(scale=0)


def test_float32_training_learns_a_short_dependency_and_reports_history():
    task, test = first_symbol_task(500, 3, rng=0), first_symbol_task(200, 3, rng=1)
    model = RNNClassifier(task.vocab_size, 16, task.n_classes, seed=0)
    assert model.params["Wh"].dtype == np.float32
    history = model.fit(task.ids, task.labels, steps=80, lr=2e-2, batch_size=32, clip=5.0)
    assert len(history["loss"]) == len(history["grad_norm"]) == 80
    assert history["loss"][-1] < 0.3 * history["loss"][0]
    assert model.accuracy(test.ids, test.labels) > 0.9
    proba = model.predict_proba(test.ids)
    assert proba.shape == (200, task.n_classes)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert model.params["Wh"].dtype == np.float32  # training keeps the dtype


def test_clipping_is_applied_before_every_update():
    task = first_symbol_task(100, 4, rng=0)
    model = RNNClassifier(task.vocab_size, 8, task.n_classes, seed=0, dtype=np.float64)
    before = {k: v.copy() for k, v in model.params.items()}
    model.fit(task.ids, task.labels, steps=1, batch_size=None, clip=1e-3, optimizer=SGD(lr=1.0))
    step = np.sqrt(sum(np.sum((model.params[k] - before[k]) ** 2) for k in before))
    assert step == pytest.approx(1e-3, rel=1e-6)  # lr * clipped gradient norm


def test_exploding_training_stops_with_advice():
    task = first_symbol_task(200, 20, rng=0)
    # float32 states of a ReLU RNN with Wh = 100 I grow like 100^t: inf long before step 20
    model = RNNClassifier(task.vocab_size, 8, task.n_classes, seed=0, cell=ReLURNNCell(init="identity", scale=100.0))
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match="^RNNClassifier.fit: .*Clip the gradients"):
        model.fit(task.ids, task.labels, steps=20, batch_size=64, optimizer=SGD(lr=0.05))


def test_bad_input_is_reported():
    model = RNNClassifier(4, 3, 2)
    with pytest.raises(ValueError, match="valid indices are 0..3"):
        model.loss(np.array([[0, 4]]), np.array([0]))
    with pytest.raises(ValueError, match="labels"):
        model.loss(np.array([[0, 1]]), np.array([0, 1]))
    with pytest.raises(ValueError, match="hidden_size"):
        RNNClassifier(4, 0, 2)
    with pytest.raises(ValueError, match=r"^RNNClassifier.fit: clip \(a maximum gradient norm\) must be a positive"):
        model.fit(np.array([[0, 1]]), np.array([0]), steps=1, clip=-1)
    with pytest.raises(ValueError, match="^RNNClassifier.fit: steps must be an integer >= 0, got 2.0"):
        model.fit(np.array([[0, 1]]), np.array([0]), steps=2.0)


def test_accuracy_vs_distance_shape_progress_and_pluggable_cell():
    seen = []
    acc = accuracy_vs_distance([1, 2], make_cell=lambda: RNNCell(init="orthogonal"), seeds=(0, 1),
                               hidden_size=8, steps=5, n_train=50, n_test=20,
                               progress=lambda d, s, a: seen.append((d, s)))
    assert acc.shape == (2, 2) and np.all((acc >= 0) & (acc <= 1))
    assert seen == [(1, 0), (1, 1), (2, 0), (2, 1)]
    again = accuracy_vs_distance([1, 2], make_cell=lambda: RNNCell(init="orthogonal"), seeds=(0, 1),
                                 hidden_size=8, steps=5, n_train=50, n_test=20)
    np.testing.assert_array_equal(acc, again)  # seeded


def test_accuracy_vs_distance_progress_bar(capsys):
    acc = accuracy_vs_distance([1, 2], seeds=(0,), hidden_size=4, steps=2, n_train=20, n_test=10,
                               progress=True, desc="tiny runs")
    assert acc.shape == (2, 1)
    err = capsys.readouterr().err
    assert "tiny runs" in err and "2/2" in err
    accuracy_vs_distance([1], seeds=(0,), hidden_size=4, steps=2, n_train=20, n_test=10, progress=False)
    assert "tiny runs" not in capsys.readouterr().err
