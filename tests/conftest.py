"""Fixtures and checks for the whole test run (the shared helpers are in tests/course.py)."""
import pytest

from rnngrader.nbgrader_main import skip_slow_iri_check

skip_slow_iri_check()      # about 2 s less in every test process that reads a notebook (see rnngrader/nbgrader_main.py)


@pytest.fixture
def rng():
    import numpy as np

    return np.random.default_rng(1234)


def pytest_collection_finish(session):
    """Refuse to run when `--dist loadgroup` silently ignores xdist_group.

    A module that grades a whole class once (test_attacks, test_bad_submissions) marks its tests with one
    xdist_group so that they share one worker and one graded class. pytest 9.2 with pytest-xdist 3.8 dropped
    the group tag without a word, the tests spread over both workers, and each worker graded the class again.
    """
    config = session.config
    if not (hasattr(config, "workerinput") and config.getvalue("loadgroup")):
        return
    lost = [item.nodeid for item in session.items
            if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
    if lost:
        raise pytest.UsageError(f"pytest-xdist ignores xdist_group with this pytest ({pytest.__version__}): "
                                f"{lost[0]} has no group tag. Install the versions pyproject.toml pins.")
