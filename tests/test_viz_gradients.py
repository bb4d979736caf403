"""Smoke tests for rnnlib.viz.gradients (04) and rnnlib.viz.distance (04, 05): each picture draws without error
and returns its Axes with the titles and legends the notebooks show; lab_widget calls the drawing function."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from rnnlib.viz import distance, gradients  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_fade_by_radius_and_by_init():
    curves = [np.geomspace(1e-3, 1, 10), np.ones(10)]
    ax = gradients.fade_by_radius([0.8, 2.0], curves, curves[::-1], T=10)
    assert isinstance(ax, Axes) and ax.get_yscale() == "log"
    assert ax.get_title() == "Gradient reaching each state of a tanh RNN, T = 10, loss on the last state"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "rho = 0.8, real states", "rho = 0.8, states at 0", "rho = 2.0, real states", "rho = 2.0, states at 0"]
    ax = gradients.fade_by_init(["gaussian", "identity"], curves, curves)
    assert len(ax.lines) == 4 and ax.lines[2].get_color() == "tab:purple"


def test_fade_lab_and_its_widget():
    ax = gradients.fade_lab(np.geomspace(1e-400 + 1e-20, 1, 5), rho=1.5, rms_slope=0.5, T=5, activation="tanh")
    assert ax.get_title().startswith("tanh, rho = 1.50, T = 5") and len(ax.lines) == 3
    calls = []
    gradients.lab_widget(lambda rho, T, activation: calls.append((rho, T, activation)), {"tanh": 0, "ReLU": 1})
    assert calls == [(1.0, 60, "tanh")]


def test_accuracy_sweep():
    acc = np.array([[1.0, 0.9], [0.3, 0.25]])
    ax = distance.accuracy_sweep([2, 30], [("RNN", acc), ("LSTM", acc)], title="sweep")
    assert ax.get_title() == "sweep" and ax.get_ylim() == (0, 1.05)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["RNN", "LSTM", "chance (1/4)"]
    ax = distance.accuracy_sweep([2, 30], [("IRNN", acc)], chance_label="chance", xlabel="distance d")
    assert ax.get_xlabel() == "distance d" and ax.get_title() == ""
