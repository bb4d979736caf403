"""The offline corpus, the vocabulary and the unigram baseline."""
import numpy as np
import pytest

from rnnlib.data.text import load_corpus, train_val_split, unigram_bits_per_char, Vocabulary


def test_builtin_corpus_is_real_prose():
    text = load_corpus()
    assert 400_000 < len(text) < 600_000
    assert "the" in text and "def " in text


def test_corpus_from_a_file(tmp_path):
    (tmp_path / "t.txt").write_text("hello world", encoding="utf-8")
    assert load_corpus(tmp_path / "t.txt") == "hello world"
    with pytest.raises(FileNotFoundError, match="no file at"):
        load_corpus(tmp_path / "missing.txt")


def test_vocabulary_round_trip():
    vocab = Vocabulary("hello")
    assert vocab.chars == ["e", "h", "l", "o"] and len(vocab) == 4
    ids = vocab.encode("hello")
    assert ids.tolist() == [1, 0, 2, 2, 3] and ids.dtype == np.int64
    assert vocab.decode(ids) == "hello"
    with pytest.raises(KeyError, match=r"\['z'\]"):
        vocab.encode("zoo")


def test_split_is_contiguous():
    train, val = train_val_split(np.arange(100), 0.1)
    assert train.tolist() == list(range(90)) and val.tolist() == list(range(90, 100))


def test_unigram_baseline():
    ids = np.array([0, 1] * 50)
    assert unigram_bits_per_char(ids, ids, 2) == pytest.approx(1.0)
    text = load_corpus()
    vocab = Vocabulary(text)
    train, val = train_val_split(vocab.encode(text))
    assert 4.3 < unigram_bits_per_char(train, val, len(vocab)) < 5.0
