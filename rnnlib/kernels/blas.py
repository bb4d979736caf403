"""blas_threads(n): a context manager that runs the BLAS (OpenBLAS, found through ctypes) on n threads.

Small matrix products run faster on one thread than on several that wait for each other; the seq2seq model
trains inside `with blas_threads(1):`. Where no OpenBLAS is found it does nothing.
"""
import ctypes
import re


def _openblas():
    """The OpenBLAS library numpy uses and its (get, set) thread functions, or None."""
    try:
        with open("/proc/self/maps") as f:
            paths = sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", f.read())))
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "64_"), ("openblas", "")):
            get, put = getattr(lib, f"{prefix}_get_num_threads{suffix}", None), getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
            if get is not None and put is not None:
                return get, put
    return None


class blas_threads:
    """Context manager: let numpy's BLAS use `n` threads inside the block (best effort).

    The matrices of this model are small ((128, 64) @ (64, 192)); splitting such a
    product over several threads costs more in synchronisation than it saves,
    and on a busy machine it can make training several times slower. Works with
    OpenBLAS (numpy's wheels on Linux); elsewhere it does nothing.
    """

    def __init__(self, n=1):
        self.n, self.old, self.lib = int(n), None, None

    def __enter__(self):
        self.lib = _openblas() if self.n > 0 else None
        if self.lib is not None:
            self.old = self.lib[0]()
            self.lib[1](self.n)
        return self

    def __exit__(self, *exc):
        if self.lib is not None and self.old is not None:
            self.lib[1](self.old)
        return False
