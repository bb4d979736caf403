"""Text data for character models: the offline corpus, a vocabulary, splits, a baseline.

The default corpus is the English documentation that ships with every
CPython (`pydoc_data.topics`, about 465 KB): real prose and code, no download.
Any UTF-8 text file works too: `load_corpus("my_book.txt")`.
"""
import collections
import pathlib

import numpy as np


def load_corpus(path=None):
    """Return the training text.

    Inputs:
    - path: None for the built-in Python documentation corpus, or the path of a
      UTF-8 text file.

    Returns: str.
    """
    if path is None:
        from pydoc_data.topics import topics

        return "\n\n".join(topics[key] for key in sorted(topics))
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load_corpus: no file at {path}; pass None for the built-in corpus.")
    text = path.read_text(encoding="utf-8")
    if len(text) < 2:
        raise ValueError(f"load_corpus: {path} holds {len(text)} characters; a model needs more text than that.")
    return text


class Vocabulary:
    """A bijection between characters and integer ids 0..V-1 (sorted by character).

        vocab = Vocabulary("hello")     # chars: e h l o
        ids = vocab.encode("hell")      # array([1, 0, 2, 2])
        vocab.decode(ids)               # 'hell'
    """

    def __init__(self, text):
        if not text:
            raise ValueError("Vocabulary: the text is empty.")
        self.chars = sorted(set(text))
        self.index = {ch: k for k, ch in enumerate(self.chars)}

    def __len__(self):
        return len(self.chars)

    def __repr__(self):
        preview = "".join(self.chars[:30]).replace("\n", "\\n")
        return f"Vocabulary({len(self)} characters: {preview!r}{'...' if len(self) > 30 else ''})"

    def encode(self, text):
        """str of length L -> int64 array (L,). Unknown characters raise a KeyError naming them."""
        unknown = sorted(set(text) - self.index.keys())
        if unknown:
            raise KeyError(f"Vocabulary.encode: characters not in the vocabulary: {unknown[:10]}")
        return np.fromiter((self.index[ch] for ch in text), dtype=np.int64, count=len(text))

    def decode(self, ids):
        """Sequence of ids -> str."""
        return "".join(self.chars[int(k)] for k in ids)


def train_val_split(ids, val_fraction=0.1):
    """Split a stream of ids into a training head and a validation tail.

    The split is contiguous, not shuffled: shuffling characters would leak
    every validation sentence into training.
    Returns: (train_ids, val_ids).
    """
    if not 0 < val_fraction < 1:
        raise ValueError(f"train_val_split: val_fraction must be in (0, 1), got {val_fraction}.")
    cut = int(round(len(ids) * (1 - val_fraction)))
    return ids[:cut], ids[cut:]


def unigram_bits_per_char(train_ids, eval_ids, vocab_size):
    """Cross-entropy, in bits per character, of the character frequencies of
    train_ids used as a predictor of eval_ids (add-one smoothing). Any model
    that uses context should beat this number.
    """
    counts = np.bincount(np.asarray(train_ids), minlength=vocab_size).astype(np.float64) + 1.0
    logp = np.log2(counts / counts.sum())
    return float(-logp[np.asarray(eval_ids)].mean())


def char_counts(text):
    """collections.Counter of the characters of text."""
    return collections.Counter(text)
