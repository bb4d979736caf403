"""Plain data across the sandbox wall: the only format the judge and a student's kernel exchange.

Plain data is: None, bool, int, float, complex, str; numpy arrays and scalars of booleans, numbers or
strings; and tuples, lists and dicts (keys: str, int) of these. Nothing else crosses: no pickle, no
objects, no code. Three things travel by reference instead of by value:

- a **callback**: a function of the judge that the student's code may call (greedy_decode's `step`);
  it crosses as a number, and calling it on the other side sends the arguments back as plain data;
- a numpy **Generator** crosses as the state of its bit generator, and comes back with the new state;
- a **reference** to one of a call's arguments: a function that returns, or changes in place, an array
  it was given is seen doing exactly that.

A frame is an 8-byte length, a 4-byte header length, a JSON header and the raw bytes of the arrays.
Decoding is strict: a frame that is too large, too deep or malformed raises WireError, arrays are
rebuilt from raw bytes with an allowlisted dtype, and a decoded value never contains anything but the
types above. The judge decodes whatever the sandbox sends with these rules, so a lying kernel can send
wrong numbers, never objects.
"""
import json
import math
import re
import struct

import numpy as np

MAX_FRAME = 64 * 2**20         # bytes in one message: a student function cannot flood the grader
MAX_HEADER = 16 * 2**20
MAX_DEPTH = 64
MAX_ITEMS = 2_000_000          # containers' elements and arrays in one message
ARRAY_KINDS = "biufcU"         # bool, int, uint, float, complex, unicode: raw bytes, no objects
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,99}$")


class WireError(Exception):
    """A message is not plain data, or is malformed, too large or too deep."""


class NotPlainData(WireError):
    """A value to send holds something that is not plain data; `what` says what and where."""

    def __init__(self, what):
        super().__init__(what)
        self.what = what


def describe(value):
    """A short, safe description of a value's type for messages: 'a Foo object', 'a function'."""
    kind = type(value)
    name = getattr(kind, "__qualname__", "object")
    name = name if isinstance(name, str) and _NAME.match(name) else "object"
    if callable(value) and kind.__name__ in ("function", "builtin_function_or_method", "method"):
        return "a function"
    if name == "object":
        return "an object"
    return f"{'an' if name[0] in 'AEIOUaeiou' else 'a'} {name} object"


# ---------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------

class Encoder:
    """Turns a value into a JSON-able tree plus array buffers.

    refs:      {id(object): k} of objects to send as references ("r", k) instead of by value.
    callbacks: a list; a callable is appended and sent as ("cb", index) when allowed.
    """

    def __init__(self, refs=None, callbacks=None, track=False, known_callables=None):
        self.buffers = []
        self.refs = dict(refs or {})
        self.callbacks = callbacks
        self.known_callables = known_callables or {}
        self.track = track
        self.tracked = []          # with track=True: every array, list, dict and Generator, in order, as ("k", n, value)
        self.items = 0

    def encode(self, value, where="the value", depth=0):
        """`where` names the value in messages: a string, or (parent, key) pairs built as it goes deeper."""
        if depth > MAX_DEPTH:
            raise NotPlainData(f"{_where(where)} is nested more than {MAX_DEPTH} levels deep")
        self.items += 1
        if self.items > MAX_ITEMS:
            raise NotPlainData(f"{_where(where)} has more than {MAX_ITEMS} elements")
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, np.generic):            # before int/float: np.float64 is a float subclass
            return ["s", *self._array(np.asarray(value), where)[:2]]
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else ["f", repr(value)]
        if isinstance(value, complex):
            return ["c", self.encode(value.real, where, depth + 1), self.encode(value.imag, where, depth + 1)]
        ref = self.refs.get(id(value))
        if ref is not None:
            return ["r", ref]
        if self.track and isinstance(value, (np.ndarray, list, dict, np.random.Generator)):
            k = len(self.tracked)
            self.tracked.append(value)
            self.refs[id(value)] = k
            return ["k", k, self.by_value(value, where, depth)]
        return self.by_value(value, where, depth)

    def by_value(self, value, where="the value", depth=0):
        """Encode a container, array or generator itself (not as a reference), its contents as usual."""
        known = self.known_callables.get(id(value))
        if known is not None:
            return ["cb", known]
        if isinstance(value, np.ndarray):
            return ["a", *self._array(value, where)]
        if isinstance(value, tuple):
            return ["t", [self.encode(v, (where, i), depth + 1) for i, v in enumerate(value)]]
        if isinstance(value, list):
            return ["l", [self.encode(v, (where, i), depth + 1) for i, v in enumerate(value)]]
        if isinstance(value, dict):
            pairs = []
            for k, v in value.items():
                if isinstance(k, bool) or not isinstance(k, (str, int)):
                    raise NotPlainData(f"{_where(where)} is a dict with a key that is {describe(k)}; keys must be "
                                       f"str or int")
                pairs.append([k, self.encode(v, (where, k), depth + 1)])
            return ["d", pairs]
        if isinstance(value, np.random.Generator):
            bits = value.bit_generator
            name = type(bits).__name__
            if name not in BIT_GENERATORS:
                raise NotPlainData(f"{_where(where)} is a Generator with an unknown bit generator {name}")
            return ["g", name, _json_state(bits.state)]
        if self.callbacks is not None and callable(value):
            self.callbacks.append(value)
            return ["cb", len(self.callbacks) - 1]
        raise NotPlainData(f"{_where(where)} is {describe(value)}")

    def _array(self, value, where):
        array = np.ascontiguousarray(value)
        if array.dtype.kind not in ARRAY_KINDS or array.dtype.fields is not None:
            raise NotPlainData(f"{_where(where)} is an array of dtype {array.dtype}; only numbers, booleans and "
                               f"strings cross")
        array = array.astype(array.dtype.newbyteorder("<"), copy=False) if array.dtype.byteorder == ">" else array
        self.buffers.append(array.tobytes())
        return [len(self.buffers) - 1, array.dtype.str, list(array.shape)]


