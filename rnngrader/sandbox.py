"""The sandbox around every kernel that runs a student's code, made with bubblewrap (bwrap).

What the kernel sees and may do:

- files: read-only Python, the course's virtual environment and the packages it imports (rnnlib, rnngrader),
  read-only /usr; a private, size-limited, writable home (`/home/sandbox`, also the working folder) and /tmp.
  Nothing else of the host: not the course root, the gradebook, solutions/, submitted/, autograded/,
  feedback/, other students, nbgrader_config.py or the grader's home.
- no network: a network namespace of its own with only a loopback device. The kernel's ZeroMQ sockets are
  Unix sockets in a small tmpfs inside the sandbox; the grader reaches them through /proc/<pid>/root,
  opening every path component without following symlinks, so a kernel cannot point the grader elsewhere.
- an unprivileged uid: when the grader runs as root, the kernel runs as a uid of its own (one per grading
  slot, never root and owning no file on the host); otherwise as the grader's uid inside a user namespace,
  where it is `nobody`. No capabilities, no-new-privileges; it sees only its own processes (pid namespace)
  and cannot signal the grader.
- an environment rebuilt from an allowlist: no tokens, database URLs or other secrets of the grader.
- limits: address space, processes, file size, open files and CPU time (rlimits), a size-limited home;
  output in bytes is capped by the grader as it streams in (execute.py).
- nothing survives: every process lives in the sandbox's pid namespace, which ends with the kernel, and the
  sandbox dies with the grader (--die-with-parent).
- no process but the kernel: a watchdog kills anything else that runs in the sandbox (a fork, a subprocess,
  `!ls`) within WATCH_SECONDS. A fork bomb of 60 spinning copies of the kernel would otherwise take the
  CPU from every other student graded beside it, until their cells ran out of time.

`SandboxedKernelManager` is the jupyter_client kernel manager that nbgrader's execution step uses
(rnngrader/execute.py). `check()` says whether a sandbox can be made here, and if not, how to fix it.
"""
import atexit
import contextlib
import json
import os
import pathlib
import secrets
import select
import signal
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time

from jupyter_client.manager import AsyncKernelManager, KernelManager
from traitlets import Bool, Integer, List, Unicode

from . import channels

KERNEL_DIR = "/run/rnn-kernel"             # inside the sandbox: the kernel's sockets (a tmpfs)
CONNECTION = "/run/rnn-connection.json"    # inside: the connection file, read-only
JUDGE_DIR = "/run/rnn-judge"               # inside: the judge's socket, read-only
HOME = "/home/sandbox"
PORTS = {"shell": 1, "iopub": 2, "stdin": 3, "hb": 4, "control": 5}
UID_BASE = 1_900_000_000                   # when the grader is root: each sandbox runs as a fresh uid above this
WATCH_SECONDS = 0.2                        # how often the watchdog looks for processes other than the kernel
UID_SPAN = 2**26                           # ... one of these many, at random: no two sandboxes share a process count
ETC = ("/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives", "/etc/fonts")   # host files the kernel may read

# Runs first inside the sandbox: drop to the sandbox uid (only when bwrap left us root), set the limits,
# then become the kernel. It is a string, run with -I -S, so nothing in the sandbox can stand in for it.
LAUNCHER = """\
import os, resource, sys
uid, memory, processes, file_size, cpu, files = map(int, sys.argv[1:7])
if os.getuid() == 0:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
if os.getuid() == 0 or os.geteuid() == 0:
    sys.exit("the sandbox kept uid 0")
def limit(kind, value):
    if value > 0:
        resource.setrlimit(kind, (value, value))
limit(resource.RLIMIT_AS, memory)
limit(resource.RLIMIT_NPROC, processes)
limit(resource.RLIMIT_FSIZE, file_size)
limit(resource.RLIMIT_CPU, cpu)
limit(resource.RLIMIT_NOFILE, files)
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
os.execv(sys.argv[7], sys.argv[7:])
"""

