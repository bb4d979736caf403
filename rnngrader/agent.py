"""Inside the sandboxed kernel: calls the student's functions for the judge.

The grader runs each submission in a kernel inside the sandbox. After the notebook has run, it asks
the kernel to `serve()`: the agent connects to the judge's socket and, for every call the judge's
test code makes, decodes the arguments (plain data, see wire.py), calls the student's function,
and sends back its result and any change it made to its arguments in place.

Nothing here is trusted. The agent runs in the same process as the student's code, which can
replace any of it; the judge treats whatever comes back as data to be checked, never as a verdict.
It is still written to be right for an honest notebook, and to report clearly what it could not do:
a function that is missing, a result that is not plain data, a call of the rnnlib reference.

Before each test cell runs, `freeze(key, names)` records the functions the cell's tests will call,
as they are at that point of the notebook, so a function redefined further down is judged as the
test cell saw it.
"""
import contextlib
import socket
import warnings

import numpy as np

from . import wire

_frozen = {}            # test cell key -> {name: object as it was when that cell ran}
_MISSING = object()


def _namespace():
    from IPython import get_ipython

    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def freeze(key, names, namespace=None):
    """Remember what `names` refer to now (in the notebook, or in `namespace`), for the test cell `key`."""
    ns = _namespace() if namespace is None else namespace
    _frozen[key] = {name: ns.get(name, _MISSING) for name in names}


def _lookup(key, name):
    if key in _frozen and name in _frozen[key]:
        return _frozen[key][name]
    return _namespace().get(name, _MISSING)


def _own_references(ns):
    """Names of rnnlib reference functions that this notebook defines itself (its exercises)."""
    try:
        from rnnlib.grading import references_written_here
    except Exception:
        return ()
    return references_written_here(ns)


class _Session:
    def __init__(self, sock):
        self.sock = sock
        self.forbid = None        # rnnlib references the notebook defines itself: none may be called

    def send(self, message, encoder=None):
        wire.send(self.sock, message, encoder or wire.Encoder())

    def serve(self):
        while True:
            header, buffers = wire.receive(self.sock)
            op = header.get("op")
            if op == "bye":
                return
            if op == "describe":
                self.describe(header)
            elif op == "call":
                self.call(header, buffers)
            else:
                self.send({"op": "error", "kind": "protocol", "type": "WireError",
                           "message": f"unexpected {str(op)[:40]!r}"})

    def describe(self, header):
        value = _lookup(header.get("key"), header.get("name"))
        if value is _MISSING:
            self.send({"op": "described", "kind": "missing"})
        elif callable(value):
            try:
                import inspect

                params = list(inspect.signature(value).parameters)
            except (TypeError, ValueError):
                params = []
            self.send({"op": "described", "kind": "function", "params": params[:50]})
        else:
            encoder = wire.Encoder()
            try:
                self.send({"op": "described", "kind": "value", "value": encoder.encode(value, header.get("name"))},
                          encoder)
            except wire.NotPlainData as e:
                self.send({"op": "described", "kind": "not_plain", "what": e.what})

    def call(self, header, buffers):
        name = header.get("name")
        fn = _lookup(header.get("key"), name)
        if fn is _MISSING or not callable(fn):
            kind = "missing" if fn is _MISSING else "not_callable"
            self.send({"op": "error", "kind": kind, "type": "NameError", "message": name})
            return
        decoder = wire.Decoder(buffers, callback=self.callback_stub)
        try:
            args = decoder.decode(header.get("args"))
            kwargs = decoder.decode(header.get("kwargs"))
        except wire.WireError as e:
            self.send({"op": "error", "kind": "protocol", "type": "WireError", "message": str(e)})
            return
        tracked = decoder.refs
        before = {k: _snapshot(v) for k, v in tracked.items()}
        # the judge's numpy error state and warning filters hold around the call, as if it ran there;
        # they are sent when they change, and stay in force in this kernel until then
        if isinstance(header.get("errstate"), dict):
            with contextlib.suppress(TypeError, ValueError, KeyError):
                np.seterr(**header["errstate"])
        if isinstance(header.get("filters"), list):
            _apply_filters(header["filters"])
        if self.forbid is None:
            self.forbid = _own_references(_namespace())
        repeat = header.get("repeat")
        error = None
        try:
            if isinstance(repeat, int) and not isinstance(repeat, bool) and 0 <= repeat <= 10**7:
                result = [_call_watched(fn, args, kwargs, self.forbid) for _ in range(repeat)]
            else:
                result = _call_watched(fn, args, kwargs, self.forbid)
        except _ReferenceCalled as e:
            error = {"op": "error", "kind": "reference", "type": "ReferenceCalled", "message": e.name}
        except BaseException as e:  # noqa: BLE001  (whatever the student's code raised, SystemExit included)
            error = {"op": "error", "kind": "raised", "type": type(e).__name__, "message": str(e)[:4000]}
        refs = {id(v): k for k, v in tracked.items()}
        encoder = wire.Encoder(refs=refs, known_callables=self.stub_ids)
        try:
            value = None if error else encoder.encode(result, f"what {name} returned")
            changed = []    # what the function changed in its arguments, also when it raised afterwards
            for k, obj in tracked.items():
                if _changed(obj, before[k]):
                    changed.append([k, encoder.by_value(obj, f"argument {k} of {name} after the call")])
        except wire.NotPlainData as e:
            self.send({"op": "error", "kind": "not_plain", "type": "NotPlainData", "message": e.what})
            return
        if error:
            self.send({**error, "changed": changed}, encoder)
        else:
            self.send({"op": "result", "value": value, "changed": changed}, encoder)

    # --- callbacks: the judge's functions, called from the student's code ---

    stub_ids = {}

    def callback_stub(self, index):
        session = self

        def callback(*args, **kwargs):
            encoder = wire.Encoder(known_callables=session.stub_ids)
            message = {"op": "callback", "id": index, "args": encoder.encode(args, "the arguments"),
                       "kwargs": encoder.encode(kwargs, "the keyword arguments")}
            session.send(message, encoder)
            while True:
                header, buffers = wire.receive(session.sock)
                op = header.get("op")
                if op == "callback_result":
                    return wire.Decoder(buffers, callback=session.callback_stub).decode(header.get("value"))
                if op == "callback_error":
                    raise RuntimeError(wire.safe_text(header.get("message")))
                if op == "call":             # the judge calls the student again while in the callback
                    session.call(header, buffers)
                    continue
                raise RuntimeError("the grader stopped the call")

        self.stub_ids = {**self.stub_ids, id(callback): index}
        callback.__name__ = f"grader_callback_{index}"
        return callback


