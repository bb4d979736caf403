"""The models the notebooks train: each holds its parameters and has a loss with gradients.

    mlp.py             MLPClassifier: a feed-forward net on a fixed window (01)
    cells.py           RNNCell, ReLURNNCell, LSTMCell, GRUCell and their initial weights (04, 05)
    rnn_classifier.py  RNNClassifier: read a sequence, name one class at the end (04, 05)
    char_lm.py         CharLM: the fast character language model, save / load (06)
    seq2seq.py         Seq2Seq: a GRU encoder-decoder with optional attention (07)
    init_weights.py    random orthogonal matrices, which recurrent weights start from
"""
