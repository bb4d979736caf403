"""Training: optimisers, clipping, the training loop and each model's use of it, and how a trained model writes.

    optim.py      SGD, Momentum, RMSProp, Adam
    clipping.py   clip_grad_norm, global_norm
    loop.py       TrainConfig and run: the one training loop (budget, lr schedule, clipping, evaluations, bar, NaN stop)
    minibatch.py  fit_minibatches: random mini-batches for the small classifiers' fit (01, 04, 05)
    char_lm.py    train a character model: lanes of truncated BPTT, bits per character, its History (06)
    seq2seq.py    train an encoder-decoder: batches of similar length, exact-match validation (07)
    sampling.py   sample_from_logits, generate: a model writes text, carrying its state (06)
    decoding.py   teacher-forcing inputs and greedy decoding (07)
"""
