"""Smoke tests for rnnlib.viz.lstm: the LSTM cell diagram and the gate heatmap draw on the Agg backend."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib.analysis.gates import lstm_gates  # noqa: E402
from rnnlib.viz.lstm import GATE_NAMES, draw_lstm_cell, gate_heatmap  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_draw_lstm_cell():
    ax = draw_lstm_cell()
    assert isinstance(ax, Axes)
    labels = " ".join(t.get_text() for t in ax.texts)
    for part in ("$c_{t-1}$", "$c_t$", "$h_{t-1}$", "$h_t$", "$x_t$", "$f$", "$i$", "$o$", "$g$"):
        assert part in labels
    fig, ax2 = plt.subplots()
    assert draw_lstm_cell(ax=ax2) is ax2


@pytest.mark.parametrize("T, tokens", [(5, None), (8, list("Aabcdefg")), (40, None)])
def test_gate_heatmap_from_a_real_cache(T, tokens):
    rng = np.random.default_rng(0)
    H = 3
    _, cache = rnnlib.lstm_forward(rng.standard_normal((2, T, 4)), np.zeros((2, H)),
                                   rng.standard_normal((4, 4 * H)), rng.standard_normal((H, 4 * H)), np.zeros(4 * H))
    gates = {k: v[1] for k, v in lstm_gates(cache).items()}
    ax = gate_heatmap(gates, unit=2, tokens=tokens)
    assert isinstance(ax, Axes)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert [label.split(" (")[0] for label in labels] == list(GATE_NAMES.values())
    image = ax.images[0].get_array()
    assert image.shape == (6, T)
    np.testing.assert_allclose(image[1], gates["f"][:, 2])          # the gates on the scale -1..1
    c_scale = max(1.0, np.abs(gates["c"][:, 2]).max())              # the cell state on its own scale
    np.testing.assert_allclose(image[4], gates["c"][:, 2] / c_scale)
    assert labels[4] == f"cell state c (±{c_scale:.2g})" and labels[1] == "forget gate f (±1)"
    assert bool(ax.texts) == (T <= 30)      # values written in the cells of short sequences only


def test_gate_heatmap_cell_state_on_a_given_scale():
    gates = {k: np.full((4, 2), 0.5) for k in "ifogh"}
    gates["c"] = np.array([[9.0, 0.0], [-3.0, 0.0], [0.0, 0.0], [1.5, 0.0]])
    ax = gate_heatmap(gates, unit=0)
    np.testing.assert_allclose(ax.images[0].get_array()[4], [1.0, -1 / 3, 0.0, 1 / 6])   # own scale: 9
    ax = gate_heatmap(gates, unit=0, scales={"c": 18.0})
    np.testing.assert_allclose(ax.images[0].get_array()[4], [0.5, -1 / 6, 0.0, 1 / 12])
    assert ax.get_yticklabels()[4].get_text() == "cell state c (±18)"
    with pytest.raises(ValueError, match="scales"):
        gate_heatmap(gates, unit=0, scales={"c": 0.0})


def test_gate_heatmap_rejects_bad_input():
    gates = {k: np.zeros((4, 2)) for k in "ifogch"}
    with pytest.raises(ValueError, match="unit"):
        gate_heatmap(gates, unit=2)
    with pytest.raises(ValueError, match="tokens"):
        gate_heatmap(gates, unit=0, tokens=["a"])
    with pytest.raises(ValueError, match="missing"):
        gate_heatmap({"i": np.zeros((4, 2))}, unit=0)


def test_gradient_factors_and_gradient_through_time():
    from rnnlib.viz.lstm import gradient_factors, gradient_through_time

    t = np.arange(10)
    ax = gradient_factors(0.5 ** (9 - t), [0.9 ** (9 - t), 0.99 ** (9 - t)], [0.0, 1.0], [0.5, 0.73])
    assert ax.get_title() == "At initialisation, T = 100: what multiplies the gradient on its way back"
    assert [x.get_text() for x in ax.get_legend().get_texts()][1:] == [
        "LSTM cell path, forget bias 0: product of f (mean f = 0.50)",
        "LSTM cell path, forget bias 1: product of f (mean f = 0.73)"]
    ax = gradient_through_time({"vanilla RNN": (0.5 ** (9 - t), 0.6 ** (9 - t)), "LSTM": (np.ones(10), np.ones(10))}, 40)
    assert ax.get_title().endswith("first-symbol task, d = 40") and len(ax.lines) == 4
    assert ax.lines[2].get_color() == "tab:green"
