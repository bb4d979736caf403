import pathlib
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]
BIN = pathlib.Path(sys.executable).parent  # nbgrader and jupyter live beside this python
ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir() and not p.name.startswith("."))


@pytest.fixture
def rng():
    import numpy as np

    return np.random.default_rng(1234)
