"""The sandbox around a student's kernel (rnngrader/sandbox.py), each property tested with a real attack.

Every test starts a real kernel in bubblewrap, as grading does, and runs the attack as a notebook
cell would. What the kernel must not see is made real first: a course folder with solutions and a
gradebook, and secrets in the grader's environment.
"""
import inspect
import os
import pathlib
import subprocess
import sys
import time

import nbformat
import numpy as np
import pytest
from jupyter_client.utils import run_sync
from nbclient import NotebookClient

import rnnlib
from rnngrader import classmode, execute, sandbox
from tests.course import REPO

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sandbox")]
SECRET = "tok-4f1b9c0e-do-not-leak"


def run(cells, timeout=60, **limits):
    """Run cells in one sandboxed kernel; return their outputs as text (stdout, or 'ename: evalue')."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    km = sandbox.SandboxedKernelManager(**limits)
    client = NotebookClient(nb, km=km, timeout=timeout, allow_errors=True)
    try:
        client.execute()
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)    # as grading does: the kernel is killed, then the sandbox ends
        run_sync(km.cleanup_resources)()
    out = []
    for cell in nb.cells:
        text = ""
        for o in cell.outputs:
            text += o.get("text", "") if o.output_type == "stream" else \
                f"{o.get('ename')}: {o.get('evalue')}" if o.output_type == "error" else ""
        out.append(text.strip())
    return out


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course folder with things no kernel may see, and secrets in the grader's environment."""
    root = tmp_path_factory.mktemp("course")
    (root / "solutions").mkdir()
    (root / "solutions" / "answers.ipynb").write_text("SOLUTION-SECRET")
    (root / "gradebook.db").write_text("GRADEBOOK-SECRET")
    (root / "solutions" / "answers.ipynb").write_text("SOLUTION-SECRET")
    (root / "nbgrader_config.py").write_text("# config")
    saved = {k: os.environ.get(k) for k in ("JUPYTERHUB_API_TOKEN", "RNN_COURSE_DB_URL")}
    os.environ["JUPYTERHUB_API_TOKEN"] = SECRET
    os.environ["RNN_COURSE_DB_URL"] = f"postgresql://grader:{SECRET}@db/course"
    yield root
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def test_the_sandbox_can_be_made_here():
    sandbox.check()


def test_a_course_cloned_under_tmp_keeps_its_venv_visible(tmp_path, monkeypatch):
    """The sandbox's own /tmp is a fresh tmpfs: Python, the venv and the course's packages living under the
    host's /tmp (a CI clone, a scratch checkout) must still be there, read-only, and nothing else of /tmp."""
    venv = tmp_path / "clone" / ".venv"
    venv.mkdir(parents=True)
    (venv / "marker.txt").write_text("venv here")
    (tmp_path / "clone" / "gradebook.db").write_text("GRADEBOOK-SECRET")
    roots = sandbox._python_roots
    monkeypatch.setattr(sandbox, "_python_roots", lambda: [*roots(), venv])
    out = run([f"print(open({str(venv / 'marker.txt')!r}).read())",
               f"import os\nprint(sorted(os.listdir({str(tmp_path / 'clone')!r})))",
               f"open({str(venv / 'new.py')!r}, 'w')"])
    assert out[0] == "venv here", out
    assert out[1] == "['.venv']", out
    assert "Read-only file system" in out[2] or "Permission denied" in out[2], out


def test_it_sees_no_course_no_home_and_writes_nothing_outside_its_home(course):
    out = run([
        f"import os, glob\nprint(os.path.exists({str(course)!r}), os.path.exists({str(REPO / 'solutions')!r}), "
        f"os.path.exists({str(REPO / 'nbgrader_config.py')!r}))",
        f"print(sorted(os.listdir({str(REPO)!r})))",
        "print(sorted(os.listdir('/')))",
        "found = [os.path.join(d, f) for top in ('/home', '/tmp', '/run', '/etc', '/srv', '/var', '/mnt', '/opt', '/work')\n"
        "         for d, _, fs in os.walk(top) for f in fs if f == 'answers.ipynb']\n"
        "print(found, [])",
        "import rnnlib, site\nfor path in [rnnlib.__file__, os.path.join(site.getsitepackages()[0], 'evil.pth'), "
        "'/usr/evil', '/etc/evil']:\n    try:\n        open(path, 'a').write('x')\n        print('wrote', path)\n"
        "    except OSError as e:\n        print('refused', e.errno)",
        "open('notes.txt', 'w').write('mine'); print(os.getcwd(), open('notes.txt').read())",
    ])
    assert out[0] == "False False False", out
    assert out[1] == str(sorted([".venv", "rnnlib", "rnngrader"])), out[1]
    assert "home" in out[2] and "root" in out[2] and "srv" not in out[2], out[2]
    assert out[3] == "[] []", out[3]
    assert "wrote" not in out[4] and out[4].count("refused") == 4, out[4]
    assert out[5] == f"{sandbox.HOME} mine", out[5]