def _where(where):
    """'the value[1]['W']' from the (parent, key) chain the encoder builds."""
    keys = []
    while isinstance(where, tuple):
        where, key = where
        keys.append(f"[{key!r}]")
    return str(where) + "".join(reversed(keys))


def _json_state(state):
    """A bit generator's state as JSON (MT19937 holds an array of uint32: a list here)."""
    if isinstance(state, dict):
        return {str(k): _json_state(v) for k, v in state.items()}
    if isinstance(state, np.ndarray):
        return state.tolist()
    if isinstance(state, np.generic):
        return state.item()
    return state


def pack(message, encoder):
    """One frame from a header dict (already encoded) and the encoder's buffers."""
    header = json.dumps(message, allow_nan=False, separators=(",", ":")).encode()
    lengths = struct.pack(f"<{len(encoder.buffers)}Q", *map(len, encoder.buffers))
    body = struct.pack("<II", len(header), len(encoder.buffers)) + header + lengths + b"".join(encoder.buffers)
    if len(body) > MAX_FRAME:
        raise NotPlainData(f"the value is {len(body) / 2**20:.0f} MB, more than the {MAX_FRAME // 2**20} MB allowed")
    return struct.pack("<Q", len(body)) + body


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------

class Decoder:
    """Rebuilds values from a JSON tree and the frame's buffers, trusting nothing.

    refs:      {k: object} for ("r", k).
    callback:  a function index -> callable for ("cb", index); None refuses callbacks.
    """

    def __init__(self, buffers, refs=None, callback=None):
        self.buffers = buffers
        self.refs = dict(refs or {})
        self.callback = callback

    def decode(self, node, depth=0):
        if depth > MAX_DEPTH:
            raise WireError("nested too deeply")
        if node is None or isinstance(node, (bool, str, int, float)):
            return node
        if not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise WireError(f"malformed value {type(node).__name__}")
        tag, rest = node[0], node[1:]
        if tag == "t":
            return tuple(self.decode(v, depth + 1) for v in self._list(rest))
        if tag == "l":
            return [self.decode(v, depth + 1) for v in self._list(rest)]
        if tag == "d":
            out = {}
            for pair in self._list(rest):
                if not (isinstance(pair, list) and len(pair) == 2) or isinstance(pair[0], bool) \
                        or not isinstance(pair[0], (str, int)):
                    raise WireError("malformed dict entry")
                out[pair[0]] = self.decode(pair[1], depth + 1)
            return out
        if tag == "a":
            return self._array(rest)
        if tag == "s":
            return self._array(rest + [[]])[()]
        if tag == "f":
            if rest not in (["nan"], ["inf"], ["-inf"]):
                raise WireError("malformed float")
            return float(rest[0])
        if tag == "c":
            if len(rest) != 2:
                raise WireError("malformed complex")
            re_, im = (self.decode(v, depth + 1) for v in rest)
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (re_, im)):
                raise WireError("malformed complex")
            return complex(re_, im)
        if tag == "k":
            if len(rest) != 2 or not isinstance(rest[0], int) or isinstance(rest[0], bool) or rest[0] in self.refs:
                raise WireError("malformed tracked value")
            value = self.decode(rest[1], depth + 1)
            self.refs[rest[0]] = value
            return value
        if tag == "r":
            if len(rest) != 1 or not isinstance(rest[0], int) or rest[0] not in self.refs:
                raise WireError("unknown reference")
            return self.refs[rest[0]]
        if tag == "g":
            return self._generator(rest, depth)
        if tag == "cb":
            if self.callback is None or len(rest) != 1 or not isinstance(rest[0], int) or isinstance(rest[0], bool):
                raise WireError("a callback where none is allowed")
            return self.callback(rest[0])
        raise WireError(f"unknown tag {tag[:20]!r}")

    @staticmethod
    def _list(rest):
        if len(rest) != 1 or not isinstance(rest[0], list):
            raise WireError("malformed container")
        return rest[0]

    def _array(self, rest):
        if len(rest) != 3:
            raise WireError("malformed array")
        index, dtype, shape = rest
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(self.buffers):
            raise WireError("malformed array buffer index")
        if not isinstance(dtype, str) or len(dtype) > 16:
            raise WireError("malformed dtype")
        try:
            dt = np.dtype(dtype)
        except (TypeError, ValueError):
            raise WireError(f"unknown dtype {dtype[:16]!r}") from None
        if dt.kind not in ARRAY_KINDS or dt.fields is not None or dt.subdtype is not None or dt.itemsize == 0:
            raise WireError(f"dtype {dt} is not allowed")
        if not isinstance(shape, list) or len(shape) > 32 or \
                not all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s < 2**40 for s in shape):
            raise WireError("malformed shape")
        buffer = self.buffers[index]
        if len(buffer) != dt.itemsize * math.prod(shape):
            raise WireError("an array's data does not match its shape")
        return np.frombuffer(buffer, dtype=dt).reshape(shape).copy()

    def _generator(self, rest, depth):
        if len(rest) != 2 or rest[0] not in BIT_GENERATORS or not isinstance(rest[1], dict):
            raise WireError("malformed generator")
        state = rest[1]
        if rest[0] == "MT19937" and isinstance(state.get("state"), dict) and isinstance(state["state"].get("key"), list):
            try:
                state = {**state, "state": {**state["state"], "key": np.array(state["state"]["key"], dtype=np.uint32)}}
            except (TypeError, ValueError, OverflowError):
                raise WireError("malformed generator state") from None
        bits = getattr(np.random, rest[0])()
        try:
            bits.state = state
        except Exception:
            raise WireError("malformed generator state") from None
        return np.random.Generator(bits)


