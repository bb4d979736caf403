"""The nbgrader step that runs a submission: in a sandboxed kernel, with the judge deciding every point.

nbgrader_config.py uses `JudgedExecute` in place of nbgrader's Execute. For one notebook it:

1. reads which cells are tests (locked grade cells, restored from the gradebook by this time) and
   which set up the judge (the locked setup cell), and runs the setup in the judge (judge.py);
2. runs the notebook in a kernel inside the sandbox (sandbox.py): every cell the student wrote or may
   have changed, and of each test cell only its visible part, as in the student's own kernel. Just
   before a test cell runs, the functions it tests are frozen (agent.freeze), so that the judge calls
   them as they were at that point of the notebook;
3. asks the kernel to serve the judge (agent.serve) and runs every test cell, visible and hidden
   tests, in the judge. The judge's outputs replace the test cells' outputs, so nbgrader's
   SaveAutoGrades scores exactly what the judge decided. The hidden tests never enter the kernel;
4. caps output in bytes as it streams in: a cell that prints more than `max_cell_output_mb` is cut,
   and interrupted when it goes on; the notebook as a whole keeps at most `max_notebook_output_mb`;
5. survives a cell that kills, hangs or starves the kernel: the notebook runs again in a fresh kernel
   without that cell, which shows why it was skipped. A test whose student function kills or hangs
   the kernel fails with the reason, and a fresh kernel, with the notebook run again, serves the rest.
"""
import asyncio
import copy
import json
import os
import shutil
import tempfile
import threading
import time
import uuid

from jupyter_client.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Float, Integer

from . import classmode, sandbox
from . import judge as judging
from .sandbox import JUDGE_DIR, SandboxedKernelManager

KERNEL_DIED = judging.KERNEL_DIED
NOT_INTERRUPTIBLE = judging.TIME_LIMIT   # the name nbgrader gives a time-out, so reports count both alike
OUT_OF_MEMORY = "MemoryError"
TRUNCATED = "OutputTruncated"
NOT_JUDGED = "NotJudged"


