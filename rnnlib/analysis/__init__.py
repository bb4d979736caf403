"""Looking inside: gradients checked and followed through time, gates, how far back a model remembers.

    gradcheck.py      numerical gradients, reported in words (every notebook that writes a backward pass)
    gradient_flow.py  how a gradient travels back through the states: tanh RNN (04), any classifier cell (05)
    gates.py          the gate activations of an LSTM, from its cache (05)
    distance.py       accuracy_vs_distance: train a classifier per dependency distance (04, 05)
"""
