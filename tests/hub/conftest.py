"""One real course server for the hub tests: Unix users, an exchange, a course directory, JupyterHub.

Run with `make test-hub` (it installs the proxy, Chromium and the `hub` extra first). Needs root
(useradd, and JupyterHub starting servers as other users). Everything created here is removed at
the end, also when a test fails.

The course runs in class mode (deploy/README.md): the hub and the students' servers run from the class's
environment (HUB_CLASS_VENV: the class build of rnnlib, no answer of any assignment), the formgrader from this
Python (the whole course), and it grades each assignment with its own class build (build --each). When the
class is at 02, the instructor has released 01's answers.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest

import unix_users
from course_files import (ARTIFACTS, ASSIGNMENT, CLASS_PYTHON, CLASS_VENV, COURSE, LATER, REPO, release_answers,
                          release_assignment)
from course_hub import CourseHub


def _require_prerequisites():
    if os.geteuid() != 0:
        pytest.fail("the hub tests create Unix users and start servers as them: run them as root (make test-hub)")
    if not (REPO / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy").exists():
        pytest.fail("configurable-http-proxy is missing: run `npm ci --prefix deploy` (make test-hub does)")


@pytest.fixture(scope="session")
def hub():
    """The running course hub; attributes name its users, course directory and exchange."""
    _require_prerequisites()
    prefix = unix_users.unique_prefix()
    names = {role: f"{prefix}{role}" for role in ("inst", "s1", "s2", "s3", "out", "grader")}
    state = pathlib.Path(tempfile.mkdtemp(prefix="rnn-hub-test-"))
    created = []
    hub = None
    try:
        os.chmod(state, 0o755)  # the users must reach the exchange below it
        exchange = state / "exchange"
        exchange.mkdir(mode=0o1777)
        os.chmod(exchange, 0o1777)
        for role, name in names.items():
            unix_users.create(name)
            created.append(name)
        # The real deploy/ files, copied where the users can read them (the checkout may be private).
        deploy = state / "deploy"
        shutil.copytree(REPO / "deploy", deploy, ignore=shutil.ignore_patterns("node_modules", "k8s", "*.md"))
        (deploy / "node_modules").symlink_to(REPO / "deploy" / "node_modules")
        subprocess.run(["chmod", "-R", "a+rX", str(deploy)], check=True)
        course_root = state / "course" / COURSE
        course_root.mkdir(parents=True)
        shutil.copy(REPO / "nbgrader_config.py", course_root)
        for assignment in (ASSIGNMENT, LATER):
            shutil.copytree(REPO / "solutions" / assignment, course_root / "solutions" / assignment)
        # Class mode: each assignment graded with its class's rnnlib (its earlier answers released).
        subprocess.run([sys.executable, "-m", "rnngrader.classmode", "build", "--each", "--out",
                        str(course_root / "build" / "class-each")], cwd=REPO, check=True, capture_output=True)
        with (course_root / "nbgrader_config.py").open("a") as config:
            config.write(f"\nc.SandboxedKernelManager.rnnlib_build = {str(course_root / 'build' / 'class-each')!r}\n")
        subprocess.run(["chown", "-R", f"{names['grader']}:", str(course_root)], check=True)
        os.chmod(course_root, 0o700)  # submissions collected here are the grader's alone

        check = unix_users.run_as(names["s1"], sys.executable, "-c", "import jupyterhub, nbgrader, rnnlib")
        if check.returncode != 0:
            pytest.fail(f"the test users cannot use this Python environment ({sys.executable}); the repository "
                        f"and its .venv must be readable by every user (not under /root):\n{check.stderr}")
        check = unix_users.run_as(names["s1"], str(CLASS_PYTHON), "-c", "import jupyterhub, nbgrader, rnnlib._not_released",
                                  cwd="/")
        if check.returncode != 0:
            pytest.fail(f"no class environment at {CLASS_VENV} (HUB_CLASS_VENV; deploy/install-test-prereqs.sh makes "
                        f"it):\n{check.stderr}")

        hub = CourseHub(deploy / "jupyterhub_config.py", state, CLASS_PYTHON, {
            "COURSE_ID": COURSE,
            "COURSE_GRADER_ENV": sys.prefix,
            "COURSE_ROOT": str(course_root),
            "COURSE_GRADER": names["grader"],
            "COURSE_INSTRUCTORS": names["inst"],
            "COURSE_STUDENTS": f"{names['s1']} {names['s3']}",  # s2 is enrolled mid-term by a test
            "HUB_OTHER_USERS": names["out"],
            "NBGRADER_EXCHANGE": str(exchange),
            "NBGRADER_CONFIG_DIR": str(deploy / "nbgrader"),
        })
        hub.names, hub.course_root, hub.exchange = names, course_root, exchange
        hub.start()
        yield hub
    finally:
        if hub is not None:
            hub.stop()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            if hub.log_path.exists():
                shutil.copy(hub.log_path, ARTIFACTS / "jupyterhub.log")
            for folder in ("autograded", "feedback"):  # the graded class, for a look after a failure
                shutil.rmtree(ARTIFACTS / folder, ignore_errors=True)
                if (hub.course_root / folder).exists():
                    shutil.copytree(hub.course_root / folder, ARTIFACTS / folder)
        unix_users.remove(created)
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="session")
def released(hub):
    """The instructor generates and releases the assignment through the formgrader; returns their API token."""
    token = hub.token_for(hub.names["inst"])
    release_assignment(hub, token, ASSIGNMENT)
    release_answers(hub, "01_ann_limits")   # the class is at 02: 01 has closed
    return token

