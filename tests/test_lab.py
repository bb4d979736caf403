"""The README's first command, `make lab`, starts JupyterLab on notebooks/ with nbgrader's extension."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.course import ASSIGNMENTS, BIN, REPO

pytestmark = pytest.mark.slow


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_serves_the_notebooks():
    port, token = _free_port(), "course-test-token"
    args = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token}"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.Popen(["make", "-s", "lab", f"VENV={BIN.parent}", f"LAB_ARGS={args}"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        listing, deadline = None, time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token={token}", timeout=2) as r:
                    listing = json.load(r)
                break
            except OSError:
                time.sleep(0.5)
        assert listing is not None, f"JupyterLab did not answer:\n{proc.stdout.read1().decode() if proc.poll() is not None else ''}"
        assert sorted(item["name"] for item in listing["content"] if item["type"] == "directory") == ASSIGNMENTS
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=10) as r:
            assert r.status == 200
        extensions = subprocess.run([str(BIN / "jupyter"), "labextension", "list"], capture_output=True, text=True)
        assert "@jupyter/nbgrader" in extensions.stdout + extensions.stderr
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
