"""Long-range synthetic tasks (rnnlib.data.long_range)."""
import numpy as np
import pytest

from rnnlib.data.long_range import agreement_task, first_symbol_task, LongRangeTask, MIDDLE, NOUNS


def test_first_symbol_task_layout():
    task = first_symbol_task(600, 7, n_keys=3, n_fillers=5, rng=0)
    assert isinstance(task, LongRangeTask)
    assert task.ids.shape == (600, 8) and task.labels.shape == (600,)
    assert task.ids.dtype == np.int64 and task.labels.dtype == np.int64
    assert task.vocab_size == 8 and task.n_classes == 3 and task.distance == 7
    assert task.chance == pytest.approx(1 / 3)
    np.testing.assert_array_equal(task.ids[:, 0], task.labels)            # the key comes first ...
    assert np.all((task.ids[:, 1:] >= 3) & (task.ids[:, 1:] < 8))         # ... then only fillers
    assert np.bincount(task.labels, minlength=3).min() > 150                # balanced classes
    assert set(np.unique(task.ids[:, 1:])) == set(range(3, 8))
    assert task.decode(0).endswith("-> " + task.classes[task.labels[0]])
    assert task.decode(0).split()[0] == task.classes[task.labels[0]]


def test_first_symbol_task_distance_zero_and_seeding():
    task = first_symbol_task(5, 0, rng=3)
    assert task.ids.shape == (5, 1)
    again = first_symbol_task(5, 0, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(task.ids, again.ids)


def test_agreement_task_layout_and_labels():
    task = agreement_task(1000, 6, rng=1)
    assert task.ids.shape == (1000, 8) and task.classes == ["was", "were"]
    assert task.chance == 0.5
    words = np.array(task.vocab)
    assert np.all(words[task.ids[:, 0]] == "the")
    singular = {s for s, _ in NOUNS}
    plural = {p for _, p in NOUNS}
    subjects = words[task.ids[:, 1]]
    assert all((s in plural) == bool(y) for s, y in zip(subjects, task.labels))
    assert all(s in singular | plural for s in subjects)
    assert set(words[task.ids[:, 2:]].ravel()) == set(MIDDLE)                # attractors included
    assert 400 < task.labels.sum() < 600
    assert len(set(task.vocab)) == task.vocab_size


@pytest.mark.parametrize("call, words", [
    (lambda: first_symbol_task(0, 3), "n must"),
    (lambda: first_symbol_task(5, -1), "distance"),
    (lambda: first_symbol_task(5, 2.5), "distance"),
    (lambda: first_symbol_task(5, 3, n_keys=1), "n_keys"),
    (lambda: first_symbol_task(5, 3, n_keys=9), "n_keys"),
    (lambda: first_symbol_task(5, 3, n_fillers=13), "n_fillers"),
    (lambda: agreement_task(5, -2), "distance"),
])
def test_bad_sizes_are_rejected(call, words):
    with pytest.raises(ValueError, match=words):
        call()
