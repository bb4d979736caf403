"""Synthetic tasks whose answer depends on something far back in the sequence.

Each generator takes the dependency distance d (how many tokens separate the
clue from the point where the answer is due) and an `rng`, and returns a
`LongRangeTask`: integer token ids (n, T), one class label per sequence (n,),
and the words behind the ids and the labels. A model reads the whole sequence
and must name the class after the last token (a many-to-one problem).

- first_symbol_task: [key, filler_1, ..., filler_d] -> which key came first.
  Chance level is 1 / n_keys.
- country_language_task: "Italy she grew up ..." -> "Italian": the language of the country the
  sequence starts with (notebook 01's task; plain arrays, not a LongRangeTask). Chance is 1 / n_keys.
- agreement_task: "the artists <d words> ..." -> "were" (or "the artist" ->
  "was"). The words in between include nouns of either number (attractors),
  so guessing from the most recent noun is no better than chance (1 / 2).

    task = first_symbol_task(1000, distance=10, rng=0)
    task.ids.shape, task.labels.shape      # (1000, 11), (1000,)
    task.chance                            # 0.25
    task.decode(0)                         # 'C h e f ... -> C'
"""
from dataclasses import dataclass

import numpy as np

from ..validation import as_count, as_rng

KEYS = ["A", "B", "C", "D", "E", "F", "G", "H"]
FILLERS = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]

# (singular, plural) subject nouns; the verb that must agree with them.
NOUNS = [("artist", "artists"), ("dog", "dogs"), ("key", "keys"), ("teacher", "teachers"),
         ("child", "children"), ("house", "houses")]
VERBS = ["was", "were"]
# Words that can stand between the subject and its verb; the nouns here are attractors.
MIDDLE = ["near", "the", "old", "with", "who", "saw", "in", "a", "big", "red", "of", "that",
          "painter", "painters", "cabinet", "cabinets", "friend", "friends"]


@dataclass(frozen=True)
class LongRangeTask:
    """A batch of many-to-one sequences.

    Attributes:
    - ids: int64 (n, T) token ids in [0, len(vocab)).
    - labels: int64 (n,) class labels in [0, len(classes)).
    - vocab: list of words, vocab[i] is the word of token id i.
    - classes: list of class names, classes[c] is the name of label c.
    - distance: number of tokens between the clue and the end of the sequence.
    """
    ids: np.ndarray
    labels: np.ndarray
    vocab: list
    classes: list
    distance: int

    @property
    def vocab_size(self):
        return len(self.vocab)

    @property
    def n_classes(self):
        return len(self.classes)

    @property
    def chance(self):
        """Accuracy of guessing: 1 / number of classes (both tasks have balanced classes)."""
        return 1.0 / len(self.classes)

    def decode(self, k):
        """Sequence k as text, with its answer: 'the artists near old ... -> were'."""
        return " ".join(self.vocab[i] for i in self.ids[k]) + " -> " + self.classes[self.labels[k]]






def first_symbol_task(n, distance, n_keys=4, n_fillers=8, rng=None):
    """Remember the first symbol: [key, filler_1, ..., filler_distance] -> key.

    Vocabulary: ids 0 .. K-1 are the keys "A", "B", ...; ids K .. K+F-1 are the
    fillers "a", "b", ..., drawn uniformly at random. The label is the key's
    index, so the classes are the keys themselves.

    Inputs:
    - n: number of sequences (>= 1).
    - distance: d >= 0, the number of fillers after the key; T = d + 1.
    - n_keys: K in 2 .. 8, the number of classes (chance = 1 / K).
    - n_fillers: F in 1 .. 12.
    - rng: np.random.Generator or int seed (None: unseeded).

    Returns:
    - LongRangeTask with ids (n, d + 1), labels (n,) in [0, K).
    """
    ids, labels = _key_then_fillers("first_symbol_task", n, distance, n_keys, n_fillers, len(KEYS), len(FILLERS),
                                    first_filler=n_keys, rng=rng)
    return LongRangeTask(ids, labels, KEYS[:n_keys] + FILLERS[:n_fillers], KEYS[:n_keys], distance)