def unpack(body):
    """(header dict, buffers) from a frame's body; raises WireError."""
    try:
        header_len, count = struct.unpack_from("<II", body, 0)
        if header_len > MAX_HEADER or count > MAX_ITEMS:
            raise WireError("header too large")
        start = 8 + header_len
        header = json.loads(body[8:start].decode(), parse_constant=_refuse_constant)
        lengths = struct.unpack_from(f"<{count}Q", body, start)
    except WireError:
        raise
    except (struct.error, UnicodeDecodeError, ValueError, RecursionError):
        raise WireError("malformed frame") from None
    buffers, offset = [], start + 8 * count
    for n in lengths:
        if offset + n > len(body):
            raise WireError("truncated frame")
        buffers.append(body[offset:offset + n])
        offset += n
    if offset != len(body) or not isinstance(header, dict):
        raise WireError("malformed frame")
    return header, buffers


def _refuse_constant(name):
    raise WireError(f"{name} in a header")


# ---------------------------------------------------------------------------
# Over a socket
# ---------------------------------------------------------------------------

def send(sock, message, encoder):
    sock.sendall(pack(message, encoder))


def receive(sock):
    """(header, buffers) of the next frame; raises WireError on a malformed or oversized one, EOFError at the end."""
    (length,) = struct.unpack("<Q", _exactly(sock, 8))
    if length > MAX_FRAME:
        raise WireError(f"a message of {length / 2**20:.0f} MB, more than the {MAX_FRAME // 2**20} MB allowed")
    return unpack(_exactly(sock, length))


def _exactly(sock, n):
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def safe_name(text, default="Error"):
    """A type or parameter name from the other side, or `default` when it is not a plain identifier."""
    return text if isinstance(text, str) and _NAME.match(text) else default


def safe_text(text, limit=2000):
    """Text from the other side, cut to `limit` characters."""
    if not isinstance(text, str):
        return ""
    return text if len(text) <= limit else text[:limit] + " ..."
