"""Synthetic sequence tasks and the counting baselines of notebook 01."""
import numpy as np
import pytest

from rnnlib.data.long_range import country_language_task
from rnnlib.data.windows import best_current_char_accuracy, context_count_accuracy, window_features


def test_country_language_task_layout():
    ids, targets, words = country_language_task(500, 4, n_keys=3, n_fillers=5, rng=0)
    K, F = 3, 5
    assert ids.shape == (500, 5) and targets.shape == (500,)
    assert ids.dtype == np.int64 and targets.dtype == np.int64
    assert len(words) == 2 * K + F
    assert np.all(ids[:, 0] < K)                                   # a country first
    assert np.all((ids[:, 1:] >= 2 * K) & (ids[:, 1:] < 2 * K + F))  # then fillers only
    np.testing.assert_array_equal(targets, ids[:, 0] + K)          # the language of that country
    assert words[0] == "Italy" and words[K] == "Italian"
    # every key and every filler occurs, roughly uniformly
    assert np.bincount(ids[:, 0], minlength=K).min() > 120
    assert set(np.unique(ids[:, 1:])) == set(range(2 * K, 2 * K + F))


def test_country_language_task_distance_zero_and_seeding():
    ids, targets, _ = country_language_task(10, 0, rng=3)
    assert ids.shape == (10, 1)
    again, _, _ = country_language_task(10, 0, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(ids, again)


@pytest.mark.parametrize("kwargs, words", [
    ({"n": 0, "distance": 1}, "n must"),
    ({"n": 5, "distance": -1}, "distance"),
    ({"n": 5, "distance": 1, "n_keys": 13}, "n_keys"),
    ({"n": 5, "distance": 1, "n_fillers": 0}, "n_fillers"),
])
def test_country_language_task_rejects_bad_sizes(kwargs, words):
    with pytest.raises(ValueError, match=words):
        country_language_task(**kwargs)


def test_window_features_layout():
    ids = np.array([[1, 0, 2]])
    np.testing.assert_array_equal(window_features(ids, 2, 3), [[1, 0, 0, 0, 0, 1]])
    # a window longer than the sequence: zero blocks on the left
    np.testing.assert_array_equal(window_features(ids, 4, 3), [[0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1]])
    X = window_features(np.array([[4, 1], [0, 3]]), 1, 5)
    assert X.dtype == np.float64
    np.testing.assert_array_equal(X, [[0, 1, 0, 0, 0], [0, 0, 0, 1, 0]])


def test_window_features_blocks(rng):
    N, T, V, W = 4, 6, 7, 3
    ids = rng.integers(0, V, size=(N, T))
    X = window_features(ids, W, V)
    assert X.shape == (N, W * V)
    for k in range(W):
        np.testing.assert_array_equal(X[:, k * V:(k + 1) * V].argmax(axis=1), ids[:, T - W + k])
    np.testing.assert_array_equal(X.sum(axis=1), W)


def test_window_features_errors():
    with pytest.raises(ValueError, match="index 3"):
        window_features(np.array([[0, 3]]), 2, 3)
    with pytest.raises(ValueError, match="2 dimensions"):
        window_features(np.array([0, 1]), 2, 3)
    with pytest.raises(ValueError, match="window"):
        window_features(np.array([[0, 1]]), 0, 3)


@pytest.mark.parametrize("text, expected", [
    ("hello", 3 / 4), ("aaaa", 1.0), ("abab", 1.0), ("abac", 2 / 3), ("abababac", 6 / 7), ("ab", 1.0),
])
def test_best_current_char_accuracy(text, expected):
    assert best_current_char_accuracy(text) == pytest.approx(expected)
    assert context_count_accuracy(text, 1) == pytest.approx(expected)


def test_context_count_accuracy_grows_with_the_window():
    assert context_count_accuracy("hello", 2) == 1.0
    text = "the cat sat on the mat and the rat sat on the hat"
    scores = [context_count_accuracy(text, w) for w in range(1, 6)]
    assert scores == sorted(scores) and scores[-1] > scores[0]


def test_context_count_accuracy_on_new_text():
    # contexts learned on one text, scored on another; unseen contexts fall back to the most frequent char
    assert context_count_accuracy("abababab", 1, "abab") == 1.0
    assert context_count_accuracy("abababab", 1, "xyxy") == pytest.approx(0.0)
    # "aab": 'a' is the fallback (a tie with 'b', seen first); "cca": c->c is missed, cc->a is right
    assert context_count_accuracy("aab", 2, "cca") == pytest.approx(0.5)


@pytest.mark.parametrize("bad, error", [(("a",), ValueError), ((["h", "i"],), TypeError)])
def test_text_checks(bad, error):
    with pytest.raises(error):
        best_current_char_accuracy(*bad)