def test_no_network_but_its_own_loopback():
    out = run([
        "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 80), timeout=3)\n    print('connected')\n"
        "except OSError as e:\n    print('refused', e.errno)",
        "try:\n    socket.getaddrinfo('pypi.org', 443)\n    print('resolved')\nexcept OSError as e:\n    print('no dns')",
        "import os\nprint(sorted(os.listdir('/sys/class/net')) if os.path.exists('/sys/class/net') else ['lo'])",
    ])
    assert out[0].startswith("refused") and out[1] == "no dns", out
    assert out[2] == "['lo']", out[2]


def test_an_unprivileged_uid_with_no_capabilities(course):
    out = run([
        "import os\nprint(os.getuid(), os.geteuid(), os.getgid())",
        "print(*[l.split()[1] for l in open('/proc/self/status') if l.startswith(('CapEff', 'CapPrm', 'NoNewPrivs'))])",
        "try:\n    os.setuid(0)\n    print('root again')\nexcept PermissionError:\n    print('stays')",
    ])
    uid, euid, gid = map(int, out[0].split())
    assert uid == euid != 0 and gid != 0, out[0]
    if os.geteuid() == 0:
        assert uid >= sandbox.UID_BASE, "as root, the kernel runs as a uid of its own"
    assert out[1] == "0000000000000000 0000000000000000 1", out[1]
    assert out[2] == "stays"


def test_an_environment_rebuilt_from_the_allowlist(course):
    out = run(["import os\nprint(sorted(os.environ))\nprint(repr(dict(os.environ)))",
               "print(open('/proc/1/environ', 'rb').read() if os.access('/proc/1/environ', os.R_OK) else b'')"])
    assert SECRET not in out[0] and SECRET not in out[1]
    names = set(eval(out[0].splitlines()[0]))
    allowed = set(sandbox.environment()) | {"PWD", "TERM", "CLICOLOR", "CLICOLOR_FORCE", "FORCE_COLOR", "PAGER",
                                           "GIT_PAGER", "MPLBACKEND", "PYDEVD_USE_FRAME_EVAL", "JPY_PARENT_PID"}
    assert names <= allowed, names - allowed


def test_limits_on_memory_files_disk_and_processes():
    out = run([
        "try:\n    hoard = bytearray(3 * 2**30)\n    print('got 3 GB')\nexcept MemoryError:\n    print('MemoryError')",
        "try:\n    open('big', 'wb').write(b'x' * (100 * 2**20))\n    print('wrote 100 MB')\nexcept OSError as e:\n"
        "    print('file size', e.errno)",
        "import os\nn = 0\ntry:\n    for n in range(100):\n        open(f'f{n}', 'wb').write(b'x' * (30 * 2**20))\n"
        "except OSError as e:\n    print('disk full after', n)\nfor name in os.listdir('.'):\n    if name.startswith(('f', 'big')):\n        os.remove(name)",
        "import subprocess\nkids = []\ntry:\n    for _ in range(200):\n        kids.append(subprocess.Popen(['sleep', '60']))\n"
        "    print('200 processes')\nexcept OSError:\n    print('stopped at', len(kids))\nfor k in kids:\n    k.kill()",
    ])
    assert out[0] == "MemoryError", out[0]
    assert out[1] == "file size 27", out[1]             # EFBIG: RLIMIT_FSIZE
    assert out[2].startswith("disk full after") and int(out[2].split()[-1]) < 10, out[2]
    assert out[3].startswith("stopped at") and int(out[3].split()[-1]) < 64, out[3]