def _key_then_fillers(where, n, distance, n_keys, n_fillers, max_keys, max_fillers, first_filler, rng):
    """(ids (n, distance + 1), keys (n,)): a random key id in [0, n_keys) at the start of each row, then
    `distance` filler ids drawn from [first_filler, first_filler + n_fillers). The arguments are checked
    with `where` named in the errors."""
    n = as_count(where, "n", n)
    distance = as_count(where, "distance", distance, 0)
    n_keys = as_count(where, "n_keys", n_keys, 2, max_keys)
    n_fillers = as_count(where, "n_fillers", n_fillers, 1, max_fillers)
    rng = as_rng(rng)
    keys = rng.integers(0, n_keys, size=n)
    fillers = rng.integers(first_filler, first_filler + n_fillers, size=(n, distance))
    return np.concatenate([keys[:, None], fillers], axis=1).astype(np.int64), keys.astype(np.int64)


def agreement_task(n, distance, rng=None):
    """Subject-verb agreement: "the artists <distance words> ..." -> "were".

    Each sequence is ["the", subject, w_1, ..., w_distance]; the subject is a
    singular or plural noun (each with probability 1/2) and w_k are drawn
    uniformly from MIDDLE, which contains singular and plural attractor nouns.
    The label is 0 ("was") for a singular subject and 1 ("were") for a plural one.

    Inputs:
    - n: number of sequences (>= 1).
    - distance: d >= 0, the number of words between the subject and the verb; T = d + 2.
    - rng: np.random.Generator or int seed.

    Returns:
    - LongRangeTask with ids (n, d + 2), labels (n,) in {0, 1}, classes ["was", "were"].
    """
    where = "agreement_task"
    n = as_count(where, "n", n)
    distance = as_count(where, "distance", distance, 0)
    rng = as_rng(rng)
    vocab = ["the"] + [w for pair in NOUNS for w in pair] + [w for w in MIDDLE if w != "the"]
    index = {w: i for i, w in enumerate(vocab)}
    middle = np.array([index[w] for w in MIDDLE])
    labels = rng.integers(0, 2, size=n)
    nouns = rng.integers(0, len(NOUNS), size=n)
    subjects = 1 + 2 * nouns + labels  # vocab layout: "the", then (singular, plural) pairs
    words = middle[rng.integers(0, len(middle), size=(n, distance))]
    ids = np.concatenate([np.zeros((n, 1), dtype=np.int64), subjects[:, None], words], axis=1).astype(np.int64)
    return LongRangeTask(ids, labels.astype(np.int64), vocab, list(VERBS), distance)


COUNTRIES = ["Italy", "France", "Japan", "Brazil", "Germany", "Kenya",
             "Greece", "Turkey", "Poland", "Mexico", "Finland", "Egypt"]


LANGUAGES = ["Italian", "French", "Japanese", "Portuguese", "German", "Swahili",
             "Greek", "Turkish", "Polish", "Spanish", "Finnish", "Arabic"]


WORDS = ["she", "grew", "up", "then", "moved", "to", "a", "big", "city", "and", "works",
           "as", "nurse", "loves", "music", "cooks", "well", "reads", "books", "every",
           "day", "walks", "her", "dog"]


def country_language_task(n, distance, n_keys=4, n_fillers=8, rng=None):
    """Sequences whose answer depends on a token `distance` steps back.

    Vocabulary (V = 2 * n_keys + n_fillers token ids):
    - 0 .. K-1:          countries (the keys),
    - K .. 2K-1:         languages (the answers), language K + k belongs to country k,
    - 2K .. 2K+F-1:      filler words, drawn uniformly at random.

    Each sequence is [country, filler_1, ..., filler_distance]; after reading it
    a model must predict the language of the country. A model that never sees
    the country can do no better than chance, 1 / n_keys.

    Inputs:
    - n: number of sequences.
    - distance: number of filler tokens between the country and the prediction (>= 0).
    - n_keys: K, number of countries (2 .. 12).
    - n_fillers: F, number of filler words (1 .. 24).
    - rng: np.random.Generator or int seed (None: unseeded).

    Returns:
    - ids: int64 array (n, distance + 1), the input sequences.
    - targets: int64 array (n,), the language token id K + k for country k.
    - words: list of V strings, words[i] is the word for token id i.
    """
    ids, keys = _key_then_fillers("country_language_task", n, distance, n_keys, n_fillers, len(COUNTRIES),
                                  len(WORDS), first_filler=2 * n_keys, rng=rng)
    n_keys = int(n_keys)
    targets = n_keys + keys
    words = COUNTRIES[:n_keys] + LANGUAGES[:n_keys] + WORDS[:n_fillers]
    return ids, targets, words