FIX = ("Grading runs every submission in a bubblewrap sandbox. Install it (Debian/Ubuntu: `sudo apt-get install "
       "bubblewrap`; Fedora: `sudo dnf install bubblewrap`) on a Linux machine whose kernel allows user namespaces "
       "(Ubuntu 24.04 and later restrict them: `sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0`, or "
       "run the grader as root). On macOS or Windows, grade in a Linux virtual machine or container. To grade "
       "without a sandbox anyway (trusted submissions only), pass --no-sandbox; the report then says so on every line.")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot make a sandbox here; the message says how to fix it."""


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------

def _python_roots():
    """Host folders the kernel needs read-only: the Python installation, the venv, and imported packages."""
    roots = {pathlib.Path(sys.base_prefix), pathlib.Path(sys.prefix)}
    for name in ("rnnlib", "rnngrader"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        for path in getattr(module, "__path__", []):
            roots.add(pathlib.Path(path))
    resolved = {p.resolve() for p in roots} | roots
    # keep the outermost folders only; /usr is mounted anyway
    out = []
    for p in sorted(resolved, key=lambda p: len(p.parts)):
        if p == pathlib.Path("/usr") or any(p.is_relative_to(q) for q in out) or p.is_relative_to("/usr"):
            continue
        out.append(p)
    return out


def _system_mounts():
    """/usr read-only, and /bin, /lib ... as they are on the host (symlinks into /usr, or folders)."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = pathlib.Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    return args


def _parents(paths):
    """--dir for every folder above the mount points, world-readable (bwrap would make them 0700)."""
    seen, args = set(), []
    for path in paths:
        for parent in reversed(pathlib.Path(path).parents):
            if str(parent) != "/" and parent not in seen:
                seen.add(parent)
                args += ["--perms", "0755", "--dir", str(parent)]
    return args


def class_build(path):
    """The rnnlib folder of a class build (rnngrader/classmode.py), checked; `path` is it or the folder above it."""
    path = pathlib.Path(path).resolve()
    if (path / "rnnlib").is_dir():
        path = path / "rnnlib"
    if not (path / "__init__.py").is_file() or not (path / "_not_released.py").is_file():
        raise ValueError(f"SandboxedKernelManager.rnnlib_build: {path} is not a class build of rnnlib; make one with "
                         "python -m rnngrader.classmode build --closed <assignments> --out <folder>.")
    return path


PASSWD = "sandbox:x:{uid}:{uid}:sandbox:/home/sandbox:/usr/sbin/nologin\n"


def environment(extra=()):
    """The kernel's whole environment: an allowlist, nothing inherited but the names in `extra`."""
    mode = os.environ.get("NBGRADER_EXECUTION")
    env = {
        "HOME": HOME, "TMPDIR": "/tmp", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "PATH": f"{pathlib.Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "MPLCONFIGDIR": f"{HOME}/.config/matplotlib", "IPYTHONDIR": f"{HOME}/.ipython",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "NBGRADER_EXECUTION": mode if mode in ("autograde", "validate") else "autograde",
        "RNN_COURSE_SANDBOX": "1",
    }
    for name in extra:
        if name in os.environ and name not in env:
            env[name] = os.environ[name]
    return env


_FONT_LIST = []


def font_list():
    """matplotlib's font list, made once per grader process and given read-only to every kernel: a fresh home
    would have each kernel build it again (about 0.3 s). None when matplotlib cannot make it here."""
    if not _FONT_LIST:
        try:
            from matplotlib import font_manager

            folder = tempfile.mkdtemp(prefix="rnn-fontlist-")
            os.chmod(folder, 0o755)
            atexit.register(shutil.rmtree, folder, True)
            path = os.path.join(folder, f"fontlist-v{font_manager.FontManager.__version__}.json")
            font_manager.json_dump(font_manager.FontManager(), path)
            os.chmod(path, 0o644)
            _FONT_LIST.append(path)
        except Exception:  # noqa: BLE001  (without it each kernel builds its own: slower, not wrong)
            _FONT_LIST.append(None)
    return _FONT_LIST[0]