def test_cpu_time_is_limited():
    from nbclient.exceptions import DeadKernelError

    started = time.monotonic()
    with pytest.raises(DeadKernelError):              # SIGXCPU ends the kernel long before the cell's 30 s
        run(["while True:\n    pass"], timeout=30, cpu_seconds=2)
    assert time.monotonic() - started < 20


def _alive(marker):
    return subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout.split()


def test_nothing_it_starts_survives_and_it_cannot_signal_the_grader():
    marker = "3171"                       # sleep 3171: a process the kernel leaves behind, on purpose
    grader = os.getpid()
    out = run([
        f"import os, subprocess, signal\nsubprocess.Popen(['sleep', '{marker}'], start_new_session=True)\n"
        f"if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        os.execvp('sleep', ['sleep', '{marker}'])\n"
        f"    os._exit(0)\nprint('started')",
        f"try:\n    os.kill({grader}, signal.SIGTERM)\n    print('signalled')\nexcept ProcessLookupError:\n    print('no such process')",
        "print(sorted(int(p) for p in os.listdir('/proc') if p.isdigit())[:3], os.getppid())",
    ])
    assert out[0] == "started" and out[1] == "no such process", out
    deadline = time.monotonic() + 10
    while _alive(f"sleep {marker}") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(f"sleep {marker}"), "a process started in the sandbox outlived its kernel"
    run(["import os, signal\nos.kill(-1, signal.SIGKILL)"])        # kills only the sandbox: this test goes on
    assert os.getpid() == grader


def test_the_kernel_sockets_are_opened_without_following_links():
    """A symlink planted where a socket should be is refused, not followed to the host."""
    box = sandbox.Sandbox(memory_mb=0, processes=0, file_size_mb=0, cpu_seconds=0, open_files=0, home_mb=16)
    box.prepare({})
    box.child = os.getpid()                   # /proc/<self>/root is the host: a stand-in for the sandbox root
    target = pathlib.Path(box.host) / "link"
    target.symlink_to("/etc/passwd")
    with pytest.raises(OSError):
        box._open_socket(str(target))
    with pytest.raises(FileNotFoundError):
        box._open_socket("/etc/passwd")           # not a socket
    box.close()


def test_output_is_capped_in_bytes_while_it_streams_in():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in [
        "print('x' * (40 * 2**20))",                                         # 40 MB on one line
        "import sys\nfor _ in range(100):\n    sys.stdout.write('y' * 2**20)",  # 100 MB in chunks
        "from IPython.display import display\nfor i in range(2000):\n    display(i)",       # 10 times the cap
        "print('still here')",
    ]]
    ex = execute.JudgedExecute(timeout=60)
    started = time.monotonic()
    nb, _ = ex.preprocess(nb, {})
    size = len(nbformat.writes(nb))
    assert size < 8 * 2**20, f"the graded notebook keeps {size / 2**20:.0f} MB"
    assert time.monotonic() - started < 90
    names = [[o.get("ename") for o in c.outputs if o.output_type == "error"] for c in nb.cells]
    assert execute.TRUNCATED in names[1] and execute.TRUNCATED in names[2], names
    assert len(nb.cells[2].outputs) <= ex.max_outputs_per_cell + 1
    assert nb.cells[3].outputs[0]["text"] == "still here\n"


