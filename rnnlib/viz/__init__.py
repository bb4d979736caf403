"""Every picture and live display of the notebooks (matplotlib only).

    draw.py       the shared primitives: colours by role, new axes, a box, an arrow
    rnn.py        the unrolled RNN, the input/output shapes, hidden states as heatmaps and bars (02, 03)
    lstm.py       the LSTM cell diagram and gate heatmaps (05)
    training.py   LivePlot: bits per character redrawn while a model trains (06)
    seq2seq.py    the encoder-decoder diagram and attention maps (07)
"""