class Sandbox:
    """One sandbox: a private host folder for the grader's side, and the bwrap command line."""

    def __init__(self, *, memory_mb, processes, file_size_mb, cpu_seconds, open_files, home_mb,
                 env_keep=(), judge_dir=None, rnnlib_build=None):
        self.limits = dict(memory_mb=memory_mb, processes=processes, file_size_mb=file_size_mb,
                           cpu_seconds=cpu_seconds, open_files=open_files, home_mb=home_mb)
        self.root = os.geteuid() == 0
        self.uid = UID_BASE + secrets.randbelow(UID_SPAN) if self.root else 65534
        self.env_keep = env_keep
        self.judge_dir = judge_dir
        self.rnnlib_build = class_build(rnnlib_build) if rnnlib_build else None
        self.host = pathlib.Path(tempfile.mkdtemp(prefix="rnn-sandbox-"))   # 0700, the grader's own
        self.log_path = self.host / "sandbox.log"
        self.info_read = None
        self.child = None
        self.fds = {}
        self.kernel = None                  # host pid of the kernel, the one process the watchdog leaves alone
        self._stop_watch = threading.Event()

    def command(self, argv):
        mb = 2**20
        lim = self.limits
        args = ["bwrap", "--die-with-parent", "--new-session",
                "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                "--hostname", "sandbox"]
        if self.root:
            # bwrap as root does every mount as root (so /root/.pyenv and the like need not be world-readable),
            # keeps CAP_SETUID/SETGID for the launcher, which drops to the slot's uid before anything else runs.
            args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        else:
            args += ["--unshare-user", "--uid", str(self.uid), "--gid", str(self.uid), "--disable-userns"]
        roots = [str(p) for p in _python_roots()]
        etc = [name for name in ETC if os.path.exists(name)]
        args += _parents(etc + [HOME, KERNEL_DIR, JUDGE_DIR, "/etc/passwd"])
        args += _system_mounts()
        for name in etc:
            args += ["--ro-bind", name, name]
        args += ["--proc", "/proc", "--dev", "/dev",
                 "--perms", "01777", "--size", str(64 * mb), "--tmpfs", "/tmp",
                 "--perms", "01777", "--size", str(lim["home_mb"] * mb), "--tmpfs", HOME,
                 "--perms", "01777", "--size", str(mb), "--tmpfs", KERNEL_DIR]
        # Python, the venv and the course's packages after the private folders: a course cloned under /tmp
        # keeps its venv visible (bwrap mounts in order; a tmpfs would hide what was bound before it).
        args += _parents(roots)
        for root in roots:
            args += ["--ro-bind", root, root]
        if self.rnnlib_build:
            # over the course's rnnlib: the kernel imports the class's copy, without the answers to open assignments
            args += ["--ro-bind", str(self.rnnlib_build), str(pathlib.Path(__import__("rnnlib").__path__[0]).resolve())]
        args += ["--ro-bind", str(self.host / "kernel.json"), CONNECTION,
                 "--ro-bind", str(self.host / "passwd"), "/etc/passwd",
                 "--ro-bind", str(self.host / "group"), "/etc/group"]
        if self.judge_dir:
            args += ["--ro-bind", str(self.judge_dir), JUDGE_DIR]
        fonts = font_list()
        if fonts:
            config = environment()["MPLCONFIGDIR"]
            args += ["--perms", "01777", "--dir", os.path.dirname(config), "--perms", "01777", "--dir", config,
                     "--ro-bind", fonts, f"{config}/{os.path.basename(fonts)}"]
        args += ["--chdir", HOME, "--clearenv"]
        for name, value in environment(self.env_keep).items():
            args += ["--setenv", name, value]
        args += [sys.executable, "-I", "-S", "-c", LAUNCHER, str(self.uid), str(lim["memory_mb"] * mb),
                 str(lim["processes"]), str(lim["file_size_mb"] * mb), str(lim["cpu_seconds"]), str(lim["open_files"]),
                 *argv]
        return args

    def prepare(self, connection_info):
        """Write what the sandbox reads: the connection file, a passwd/group naming its one user."""
        (self.host / "kernel.json").write_text(json.dumps(connection_info))
        (self.host / "passwd").write_text(PASSWD.format(uid=self.uid))
        (self.host / "group").write_text(f"sandbox:x:{self.uid}:\n")
        for name in ("kernel.json", "passwd", "group"):
            os.chmod(self.host / name, 0o644)   # read inside as the sandbox uid; the folder stays 0700

    def launch_kwargs(self):
        """Popen arguments: bwrap reports its child's pid on a pipe; its output goes to a log, never to ours."""
        read, write = os.pipe()
        self.info_read = read
        log = open(self.log_path, "wb")
        return {"stdout": log, "stderr": subprocess.STDOUT, "stdin": subprocess.DEVNULL, "cwd": str(self.host),
                "env": {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, "pass_fds": (write,), "_info_write": write,
                "_log": log}

    def info_fd_args(self, write):
        return ["--info-fd", str(write)]

    def wait_ready(self, process, timeout):
        """Wait for the kernel's sockets; open each without following links. Raises SandboxUnavailable."""
        deadline = time.monotonic() + timeout
        info = b""
        while b"}" not in info:
            ready, _, _ = select.select([self.info_read], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(self.info_read, 4096) if ready else b""
            if not chunk:
                raise SandboxUnavailable(self._failure(process, "bubblewrap did not start the sandbox"))
            info += chunk
        os.close(self.info_read)
        self.info_read = None
        try:
            self.child = int(json.loads(info)["child-pid"])
        except (ValueError, KeyError, TypeError):
            raise SandboxUnavailable(self._failure(process, "bubblewrap gave no child pid")) from None
        for channel, port in PORTS.items():
            while channel not in self.fds:
                try:
                    self.fds[channel] = self._open_socket(f"{KERNEL_DIR}/k-{port}")
                except FileNotFoundError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise SandboxUnavailable(self._failure(process, "the kernel did not start")) from None
                    time.sleep(0.01)
        self._start_watch()

    # --- the watchdog: the kernel is the only process ---

    def _start_watch(self):
        """Note the kernel (the sandbox's one process besides bwrap's init, now that it serves its sockets) and
        start killing every other process that appears in the sandbox."""
        self.namespace = _pid_namespace(self.child)
        started = [pid for pid in _members(self.namespace) if _parent(pid) == self.child]
        self.kernel = started[0] if len(started) == 1 else None     # the launcher exec'd the kernel: same pid
        threading.Thread(target=self._watch, name="sandbox-watchdog", daemon=True).start()

    def _watch(self):
        while not self._stop_watch.wait(WATCH_SECONDS):
            for pid in _members(self.namespace):
                if pid not in (self.child, self.kernel):
                    _kill_if_member(pid, self.namespace)

    def _open_socket(self, path):
        """An O_PATH descriptor of a socket inside the sandbox; never follows a symlink on the way."""
        fd = os.open(f"/proc/{self.child}/root", os.O_PATH | os.O_DIRECTORY)
        try:
            parts = path.strip("/").split("/")
            for i, part in enumerate(parts):
                last = i == len(parts) - 1
                flags = os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC | (0 if last else os.O_DIRECTORY)
                next_fd = os.open(part, flags, dir_fd=fd)
                os.close(fd)
                fd = next_fd
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                raise FileNotFoundError(path)   # not (yet) the kernel's socket
        except OSError:
            os.close(fd)
            raise
        return fd

    def url(self, channel):
        return f"ipc:///proc/self/fd/{self.fds[channel]}"

    def _failure(self, process, what):
        time.sleep(0.05)
        try:
            log = self.log_path.read_text(errors="replace")[-2000:].strip()
        except OSError:
            log = ""
        code = process.poll()
        return f"{what}{f' (exit code {code})' if code is not None else ''}: {log or 'no message'}.\n{FIX}"

    def close(self):
        self._stop_watch.set()
        if self.root:
            self._end_processes()
        for fd in self.fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self.fds = {}
        if self.info_read is not None:
            with contextlib.suppress(OSError):
                os.close(self.info_read)
            self.info_read = None
        shutil.rmtree(self.host, ignore_errors=True)


    def _end_processes(self, wait=5.0):
        """Kill whatever still runs as this sandbox's uid (it dies with the pid namespace; this makes sure)."""
        deadline = time.monotonic() + wait
        while True:
            left = _processes_of(self.uid)
            if not left or time.monotonic() > deadline:
                return left
            for pid in left:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)


def _pid_namespace(pid):
    """The inode of a process's pid namespace (None when it is gone or not ours to inspect)."""
    try:
        return os.stat(f"/proc/{pid}/ns/pid").st_ino
    except OSError:
        return None


def _parent(pid):
    """The parent pid of `pid` (from /proc/<pid>/stat; None when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _members(namespace):
    """Host pids of the processes in the pid namespace `namespace`."""
    if namespace is None:
        return []
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit() and _pid_namespace(entry) == namespace]


def _kill_if_member(pid, namespace):
    """SIGKILL `pid` if it is still a process of the namespace: through a pidfd, so that a pid the kernel reused
    for another process in between is never signalled."""
    try:
        fd = os.pidfd_open(pid)
    except OSError:
        return
    try:
        if _pid_namespace(pid) == namespace:
            signal.pidfd_send_signal(fd, signal.SIGKILL)
    except OSError:
        pass
    finally:
        os.close(fd)


def _processes_of(uid):
    """Pids whose real uid is `uid` (from /proc/<pid>/status: /proc/<pid> itself is root's once a process
    changed its uid)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                with open(f"/proc/{entry}/status") as status:
                    for line in status:
                        if line.startswith("Uid:"):
                            if int(line.split()[1]) == uid:
                                pids.append(int(entry))
                            break
    return pids


# ---------------------------------------------------------------------------
# The kernel manager nbgrader uses
# ---------------------------------------------------------------------------

def _connect(owner, channel, identity, max_message_mb):
    """jupyter_client's socket, with limits set before connecting (ZeroMQ applies them per connection):
    no single message above max_message_mb, a short receive queue (a flood is dropped, not buffered),
    and no reconnecting: the descriptor number behind /proc/self/fd/N may be reused once the sandbox is
    gone, and a socket must never find its way to another sandbox's kernel."""
    import zmq
    from jupyter_client.connect import channel_socket_types

    sock = owner.context.socket(channel_socket_types[channel])
    sock.linger = 0            # nothing left unsent matters once the kernel is gone: closing never waits
    if identity:
        sock.identity = identity
    sock.setsockopt(zmq.MAXMSGSIZE, max_message_mb * 2**20)
    sock.setsockopt(zmq.RCVHWM, 64)
    sock.setsockopt(zmq.RECONNECT_IVL, -1)
    sock.setsockopt(zmq.SNDTIMEO, 5000)       # a dead kernel never blocks the grader's sends
    sock.connect(owner._make_url(channel))
    return sock


class _SandboxSockets:
    """For the manager and its clients alike: the kernel's sockets through the descriptors of `self.sandbox`."""

    sandbox = None
    max_message_mb = 16

    def _make_url(self, channel):
        if self.sandbox is not None and channel in self.sandbox.fds:
            return self.sandbox.url(channel)
        return super()._make_url(channel)

    def _create_connected_socket(self, channel, identity=None):
        if self.sandbox is None:
            return super()._create_connected_socket(channel, identity)
        return _connect(self, channel, identity, self.max_message_mb)


class SandboxedKernelClient(_SandboxSockets, channels.KernelClient):
    """A client that reaches the kernel's sockets through descriptors the manager opened safely (and whose
    sends wake a pending wait for a reply: channels.py)."""


class SandboxedKernelManager(_SandboxSockets, AsyncKernelManager):
    """Starts each kernel inside a Sandbox; with `enabled = False` (--no-sandbox) starts it as usual."""

    enabled = Bool(True, help="Run kernels in a bubblewrap sandbox. False only with --no-sandbox.").tag(config=True)
    memory_mb = Integer(2048, help="Address-space limit of each process in the sandbox (MB, 0: none).").tag(config=True)
    processes = Integer(64, help="Processes and threads the sandbox's uid may have at once.").tag(config=True)
    file_size_mb = Integer(64, help="Largest file the kernel may write (MB).").tag(config=True)
    cpu_seconds = Integer(900, help="CPU time of each process in the sandbox (s).").tag(config=True)
    open_files = Integer(256, help="Open files per process.").tag(config=True)
    home_mb = Integer(256, help="Size of the private writable home and working folder (MB).").tag(config=True)
    env_keep = List(Unicode(), help="Names of environment variables passed into the sandbox as they are "
                                    "(none by default: the kernel's environment is an allowlist).").tag(config=True)
    startup_timeout = Integer(60, help="Seconds to wait for a sandboxed kernel to start.").tag(config=True)
    max_message_mb = Integer(16, help="Largest single message accepted from the kernel (MB).").tag(config=True)
    rnnlib_build = Unicode("", help="A class build of rnnlib (python -m rnngrader.classmode build) that the kernel "
                                    "imports instead of the course's: students' code, while it is graded, cannot "
                                    "read or call the answers to assignments that are still open. The judge keeps "
                                    "the whole rnnlib. A folder of one build per assignment (build --each) grades "
                                    "each notebook with its own. Empty: the course's rnnlib.").tag(config=True)

    judge_dir = None          # set by the execution step: a folder mounted read-only at JUDGE_DIR
    while_starting = None     # set by the execution step: called in this thread while the kernel starts up

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sandbox = None
        self.client_class = "rnngrader.sandbox.SandboxedKernelClient"

    async def start_kernel(self, **kw):
        if not self.enabled:
            return await KernelManager._async_start_kernel(self, **kw)
        self.sandbox = Sandbox(memory_mb=self.memory_mb, processes=self.processes, file_size_mb=self.file_size_mb,
                               cpu_seconds=self.cpu_seconds, open_files=self.open_files, home_mb=self.home_mb,
                               env_keep=self.env_keep,
                               judge_dir=self.judge_dir, rnnlib_build=self.rnnlib_build or None)
        self.transport = "ipc"
        self.ip = f"{KERNEL_DIR}/k"
        for channel, port in PORTS.items():
            setattr(self, f"{channel}_port", port)
        self.connection_file = str(self.sandbox.host / "kernel.json")
        self.write_connection_file()
        self.sandbox.prepare(json.loads(pathlib.Path(self.connection_file).read_text()))
        launch = self.sandbox.launch_kwargs()
        self._info_write, self._log = launch.pop("_info_write"), launch.pop("_log")
        kw.pop("cwd", None)
        kw.update(launch)
        await KernelManager._async_start_kernel(self, **kw)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.sandbox is None:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            os.close(self._info_write)
            self._log.close()
        # before anything connects (post-start opens the control channel): the sockets, opened safely
        try:
            if self.while_starting is not None:   # work of ours that fits in the kernel's second of start-up
                self.while_starting()
            self.sandbox.wait_ready(self.provisioner.process, self.startup_timeout)
        except BaseException:
            with contextlib.suppress(Exception):
                self.provisioner.process.kill()
                self.provisioner.process.wait(5)
            self.sandbox.close()
            self.sandbox = None
            raise

    def format_kernel_cmd(self, extra_arguments=None):
        if not self.enabled or self.sandbox is None:
            return super().format_kernel_cmd(extra_arguments)
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", CONNECTION, *(extra_arguments or [])]
        cmd = self.sandbox.command(argv)
        return cmd[:1] + self.sandbox.info_fd_args(self._info_write) + cmd[1:]

    def client(self, **kwargs):
        kc = super().client(**kwargs)
        kc.sandbox = self.sandbox
        kc.max_message_mb = self.max_message_mb
        return kc

    async def interrupt_kernel(self):
        """A signal to bwrap would not reach the kernel: ask it on the control channel."""
        if self.sandbox is None:
            return await KernelManager._async_interrupt_kernel(self)
        self._connect_control_socket()
        with contextlib.suppress(Exception):
            self.session.send(self._control_socket, self.session.msg("interrupt_request", content={}))

    async def _async_request_shutdown(self, restart=False):
        """Ask politely, unless the kernel is already gone (then its sandbox has ended with it)."""
        process = getattr(self.provisioner, "process", None)
        if self.sandbox is not None and process is not None and process.poll() is not None:
            return
        try:
            await KernelManager._async_request_shutdown(self, restart)
        except Exception:  # noqa: BLE001  (zmq.Again: nobody listens; the process is killed next)
            self.log.debug("the sandboxed kernel did not take the shutdown request")

    def cleanup_ipc_files(self):
        """The kernel's sockets live inside the sandbox, which takes them along; nothing to remove here."""

    async def cleanup_resources(self, restart=False):
        await KernelManager._async_cleanup_resources(self, restart)
        if self.sandbox is not None:
            self.sandbox.close()
            self.sandbox = None


# ---------------------------------------------------------------------------
# Can a sandbox be made here?
# ---------------------------------------------------------------------------

def check():
    """None when a sandbox works here; otherwise raise SandboxUnavailable with what to do."""
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(f"This machine runs {sys.platform}, and the sandbox needs Linux.\n{FIX}")
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable(f"bubblewrap (the command bwrap) is not installed.\n{FIX}")
    sandbox = Sandbox(memory_mb=0, processes=0, file_size_mb=0, cpu_seconds=0, open_files=0, home_mb=16)
    try:
        sandbox.prepare({})
        cmd = sandbox.command([sys.executable, "-I", "-S", "-c", "print('sandbox ok')"])
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                                    env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        except OSError as e:
            raise SandboxUnavailable(f"bubblewrap could not be run ({e}).\n{FIX}") from None
        if result.returncode != 0 or "sandbox ok" not in result.stdout:
            said = (result.stderr or result.stdout).strip()[-1000:]
            raise SandboxUnavailable(f"bubblewrap cannot make a sandbox on this machine: {said or 'no message'}\n{FIX}")
    finally:
        sandbox.close()
