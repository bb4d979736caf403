"""The data the notebooks learn from; everything is offline.

    text.py        the corpus (pydoc's topics, or any text file), a character vocabulary, the unigram baseline
    batching.py    make_batches: a text stream cut into lanes for truncated backpropagation through time (06)
    windows.py     a fixed window of context: features for a feed-forward net, and the best accuracy a predictor
                   that sees only the last few characters can reach (01)
    long_range.py  many-to-one tasks whose dependency distance grows: country -> language (01), the first
                   symbol, agreement (04, 05)
    dates.py       the date-translation set: dates in many human formats -> ISO 8601, split by date (07)
"""
