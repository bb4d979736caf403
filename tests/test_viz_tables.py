"""Smoke tests for rnnlib.viz.tables and rnnlib.viz.windows (01, 02): each draws without error and returns what
it drew into, with the titles and labels the notebooks show."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rnnlib.viz import tables, windows  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_one_hot_table():
    ax = tables.one_hot_table(np.eye(4)[[1, 0, 2, 2, 3]], list("ehlo"), "hello")
    assert isinstance(ax, Axes) and ax.get_title() == "one_hot('hello')"
    assert [t.get_text() for t in ax.get_yticklabels()] == list("hello")


def test_next_char_table_writes_every_probability():
    P = np.full((3, 3), 1 / 3)
    ax = tables.next_char_table(P, list("abc"), "learned")
    assert ax.get_title() == "learned"
    assert [t.get_text() for t in ax.texts] == ["0.33"] * 9


def test_count_tables_write_only_non_zero_counts():
    counts = np.array([[0, 2], [1, 0]])
    fig = tables.count_tables([(counts, list("ab")), (counts, [" ", "\n"])], ["'ab'", "a sentence " * 4])
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["1", "2"]
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == ["␣", "\\n"]
    assert fig.axes[0].title.get_fontsize() > fig.axes[1].title.get_fontsize() == 9


def test_accuracy_grid_and_probability_table():
    ax = tables.accuracy_grid(np.array([[0.2, 0.9], [1.0, 0.25]]), [1, 2], [0, 5])
    assert ax.get_title() == "test accuracy (chance = 0.25)" and len(ax.texts) == 4
    ax.figure.canvas.draw()
    ax = tables.probability_table(np.full((4, 4), 0.25), list("dogs"), [f"after '{c}'" for c in "dogs"],
                                  targets=[1, 2, 3], title="P(next letter)")
    assert ax.get_title() == "P(next letter)" and len(ax.patches) == 3 and len(ax.texts) == 16


def test_accuracy_by_window_and_distance():
    ax = windows.accuracy_by_window([1, 2, 3], [0.3, 0.5, 0.7], [0.28, 0.4, 0.35])
    assert isinstance(ax, Axes) and len(ax.lines) == 2
    ax = windows.accuracy_by_distance(range(6), np.linspace(1, 0.2, 6), trained=(0, 3))
    assert ax.get_xlabel() == "distance at test time (trained on 0 to 3)"
    assert [p.get_facecolor() for p in ax.patches][3] != [p.get_facecolor() for p in ax.patches][4]
