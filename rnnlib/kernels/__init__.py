"""The fast kernels: recurrences written for training speed (float32, fused gates, reused buffers).

Who uses them: the models that train in a notebook's time budget, rnnlib.models.CharLM (06) and
rnnlib.models.Seq2Seq (07). Each computes what a readable layer of rnnlib.layers computes; the tests check
it in float64 (tests/test_char_lm.py, tests/test_seq2seq.py).

    lstm.py       the LSTM time loop, forward and backward, in place
    rnn.py        the tanh RNN time loop, forward and backward, in place
    gru.py        the GRU over a sequence with a padding mask, forward and backward
    workspace.py  named buffers reused from call to call
    blas.py       blas_threads(n): how many threads numpy's BLAS may use
"""
