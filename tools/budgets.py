"""Measure the notebook budgets of DESIGN §8 and print a table.

    .venv/bin/python -m tools.budgets            # every assignment (from the repository; or make budgets)
    .venv/bin/python -m tools.budgets 02_vanilla_rnn

For each solution notebook: wall time top to bottom, wall time with
NBGRADER_EXECUTION=autograde (the shortened run the grader sees), and the
peak resident memory of the kernel process. Then the time for the real
`nbgrader autograde` of one student who submitted every notebook, side by side:
before (nbgrader's own execution, tests in the kernel, no sandbox) and after
(the course's grading: every kernel sandboxed, every test judged outside it).
Each notebook runs in a fresh subprocess so that the kernel's peak memory
(ru_maxrss of the finished child) belongs to that notebook alone.
"""
import json
import pathlib
import subprocess
import sys
import tempfile
import time

from tests.course import REPO, as_student_solution, code_scores, nbgrader, read, scratch_course, submit

RUN_ONE = r"""
import json, os, resource, sys, time
import nbformat
from nbclient import NotebookClient
from rnngrader.channels import KernelManager   # no widget cell waits out the timeout for a reply (channels.py)
path, fast = sys.argv[1], sys.argv[2] == "1"
if fast:
    os.environ["NBGRADER_EXECUTION"] = "autograde"
nb = nbformat.read(path, as_version=4)
start = time.perf_counter()
NotebookClient(nb, timeout=600, kernel_name="python3", kernel_manager_class=KernelManager,
               resources={"metadata": {"path": os.path.dirname(path)}}).execute()
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


def run_notebook(path, fast):
    out = subprocess.run([sys.executable, "-c", RUN_ONE, str(path), "1" if fast else "0"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# nbgrader's own execution step in place of ours: the tests run in the kernel, unsandboxed (the "before").
UNSANDBOXED = ("--Autograde.autograde_preprocessors=['nbgrader.preprocessors.Execute', "
               "'nbgrader.preprocessors.IgnorePattern', 'nbconvert.preprocessors.ClearMetadataPreprocessor', "
               "'nbgrader.preprocessors.LimitOutput', 'nbgrader.preprocessors.SaveAutoGrades', "
               "'nbgrader.preprocessors.AssignLatePenalties', 'nbgrader.preprocessors.CheckCellMetadata']")


def autograde_one_student(assignments, *extra):
    """Seconds for one `nbgrader autograde "*"` of a student who submitted every notebook, and the score."""
    with tempfile.TemporaryDirectory() as tmp:
        course = scratch_course(pathlib.Path(tmp), assignments)
        for a in assignments:
            release = read(course / "notebooks" / a / f"{a}.ipynb")
            source = read(REPO / "solutions" / a / f"{a}.ipynb")
            submit(course, "student", a, as_student_solution(release, source))
        start = time.perf_counter()
        nbgrader(course, "autograde", "*", "--student", "student", "--create", *extra)
        seconds = time.perf_counter() - start
        score = sum(code_scores(course, a)["student"][0] for a in assignments)
        return seconds, score


def main(argv):
    assignments = argv or sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
    print(f"{'assignment':<24}{'top to bottom':>15}{'autograde run':>15}{'peak kernel':>13}")
    for a in assignments:
        path = REPO / "solutions" / a / f"{a}.ipynb"
        full, fast = run_notebook(path, False), run_notebook(path, True)
        peak = max(full["peak_mb"], fast["peak_mb"])
        print(f"{a:<24}{full['seconds']:>14.1f}s{fast['seconds']:>14.1f}s{peak:>10.0f} MB")
    before, score_before = autograde_one_student(assignments, UNSANDBOXED)
    after, score_after = autograde_one_student(assignments)
    print(f"\nnbgrader autograde of one student's {len(assignments)} notebooks (one process, solved notebooks):")
    print(f"  before: tests in the kernel, no sandbox (nbgrader's Execute)  {before:6.1f} s  ({score_before:g} points)")
    print(f"  after:  sandboxed kernel, tests judged outside it            {after:6.1f} s  ({score_after:g} points)")


if __name__ == "__main__":
    main(sys.argv[1:])
