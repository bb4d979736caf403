"""Smoke tests for rnnlib.viz.bptt and rnnlib.viz.optimizers (03): each picture draws without error and returns
what it drew into with the titles the notebook shows; each widget helper builds its controls around the drawing
function it is given."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rnnlib.viz import bptt, optimizers  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_contribution_bars():
    local, carried = np.full(5, 0.3), np.array([1e-12, 0.01, 0.05, 0.2, 0.0])
    ax = bptt.contribution_bars(local, carried, source=4, scale=1.0)
    assert isinstance(ax, Axes) and ax.get_yscale() == "log" and len(ax.patches) == 10
    assert ax.get_title() == "The loss term of step 4 on its way back (Wh = 1.0 x orthogonal)"
    assert min(p.get_height() for p in ax.patches) == 1e-8         # values below the floor sit on it


def test_gradient_error_map():
    analytic = np.array([[1.0, -2.0], [0.5, 0.0]])
    fig = bptt.gradient_error_map(analytic, analytic + 1e-9, np.full((2, 2), 1e-9), "dWh", "analytic (buggy)")
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes[:3]] == ["dWh: analytic (buggy)", "dWh: finite differences",
                                                      "log10 relative error (worst 1.0e-09)"]


def test_loss_curve():
    ax = optimizers.loss_curve(np.geomspace(1.4, 0.01, 20), "hello", guess_label="uniform guessing, log 4")
    assert ax.get_title() == "hello" and ax.get_yscale() == "log" and ax.get_legend() is not None
    ax = optimizers.loss_curve(np.ones(3), "no legend", ylim=(1e-4, 10))
    assert ax.get_legend() is None and ax.get_ylim() == (1e-4, 10)


def test_widgets_call_the_drawing_function_with_the_defaults():
    calls = []
    bptt.contribution_widget(lambda scale, source: calls.append((scale, source)), 12)
    bptt.error_map_widget(lambda function, key, T, h0_zero: calls.append((function, key, T, h0_zero)), ["Wx", "Wh"])
    optimizers.optimizer_widget(lambda optimizer, log10_lr, steps: calls.append((optimizer, log10_lr, steps)),
                                {"SGD": None, "Adam": None})
    assert calls == [(1.0, 12), ("buggy", "Wh", 4, False), ("Adam", -1.0, 150)]