def _error(ename, message):
    return NotebookNode(output_type="error", ename=ename, evalue=message,
                        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {message}"])


class _OutOfMemory(Exception):
    """A cell raised MemoryError: its garbage may still fill the kernel, so start afresh without it."""


class JudgedExecute(Execute):
    """Run a submission in a sandboxed kernel; the judge runs the test cells (see the module docstring)."""

    max_restarts = Integer(
        8, help="How many times one notebook may be run again with one more cell skipped. When they are "
                "used up, the cells from the failing one on are marked as not run and score zero.",
    ).tag(config=True)
    judge_restarts = Integer(
        3, help="How many times a fresh kernel is started to judge the remaining tests after a student's "
                "function killed or hung the kernel during a test.",
    ).tag(config=True)
    max_cell_output_mb = Float(2.0, help="Output one cell may leave in the graded notebook (MB).").tag(config=True)
    max_notebook_output_mb = Float(16.0, help="Output the whole graded notebook may keep (MB).").tag(config=True)
    max_outputs_per_cell = Integer(200, help="Outputs (prints, displays) one cell may keep.").tag(config=True)
    connect_timeout = Integer(60, help="Seconds to wait for the kernel to start serving the judge.").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)
        # nbclient skips cells tagged "skip-execution"; a student could tag a test cell so. No tag skips here.
        self.skip_cells_with_tag = f"never-{uuid.uuid4()}"
        # Once the judge has its verdicts the kernel has nothing left to do: it is killed, not asked to shut
        # down, so no exit handler a student registered runs.
        self.shutdown_kernel = "immediate"

    # ------------------------------------------------------------------ the notebook

    def preprocess(self, nb, resources=None, km=None):
        self._check_assign_resources(resources)
        self._plan = judging.plan(nb)
        folder = tempfile.mkdtemp(prefix="rnn-judge-")
        os.chmod(folder, 0o711)            # the sandbox's uid reaches the socket inside, nothing else
        self._judge = judging.Judge(folder, cell_timeout=self.timeout or 60)
        self._set_up = False
        try:
            nb = self._grade(nb)
        finally:
            self._judge.close()
            shutil.rmtree(folder, ignore_errors=True)
        return nb, self.resources

    def _grade(self, nb):
        original = copy.deepcopy(nb)
        for index in self._plan.tests:     # until the judge says otherwise, no test has passed
            original.cells[index].outputs = [_error(NOT_JUDGED, "this test was not judged.")]
        skipped = {}
        for attempt in range(self.max_restarts + 1):
            work = copy.deepcopy(original)
            self._current = None
            try:
                run_sync(self._run)(work, skipped)
                return work
            except (DeadKernelError, CellTimeoutError, _OutOfMemory) as e:
                if self._current is None:
                    raise
                if attempt == self.max_restarts:
                    return self._give_up(work, self._current)
                self._skip(skipped, self._current, *self._reason(e))
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _run(self, nb, skipped):
        """Run the notebook in a fresh sandboxed kernel, then judge its tests."""
        await self._start(nb)
        try:
            await self._run_cells(nb, skipped)
            self._current = None
            await self._judge_tests(nb, skipped)
        finally:
            await self._async_cleanup_kernel()

    async def _start(self, nb):
        _reset(self, nb)
        self.km = self.create_kernel_manager()
        if getattr(self.km, "rnnlib_build", ""):    # before anything runs: a build that would fail right answers
            assignment = self.resources.get("nbgrader", {}).get("assignment")
            self.km.rnnlib_build = str(sandbox.class_build(classmode.build_for(self.km.rnnlib_build, assignment)))
            classmode.check_for_grading(self.km.rnnlib_build, assignment)
        self.km.judge_dir = self._judge.folder
        self.km.while_starting = self._set_up_judge
        await self.async_start_new_kernel()
        await self.async_start_new_kernel_client()
        info = await self.async_wait_for_reply(await _ensure(self.kc.kernel_info()))
        if info is not None and "language_info" in info.get("content", {}):
            nb.metadata["language_info"] = info["content"]["language_info"]

    def _set_up_judge(self):
        """Run the setup cells in the judge, once per notebook, while the first kernel starts.

        In this thread, between the kernel's launch and its first socket: the setup's imports take about as
        long as the kernel's start-up. Not in a thread of its own: beside the kernel manager's imports they
        raced (IPython, through ipywidgets) and broke a fresh grading process's first notebook now and then
        ("cannot import name ... from partially initialized module")."""
        if not self._set_up:
            self._set_up = True
            self._judge.run_setup(self._plan.setup)

    async def _run_cells(self, nb, skipped):
        for index, cell in enumerate(nb.cells):
            self._current = index
            if index in skipped:
                cell.outputs = [_error(*skipped[index])]
                cell.execution_count = None
                continue
            test = self._plan.tests.get(index)
            if test is not None:
                # the visible part, as in the student's kernel (the state it leaves may matter further down);
                # its outputs are not the verdict: the judge's are
                await self._freeze(test)
                visible = copy.deepcopy(cell)
                visible.source = test.visible
                await self.async_execute_cell(visible, index, execution_count=self.code_cells_executed + 1)
                nb.cells[index] = cell
                continue
            await self.async_execute_cell(cell, index, execution_count=self.code_cells_executed + 1)
            self._finish_cell(cell, index)
            if any(o.get("ename") == OUT_OF_MEMORY for o in cell.get("outputs", [])):
                raise _OutOfMemory()

    async def _freeze(self, test):
        if not test.names:
            return
        code = f"__import__('rnngrader.agent', fromlist=['freeze']).freeze({test.key!r}, {list(test.names)!r})"
        msg_id = await _ensure(self.kc.execute(code, silent=True, store_history=False, stop_on_error=False))
        await self.async_wait_for_reply(msg_id)

    # ------------------------------------------------------------------ judging

    async def _judge_tests(self, nb, skipped):
        """Judge every test cell; after a kernel failure, go on in a fresh kernel with the notebook run again."""
        self._set_up_judge()          # (a kernel started without the sandbox has no start-up to fill)
        tests = [t for _, t in sorted(self._plan.tests.items())]
        restarts = 0
        serving = await self._serve()
        for position, test in enumerate(tests):
            if test.index in skipped:
                outputs = [_error(*skipped[test.index])]
            elif not serving:
                outputs = [_error(KERNEL_DIED, "not judged: the grading kernel did not answer the grader (it died, "
                                               "hung, or the notebook broke Python's imports).")]
            else:
                started, calls = time.monotonic(), self._judge.calls
                try:
                    outputs = await asyncio.to_thread(self._judge.run_test, test)
                    self.log.info("Judged %s: %s in %.2f s (%d calls of the student's code)", test.key,
                                  "failed" if any(o.get("output_type") == "error" for o in outputs) else "passed",
                                  time.monotonic() - started, self._judge.calls - calls)
                except judging._Verdict as failed:
                    outputs = failed.outputs
                    self.log.warning("Test cell %s: %s", test.key, failed.cause)
                    more = any(t.index not in skipped for t in tests[position + 1:])
                    if more and restarts < self.judge_restarts:
                        restarts += 1
                        serving = await self._restart_for_judging(nb, skipped)
                    else:
                        serving = False
            nb.cells[test.index].outputs = [NotebookNode(o) for o in outputs]
        self._judge.disconnect()

    async def _serve(self):
        """Ask the kernel to serve the judge; True when its agent connected."""
        code = f"__import__('rnngrader.agent', fromlist=['serve']).serve({_judge_socket(self.km, self._judge)!r})"
        msg_id = await _ensure(self.kc.execute(code, silent=True, store_history=False, stop_on_error=False))
        gave_up = threading.Event()
        reply = asyncio.ensure_future(self._reply_then(msg_id, gave_up))
        try:
            return await asyncio.to_thread(self._judge.connect, self.connect_timeout, gave_up)
        finally:
            if not reply.done():
                reply.cancel()

    async def _reply_then(self, msg_id, event):
        """The serve request answered before the agent connected: it failed in the kernel."""
        try:
            while True:
                msg = await _ensure(self.kc.shell_channel.get_msg(timeout=None))
                if msg.get("parent_header", {}).get("msg_id") == msg_id:
                    break
        finally:
            event.set()

    async def _restart_for_judging(self, nb, skipped):
        """A fresh kernel with the notebook run again (outputs thrown away), serving the judge."""
        await self._async_cleanup_kernel()
        replay = copy.deepcopy(nb)
        try:
            await self._start(replay)
            await self._run_cells(replay, skipped)
        except (DeadKernelError, CellTimeoutError, _OutOfMemory, RuntimeError):
            return False
        finally:
            self.nb = nb
            self._current = None
        return await self._serve()

    # ------------------------------------------------------------------ output caps

    def output(self, outs, msg, display_id, cell_index):
        size = _size(msg.get("content"))
        self._cell_bytes += size
        cell_cap = self.max_cell_output_mb * 2**20
        displays = msg.get("msg_type") != "stream" and len(outs) >= self.max_outputs_per_cell
        if self._cell_bytes > cell_cap or self._notebook_bytes + size > self.max_notebook_output_mb * 2**20 \
                or displays:
            self._dropped += size
            if self._cell_bytes > 4 * cell_cap and not self._interrupted:
                self._interrupted = True
                asyncio.ensure_future(_ensure(self.km.interrupt_kernel()))
            return None
        self._notebook_bytes += size
        return super().output(outs, msg, display_id, cell_index)

    def process_message(self, msg, cell, cell_index):
        kind = msg.get("msg_type", "")
        if kind == "update_display_data" or kind.startswith("comm"):
            # display updates replace earlier output, widget messages feed nbclient's widget mirror
            # (never written to the graded notebook): both are counted, and cut past the cap
            size = _size(msg.get("content"))
            self._cell_bytes += size
            if self._cell_bytes > self.max_cell_output_mb * 2**20:
                self._dropped += size
                return None
        return super().process_message(msg, cell, cell_index)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self._cell_bytes, self._dropped, self._interrupted, self._timed_out = 0, 0, False, False
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except (ValueError, KeyError, TypeError) as e:
            # a message the grader cannot read (a bad signature, missing fields): the kernel is not the one
            # it started any more (forked copies of it, or a hand-made message). Treat it as dead.
            raise DeadKernelError(f"the kernel sent a message the grader cannot read ({type(e).__name__})") from e
        except CellTimeoutError as e:
            if "IOPub" not in str(e) or self._timed_out:
                raise       # the cell ran past its time limit and the interrupt did not stop it
            # The cell finished, but its output stopped arriving: a message larger than the grader takes
            # (ZeroMQ's MAXMSGSIZE) ends the output connection, and the rest of the cell's output with it.
            # A new connection serves the next cells.
            self._dropped += getattr(self.kc, "max_message_mb", 1) * 2**20
            await self._reconnect_output()
            self.nb.cells[cell_index] = cell
            return cell

    async def _reconnect_output(self, tries=20):
        """A fresh output connection, and proof that it receives (a kernel_info request's status message)."""
        channel = getattr(self.kc, "_iopub_channel", None)
        if channel is not None:
            channel.close()
            self.kc._iopub_channel = None
        for _ in range(tries):
            msg_id = await _ensure(self.kc.kernel_info())
            try:
                await _ensure(self.kc.shell_channel.get_msg(timeout=5))
                deadline = time.monotonic() + 0.5
                while time.monotonic() < deadline:
                    msg = await _ensure(self.kc.iopub_channel.get_msg(timeout=0.5))
                    if msg.get("parent_header", {}).get("msg_id") == msg_id:
                        return
            except Exception:  # noqa: BLE001  (queue.Empty and the like: try again)
                continue

    async def _async_handle_timeout(self, timeout, cell=None):
        self._timed_out = True
        return await super()._async_handle_timeout(timeout, cell)

    def _finish_cell(self, cell, index):
        if self._dropped:
            cell.outputs.append(_error(TRUNCATED, f"this cell printed or displayed more than the grader keeps "
                                                  f"({self.max_cell_output_mb:g} MB per cell, "
                                                  f"{self.max_notebook_output_mb:g} MB per notebook, "
                                                  f"{self.max_outputs_per_cell} outputs per cell); "
                                                  f"{self._dropped / 2**20:.1f} MB were left out."))

    # ------------------------------------------------------------------ recovering from a dead kernel

    def _skip(self, skipped, index, ename, message):
        self.log.warning("Cell %d: %s Running the notebook again without it.", index, message)
        skipped[index] = (ename, message)

    def _reason(self, error):
        if isinstance(error, DeadKernelError):
            return KERNEL_DIED, ("this cell stopped the grading kernel (os._exit, a crash, or too much memory) "
                                 "and was skipped; the cells after it ran in a fresh kernel.")
        if isinstance(error, _OutOfMemory):
            return OUT_OF_MEMORY, ("this cell ran out of memory (the grading kernel has a memory limit) and was "
                                   "skipped; the cells after it ran in a fresh kernel.")
        return NOT_INTERRUPTIBLE, (f"this cell ran longer than the time limit ({self.timeout} s) and did not stop "
                                   f"when interrupted; it was skipped and the cells after it ran in a fresh kernel.")

    def _give_up(self, nb, first):
        message = (f"not run: the grading kernel failed {self.max_restarts + 1} times in this notebook "
                   f"(os._exit, crashes, hangs or memory), the last time in cell {first}.")
        self.log.warning("Cells %d and after: %s", first, message)
        for cell in nb.cells[first:]:
            if cell.cell_type == "code":
                cell.outputs = [_error(KERNEL_DIED, message)]
                cell.execution_count = None
        return nb


def _judge_socket(km, judge):
    """Where the kernel finds the judge: mounted at JUDGE_DIR in the sandbox; as it is without one."""
    return JUDGE_DIR + "/judge.sock" if getattr(km, "sandbox", None) is not None else judge.path


def _reset(client, nb):
    client.nb = nb
    client.km = None
    client.kc = None
    client.reset_execution_trackers()
    client._notebook_bytes = 0
    client._cell_bytes = client._dropped = 0
    client._interrupted = False


async def _ensure(value):
    return await value if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future) else value


def _size(content):
    """Bytes of an output message's payload (text, data of every mime type, traceback)."""
    if not isinstance(content, dict):
        return 0
    total = 0
    for key in ("text", "evalue", "ename"):
        value = content.get(key)
        total += len(value) if isinstance(value, str) else 0
    for part in ("data", "metadata"):
        value = content.get(part)
        if isinstance(value, dict):
            for v in value.values():
                total += len(v) if isinstance(v, str) else len(json.dumps(v, default=str))
    traceback = content.get("traceback")
    if isinstance(traceback, list):
        total += sum(len(line) for line in traceback if isinstance(line, str))
    return total