def test_grading_stops_with_the_fix_when_bubblewrap_is_missing(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap"):
        sandbox.check()


def test_the_grader_says_how_to_fix_a_missing_sandbox(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("")
    result = subprocess.run([sys.executable, "-m", "rnngrader.autograde", "--course", str(tmp_path)],
                            capture_output=True, text=True, env={**os.environ, "PATH": "/nonexistent"})
    assert result.returncode != 0 and "bubblewrap" in result.stderr and "--no-sandbox" in result.stderr, result.stderr


def test_the_judge_runs_its_tests_in_the_state_its_setup_left():
    """The setup runs in a thread while the kernel starts; numpy's print options and errstate are per context,
    and the tests must still see what the setup set (a message printing an array depends on it)."""
    def cell(source, **meta):
        c = nbformat.v4.new_code_cell(source)
        c.metadata["nbgrader"] = {"locked": True, "grade": False, "solution": False, "grade_id": "c", **meta}
        return c

    nb = nbformat.v4.new_notebook()
    nb.cells = [cell("import numpy as np\nnp.set_printoptions(precision=2)\nnp.seterr(divide='raise')"),
                cell("def answer():\n    return 1.0", locked=False, solution=True, grade_id="answer"),
                cell("assert np.get_printoptions()['precision'] == 2, 'print options lost'\n"
                     "assert np.geterr()['divide'] == 'raise', 'errstate lost'\n"
                     "assert answer() == 1.0\nprint(np.array([1 / 3]))", grade=True, grade_id="t", points=1)]
    before = np.geterr(), np.get_printoptions()["precision"]
    nb, _ = execute.JudgedExecute(timeout=60).preprocess(nb, {})
    assert (np.geterr(), np.get_printoptions()["precision"]) == before, "the setup's state outlived its notebook"
    outputs = nb.cells[2].outputs
    assert [o.get("output_type") for o in outputs] == ["stream"], outputs
    assert outputs[0]["text"] == "[0.33]\n"


def test_no_process_but_the_kernel_runs_for_long():
    """A watchdog kills every other process within a moment: a fork bomb's copies of the kernel do not spin
    beside the students graded in parallel (they once took the CPU until other students' cells timed out)."""
    started = time.monotonic()
    out = run([
        "import os, time\npid = os.fork()\nif pid == 0:\n    time.sleep(60)\n    os._exit(0)\ntime.sleep(1.5)\n"
        "print(os.waitpid(pid, os.WNOHANG)[1] & 0x7f)",                     # 9: the child was SIGKILLed
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        break",
        "import time, os\ntime.sleep(1.5)\n"
        "states = [open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()[0] for p in os.listdir('/proc') if p.isdigit()]\n"
        "print(sum(s in 'RS' for s in states), 'running or sleeping')",     # bwrap's init and the kernel
        "print('the kernel still works')",
    ], timeout=30)
    assert out[0] == "9", out[0]
    assert out[2].splitlines()[-1] == "2 running or sleeping", out[2][-300:]
    assert out[3] == "the kernel still works"
    assert time.monotonic() - started < 25


def test_a_class_build_of_rnnlib_keeps_the_answers_from_graded_code(tmp_path):
    # Graded with SandboxedKernelManager.rnnlib_build, a submission's code sees the class's rnnlib where the
    # course's was: the source and the call of an open assignment's answer give only the stub.
    # Released answers on the grader's machine stay outside: the sandbox sees no exchange, whatever the code asks.
    build = classmode.build(tmp_path, closed=["01_ann_limits"])
    answers = tmp_path / "answers"
    classmode.release(["02_vanilla_rnn"], answers)
    os.chmod(tmp_path, 0o755)
    out = run(["import inspect, rnnlib\nprint(rnnlib.__file__)",
               "print(inspect.getsource(rnnlib.rnn_forward))",
               f"import os\nos.environ['RNNLIB_ANSWERS'] = {str(answers)!r}\nrnnlib.rnn_forward(None, None, None, None, None)",
               "import numpy as np\nprint(rnnlib.softmax(np.zeros(2)))"],
              rnnlib_build=str(build))
    assert out[0] == str(pathlib.Path(rnnlib.__file__).resolve()), out[0]        # mounted where rnnlib is
    reference = inspect.getsource(rnnlib.rnn_forward)
    assert "The answer to 02_vanilla_rnn: in this class's rnnlib once it is released" in out[1], out[1]
    assert not [line for line in reference.splitlines()[1:] if len(line.strip()) > 20 and line in out[1]], out[1]
    assert out[2].startswith("AnswerNotReleased: rnnlib.layers.rnn.rnn_forward is part of the answer to 02"), out[2]
    assert out[3] == "[0.5 0.5]", out[3]                                            # 01 is closed: its answer works
    with pytest.raises(ValueError, match="is not a class build of rnnlib"):
        sandbox.Sandbox(memory_mb=0, processes=8, file_size_mb=1, cpu_seconds=5, open_files=64, home_mb=8,
                        rnnlib_build=str(tmp_path / "nothing"))