class _ReferenceCalled(Exception):
    def __init__(self, name):
        super().__init__(name)
        self.name = name


def _call_watched(fn, args, kwargs, forbid):
    """Call fn; a call of the rnnlib reference of one of `forbid` raises _ReferenceCalled."""
    if not forbid:
        return fn(*args, **kwargs)
    import rnnlib.grading as grading

    try:
        with grading.forbid_reference(*forbid):
            return fn(*args, **kwargs)
    except grading.ReferenceCalled as e:
        raise _ReferenceCalled(getattr(e, "reference", None) or forbid[0]) from None


def _apply_filters(filters):
    import builtins

    warnings.resetwarnings()
    for entry in reversed(filters):
        if not (isinstance(entry, list) and len(entry) == 5):
            continue
        action, category, message, module, lineno = entry
        cls = getattr(builtins, category, None) if isinstance(category, str) else None
        if not (isinstance(cls, type) and issubclass(cls, Warning)):
            continue
        try:
            warnings.filterwarnings(action, message=message or "", category=cls, module=module or "",
                                    lineno=lineno if isinstance(lineno, int) else 0)
        except (ValueError, TypeError, AssertionError):
            continue


def _snapshot(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, np.random.Generator):
        return value.bit_generator.state
    return None


def _changed(value, before):
    if isinstance(value, np.ndarray):
        return value.shape != before.shape or value.dtype != before.dtype or \
            not np.array_equal(value, before, equal_nan=value.dtype.kind in "fc")
    if isinstance(value, list):
        return len(value) != len(before) or any(a is not b for a, b in zip(value, before))
    if isinstance(value, dict):
        items = list(value.items())
        return len(items) != len(before) or any(ka != kb or va is not vb for (ka, va), (kb, vb) in zip(items, before))
    if isinstance(value, np.random.Generator):
        return True
    return False


def serve(path):
    """Connect to the judge at `path` and answer its calls until it says goodbye."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    try:
        _Session(sock).serve()
    except (EOFError, ConnectionError):      # the judge went away (it stopped this cell, or grading ended)
        pass
    finally:
        sock.close()
