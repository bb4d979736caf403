"""The readable layers: float64 forward/backward pairs, written the way the notebooks derive them.

Who uses them: the notebooks (these are the reference answers of the exercises, so that a later notebook
can build on an earlier one), the models' tests (every fast kernel is checked against the layer it speeds up),
and the small models of notebooks 04 and 05 (rnnlib.models.cells).

    encoding.py   one_hot
    softmax.py    softmax, log_softmax
    affine.py     affine and temporal affine layers
    rnn.py        the tanh RNN: step and sequence, forward and backward
    lstm.py       sigmoid; the LSTM step and sequence (zero initial cell state, the exercises), and the LSTM layer
                  from any initial (h0, c0) that models use
    gru.py        the GRU: step and sequence, forward and backward
    attention.py  dot-product attention with padding masks
    loss.py       temporal_softmax_loss (one prediction per time step), softmax_cross_entropy (one per example)
"""
