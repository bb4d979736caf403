"""Workspace: named scratch buffers that a fast kernel reuses from call to call, so no step allocates memory."""
import numpy as np


class Workspace:
    """Named buffers, allocated on first use and reused while shape and dtype stay the same."""

    def __init__(self):
        self._buffers = {}

    def get(self, name, shape, dtype, zero=False):
        buf = self._buffers.get(name)
        if buf is None or buf.shape != tuple(shape) or buf.dtype != dtype:
            buf = np.empty(shape, dtype=dtype)
            self._buffers[name] = buf
        if zero:
            buf.fill(0)
        return buf
