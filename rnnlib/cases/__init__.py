"""The visible test cases of the notebooks: inputs, expected values, and the hint tables.

One module per notebook (`nb05_lstm.py` holds notebook 05's). A visible test cell keeps its checks (the
calls of the student's function, the assertions, and the sentences of its own failures, which say what
the check is about); the numbers it checks against, and the hint tables that name a typical mistake by the
wrong value it produces ({sentence: wrong value}, {error pattern: sentence}), live here, so that the
notebook reads as a chapter and not as a wall of literals. The student still gets every hint: it is in
the message of the failing test.

    from rnnlib.cases import nb03_bptt as cases

    case = cases.affine_backward()                  # fresh arrays on every call
    dh, dW, db = call_own(temporal_affine_backward, case.dscores, case.cache)
    assert_close("dW", dW, case.dW, hints=case.dW_hints)   # {"dW only uses the last time step ...": array}

A case must hand out fresh arrays every time: the judge writes a student's in-place changes back into
the test's arrays, and one grading process judges many answers. So a module either builds each case
in a function (as above), or keeps it in a `Case`, which copies a value whenever it is read.

Only visible cases belong here: this package ships to students. Hidden cases stay in the instructor's
notebook (between ### BEGIN / END HIDDEN TESTS) and reach nobody but the grader.
"""
import copy
import types


class Case(types.SimpleNamespace):
    """A namespace of test values that hands out a fresh copy of a value each time it is read.

    A function under test that changes its input in place then cannot change the case for the next run
    of the cell, nor for the next answer judged in the same grading process (the judge writes a student's
    in-place changes back into the test's arrays). A Case inside a Case is handed out as itself, so its
    values are copied when they are read. Modules whose cases are computed (a cache from a forward pass)
    may instead build them in a function that returns a new namespace on every call.
    """

    def __getattribute__(self, name):
        value = super().__getattribute__(name)
        return value if isinstance(value, Case) or name.startswith("__") else copy.deepcopy(value)
