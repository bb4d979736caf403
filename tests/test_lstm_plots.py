"""Smoke tests for rnnlib.lstm_plots: the LSTM cell diagram and the gate heatmap draw on the Agg backend."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib.lstm_cell import lstm_gates  # noqa: E402
from rnnlib.lstm_plots import GATE_NAMES, draw_lstm_cell, gate_heatmap  # noqa: E402


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
    assert [t.get_text() for t in ax.get_yticklabels()] == list(GATE_NAMES.values())
    image = ax.images[0].get_array()
    assert image.shape == (6, T)
    np.testing.assert_allclose(image[1], gates["f"][:, 2])
    assert bool(ax.texts) == (T <= 30)      # values written in the cells of short sequences only


def test_gate_heatmap_rejects_bad_input():
    gates = {k: np.zeros((4, 2)) for k in "ifogch"}
    with pytest.raises(ValueError, match="unit"):
        gate_heatmap(gates, unit=2)
    with pytest.raises(ValueError, match="tokens"):
        gate_heatmap(gates, unit=0, tokens=["a"])
    with pytest.raises(ValueError, match="missing"):
        gate_heatmap({"i": np.zeros((4, 2))}, unit=0)
