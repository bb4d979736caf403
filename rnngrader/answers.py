"""Judge answers function by function: a notebook's tests against one answer at a time, without nbgrader.

This is how the catalogue of right and wrong answers (tests/catalogue/) is judged in `make test`, and how
an instructor can try an answer against the hidden tests. It uses the same pieces as grading a class:
the answer runs in a sandboxed kernel (sandbox.py), the notebook's test cells, visible and hidden, run in
the judge (judge.py), and only plain data crosses (wire.py). The kernel first runs the instructor's
notebook (every cell but the tests, shortened as under grading), so an answer may use what the notebook
defines (a helper from a demo cell); then each answer gets a namespace of its own, a copy of that one
with the answer's functions and the instructor's other answers defined in it.

    from rnngrader.answers import judge_answers
    verdicts = judge_answers(source_nb, {"forgot-the-bias": {"rnn_step_forward": "def rnn_step_forward(...): ..."}})
    verdicts["forgot-the-bias"]   # {grade_id: None when the test cell passed, else "GradingError: message"}

Each answer is a set of solution-cell replacements: {function name: the whole cell that defines it}; every
other solution cell keeps the instructor's answer, as in a notebook where the student got the rest right.
"""
import asyncio
import contextlib
import os
import re
import shutil
import tempfile

from . import judge as judging
from .sandbox import JUDGE_DIR, SandboxedKernelManager

MARKERS = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")


def _plain(source):
    return "\n".join(line for line in source.splitlines() if not MARKERS.match(line))


def solution_cells(nb):
    """[(names the cell defines, source without nbgrader markers)] for every code solution cell, in order."""
    out = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution") and not meta.get("grade"):
            out.append((judging._names(cell.source)[0], _plain(cell.source)))
    return out


def judge_answers(source_nb, answers, cell_timeout=60, only=None, **limits):
    """{answer label: {test grade_id: None (passed) or "ExceptionName: message"}} for each answer.

    Every answer is judged by every test cell, unless `only` names some: {label: functions}; that answer
    then meets only the test cells that take one of those functions from the notebook (a test that reads
    `rnn_forward` tests it; one that does not cannot tell two answers to it apart).
    The notebook runs shortened, as under grading (NBGRADER_EXECUTION=autograde in the kernel)."""
    saved = os.environ.get("NBGRADER_EXECUTION")
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    try:
        return asyncio.run(_judge_all(source_nb, answers, cell_timeout, only or {}, limits))
    finally:
        if saved is None:
            os.environ.pop("NBGRADER_EXECUTION", None)
        else:
            os.environ["NBGRADER_EXECUTION"] = saved


class _Kernel:
    """One sandboxed kernel holding the notebook's setup and the instructor's answers."""

    def __init__(self, folder, prelude, cells, limits):
        self.folder, self.prelude, self.cells, self.limits = folder, prelude, cells, limits
        self.km = self.kc = None

    async def start(self):
        self.km = SandboxedKernelManager(**self.limits)
        self.km.judge_dir = self.folder
        await self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=60)
        for source in self.prelude:          # the instructor's notebook, a cell at a time (one may fail)
            await self.run(source, timeout=300)

    async def run(self, code, timeout=60):
        msg_id = self.kc.execute(code, silent=True, store_history=False, stop_on_error=False)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise TimeoutError("the kernel did not answer")
            msg = await self.kc.get_shell_msg(timeout=left)
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return msg

    async def define(self, key, replacements):
        """The answer in a namespace of its own (the instructor's other answers around it), frozen as `key`."""
        sources = [replacements.get(next(iter(names & set(replacements)), None), src) if names & set(replacements)
                   else src for names, src in self.cells]
        names = sorted({n for cell_names, _ in self.cells for n in cell_names} | set(replacements))
        code = ("__answer = dict(globals())\n"
                f"for __source in {sources!r}:\n"
                f"    try:\n"
                f"        exec(compile(__source, '<answer>', 'exec'), __answer)\n"
                f"    except Exception as __error:\n"
                f"        print('the answer cell raised', repr(__error))\n"
                f"__import__('rnngrader.agent', fromlist=['freeze']).freeze({key!r}, {names!r}, __answer)\n"
                f"del __answer")
        await self.run(code, timeout=60)

    async def serve(self, judge):
        path = JUDGE_DIR + "/judge.sock" if self.km.sandbox is not None else judge.path
        msg_id = self.kc.execute(f"__import__('rnngrader.agent', fromlist=['serve']).serve({path!r})",
                                 silent=True, store_history=False, stop_on_error=False)
        del msg_id
        return await asyncio.to_thread(judge.connect, 60)

    async def stop(self):
        with contextlib.suppress(Exception):
            self.kc.stop_channels()
        with contextlib.suppress(Exception):
            await self.km.shutdown_kernel(now=True)
        with contextlib.suppress(Exception):
            await self.km.cleanup_resources()


async def _judge_all(source_nb, answers, cell_timeout, only, limits):
    plan = judging.plan(source_nb)
    cells = solution_cells(source_nb)
    prelude = [_plain(c.source) for i, c in enumerate(source_nb.cells)
               if c.cell_type == "code" and i not in plan.tests and c.source.strip()]
    folder = tempfile.mkdtemp(prefix="rnn-judge-")
    os.chmod(folder, 0o711)
    judge = judging.Judge(folder, cell_timeout=cell_timeout)
    judge.run_setup(plan.setup)
    setup_ns = dict(judge.ns)
    tests = [t for _, t in sorted(plan.tests.items())]
    verdicts = {}
    kernel = None
    try:
        for number, (label, replacements) in enumerate(answers.items()):
            if kernel is None:
                kernel = _Kernel(folder, prelude, cells, limits)
                await kernel.start()
            key = f"answer-{number}"
            await kernel.define(key, replacements)
            verdicts[label] = {}
            if not await kernel.serve(judge):
                verdicts[label] = {t.key: "KernelDiedError: the kernel did not serve the judge" for t in tests}
                await kernel.stop()
                kernel = None
                continue
            judge.ns = dict(setup_ns)
            mine = [t for t in tests if label not in only or set(t.names) & set(only[label])]
            for test in mine:
                try:
                    outputs = await asyncio.to_thread(judge.run_test, test, key)
                except judging._Verdict as failed:
                    outputs = failed.outputs
                    verdicts[label][test.key] = _verdict(outputs)
                    await kernel.stop()           # the kernel hung or died: a fresh one for what is left
                    kernel = None
                    for rest in mine[mine.index(test) + 1:]:
                        verdicts[label][rest.key] = "NotJudged: the kernel died in an earlier test"
                    break
                verdicts[label][test.key] = _verdict(outputs)
            else:
                judge.disconnect()
    finally:
        if kernel is not None:
            await kernel.stop()
        judge.close()
        shutil.rmtree(folder, ignore_errors=True)
    return verdicts


def _verdict(outputs):
    errors = [o for o in outputs if o.get("output_type") == "error"]
    return f"{errors[0]['ename']}: {errors[0]['evalue']}" if errors else None
