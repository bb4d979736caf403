"""Every picture and live display of the notebooks (matplotlib only).

    draw.py       the shared primitives: colours by role, new axes, a box, an arrow
    tables.py     tables of numbers as labelled colour grids: one-hot rows, next-character counts and
                  probabilities, an accuracy grid (01, 02)
    windows.py    how far the fixed-window network sees: accuracy against window size and distance (01)
    bptt.py       backpropagation through time: one loss term carried back, analytic against numeric gradients,
                  and the widgets that drive them (03)
    optimizers.py loss curves of short training runs and the optimiser widget (03)
    gradients.py  how the gradient fades back through a tanh RNN: |dL/dh_t| curves and the activation lab (04)
    distance.py   accuracy against the distance to remember, one curve per kind of model (04, 05)
    rnn.py        the unrolled RNN, the input/output shapes, hidden states as heatmaps and bars (02, 03)
    lstm.py       the LSTM cell diagram, gate heatmaps, and the gradient through time of RNN and LSTM (05)
    training.py   LivePlot: bits per character redrawn while a model trains (06)
    seq2seq.py    the encoder-decoder diagram and attention maps (07)
"""
