"""Is the grading machinery still the one the notebook started with?

A test cell trusts numpy, Python's builtins, rnnlib's reference functions and
the helpers in rnnlib.grading. A notebook can replace any of them
(`np.allclose = lambda *a, **k: True`, `rnnlib.rnn_forward = rnn_forward`,
`def assert_close(*args): pass`), and then a wrong answer would pass.

`snapshot()` runs once, when rnnlib is imported (the notebook's locked first
cell, before any student code). It records every public function and class of
the watched modules, and the code of every Python function among them.
`check()` compares the present with that record and fails with a message that
names what was replaced. Every grading helper calls `check()` before it
judges anything, so a test cell cannot pass on a replaced yardstick.

This is the in-kernel half of the defence. The other half, outside the kernel
and out of the notebook's reach, is rnnlib/tampering.py: the autograder
disables such statements before the notebook runs.
"""
import builtins
import math  # noqa: F401  (loaded so that it is watched)
import os
import sys
import types

import numpy.linalg  # noqa: F401
import numpy.random  # noqa: F401
import numpy.testing  # noqa: F401

WATCHED = ("numpy", "numpy.linalg", "numpy.random", "numpy.testing", "math")
# Builtins a test leans on. Not all of them: Jupyter itself swaps some (input, getpass) at every cell.
BUILTINS = ("abs", "all", "any", "bool", "callable", "dict", "enumerate", "float", "getattr", "hasattr", "int",
            "isinstance", "issubclass", "iter", "len", "list", "map", "max", "min", "next", "range", "repr",
            "round", "set", "sorted", "str", "sum", "tuple", "type", "zip", "AssertionError", "Exception")
SYS_FUNCTIONS = ("setprofile", "getprofile", "settrace", "gettrace")
HELPERS = ("assert_close", "assert_shape", "assert_true", "unpack", "call_own", "forbid_reference", "needs",
           "fail", "GradingError")

_record = []          # (module, name, object, code, defaults) as snapshot() saw them
_module_ids = {}      # module name -> the module object itself
_helpers = {}         # helper name -> genuine object
_shadowed = []        # watched modules loaded from the notebook's own folder (a submitted numpy.py ...)


class TamperingError(AssertionError):
    """The notebook replaced something the tests rely on."""


def _is_watched(obj):
    return callable(obj) or isinstance(obj, types.ModuleType)


def _watched_modules():
    names = list(WATCHED) + sorted(n for n in sys.modules if n == "rnnlib" or n.startswith("rnnlib."))
    return [(n, sys.modules[n]) for n in names if n in sys.modules]


def snapshot():
    """Record the present state as the genuine one (idempotent: only the first call counts)."""
    if _record:
        return
    from . import grading   # watched like the rest of rnnlib

    here = os.path.realpath(os.getcwd())
    for modname, module in _watched_modules():
        _module_ids[modname] = module
        path = os.path.realpath(getattr(module, "__file__", None) or os.sep)
        # numpy.py or numpy/__init__.py right beside the notebook: a submitted file stands in for the real one
        if not modname.startswith("rnnlib") and here in (os.path.dirname(path), os.path.dirname(os.path.dirname(path))):
            _shadowed.append(f"{modname} is loaded from the notebook's folder ({os.path.basename(path)})")
        for name, obj in list(vars(module).items()):
            if name.startswith("_") or not _is_watched(obj):
                continue
            _record.append((modname, name, obj, getattr(obj, "__code__", None), getattr(obj, "__defaults__", None)))
    for name in SYS_FUNCTIONS:
        _record.append(("sys", name, getattr(sys, name), None, None))
    for name in BUILTINS:
        _record.append(("builtins", name, getattr(builtins, name), None, None))
    _module_ids["sys"], _module_ids["builtins"] = sys, builtins
    _helpers.update({name: getattr(grading, name) for name in HELPERS})


def changes():
    """Human-readable list of what differs from the snapshot (empty when all is genuine)."""
    found = list(_shadowed)
    for modname, module in _module_ids.items():
        if sys.modules.get(modname) is not module:
            found.append(f"the module {modname} itself was replaced in sys.modules")
    for modname, name, obj, code, defaults in _record:
        now = getattr(_module_ids[modname], name, None)
        if now is not obj:
            found.append(f"{_short(modname)}.{name} was replaced")
        elif code is not None and (getattr(obj, "__code__", None) is not code
                                   or getattr(obj, "__defaults__", None) is not defaults):
            found.append(f"the code of {_short(modname)}.{name} was changed")
    main = sys.modules.get("__main__")
    for name, genuine in _helpers.items():
        mine = getattr(main, name, genuine)
        if mine is not genuine:
            found.append(f"the grading helper {name} was redefined in the notebook")
    return found


def _short(modname):
    return {"numpy": "np", "numpy.linalg": "np.linalg", "numpy.random": "np.random",
            "numpy.testing": "np.testing"}.get(modname, modname)


def check():
    """Fail if anything the tests rely on was replaced since snapshot()."""
    if not _record:
        return
    found = changes()
    if found:
        shown = "; ".join(found[:3]) + (f"; and {len(found) - 3} more" if len(found) > 3 else "")
        raise TamperingError(
            f"The tests cannot be trusted in this notebook: {shown}. Remove the code that does this "
            "(and pick other names for your own helpers), restart the kernel and run all cells again."
        )

