"""Smoke tests for rnnlib.viz.rnn: every helper draws without error on the Agg backend."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rnnlib.viz import rnn as plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("T, rolled, outputs", [(1, True, True), (4, True, True), (6, False, False)])
def test_draw_unrolled(T, rolled, outputs):
    ax = plots.draw_unrolled(T=T, rolled=rolled, outputs=outputs)
    assert isinstance(ax, Axes)
    labels = {t.get_text() for t in ax.texts}
    assert f"$h_{T}$" in labels and f"$x_{T}$" in labels
    assert ("$y_1$" in labels) == outputs


def test_draw_unrolled_into_given_axes_and_rejects_bad_T():
    fig, ax = plt.subplots()
    assert plots.draw_unrolled(T=3, ax=ax) is ax
    with pytest.raises(ValueError, match="positive integer"):
        plots.draw_unrolled(T=0)


def test_draw_io_shapes():
    fig = plots.draw_io_shapes()
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes] == [shape[0] for shape in plots.IO_SHAPES]
    fig.canvas.draw()


def test_hidden_state_heatmap():
    h = np.tanh(np.random.default_rng(0).standard_normal((5, 3)))
    ax = plots.hidden_state_heatmap(h, tokens=list("dogs "), current=2)
    assert isinstance(ax, Axes)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["d", "o", "g", "s", " "]
    ax.figure.canvas.draw()
    assert isinstance(plots.hidden_state_heatmap(h), Axes)


@pytest.mark.parametrize("kwargs, words", [
    ({"h": np.zeros(4)}, "shape \\(T, H\\)"),
    ({"h": np.zeros((4, 2)), "tokens": list("abc")}, "3 tokens for 4"),
    ({"h": np.zeros((4, 2)), "current": 4}, "outside 0..3"),
])
def test_hidden_state_heatmap_rejects_bad_input(kwargs, words):
    with pytest.raises(ValueError, match=words):
        plots.hidden_state_heatmap(**kwargs)


def test_hidden_state_bars():
    ax = plots.hidden_state_bars(np.array([0.5, -0.2, 0.9]), h_prev=np.array([0.1, 0.0, -0.3]))
    assert isinstance(ax, Axes)
    assert len(ax.patches) == 6
    assert isinstance(plots.hidden_state_bars(np.zeros(2)), Axes)
    with pytest.raises(ValueError, match="h_prev has 2 units"):
        plots.hidden_state_bars(np.zeros(3), h_prev=np.zeros(2))
