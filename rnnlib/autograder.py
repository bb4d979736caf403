"""nbgrader-side guards: one bad submission costs its own points, never the grading.

nbgrader_config.py plugs these into `nbgrader autograde`:

- MemoryLimitedKernelManager: each grading kernel starts with an address-space
  limit (RLIMIT_AS), so a memory bomb becomes a MemoryError in its cell instead
  of exhausting the machine. `memory_limit_mb` (0 = no limit).
- RecoveringExecute: nbgrader's Execute, plus: when a cell kills the kernel
  (os._exit, a crash, the OOM killer), ignores the interrupt after a time-out,
  or runs out of memory, the notebook is run again from the top in a fresh
  kernel with that cell skipped and given an error that says why. The student
  loses only the points that depend on that cell. Students cannot skip test
  cells with the "skip-execution" tag.
- KeepLastDuplicate: nbgrader's DeduplicateIds leaves an empty nbgrader
  metadata dict on every extra copy of a cell, which makes nbgrader stop the
  whole run with "notebooks use an old version of the nbgrader metadata".
  This drops the metadata of the extra copies instead (the last copy keeps
  the grade_id and is graded; the others run as ordinary cells).
- RestoreCells: nbgrader's OverwriteCells (which already restores edited test
  cells and test cells turned into markdown), plus: deleted grade cells are put
  back after the nearest cell that is still there, and a cell whose grade_id
  was renamed becomes an ordinary cell instead of failing validation.
"""
import copy
import re
import sys
import uuid

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import DeduplicateIds, Execute, OverwriteCells
from traitlets import Integer

# Runs before the kernel: set the limit, keep BLAS to one thread (each extra
# thread reserves address space), then become the kernel (same pid, so
# interrupts and kills reach it).
_LAUNCHER = """\
import os, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")
os.execvp(sys.argv[2], sys.argv[2:])
"""

KERNEL_DIED = "KernelDiedError"
NOT_INTERRUPTIBLE = "CellTimeoutError"  # the name nbgrader gives a time-out, so reports count both alike
OUT_OF_MEMORY = "MemoryError"


class MemoryLimitedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels cannot use more than `memory_limit_mb` of address space."""

    memory_limit_mb = Integer(
        2048,
        help="Address-space limit of each grading kernel in MB (0: none). The course's kernels "
             "peak near 1100 MB of address space (about 160 MB resident) when autograded.",
    ).tag(config=True)

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if self.memory_limit_mb <= 0:
            return cmd
        return [sys.executable, "-c", _LAUNCHER, str(self.memory_limit_mb * 1024 * 1024), *cmd]


def _error(ename, message):
    return NotebookNode(output_type="error", ename=ename, evalue=message,
                        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {message}"])


class _OutOfMemory(Exception):
    """A cell raised MemoryError: its garbage may still fill the kernel, so start afresh without it."""


class RecoveringExecute(Execute):
    """Execute that survives a cell which kills, hangs or starves the kernel (see the module docstring)."""

    max_restarts = Integer(
        8, help="How many times one notebook may be run again with one more cell skipped. When they are "
                "used up, the cells from the failing one on are marked as not run and score zero.",
    ).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", MemoryLimitedKernelManager)
        super().__init__(*args, **kwargs)
        # nbclient skips cells tagged "skip-execution"; a student could tag a test cell so. No tag skips here.
        self.skip_cells_with_tag = f"never-{uuid.uuid4()}"

    def preprocess(self, nb, resources=None, km=None):
        original = copy.deepcopy(nb)
        self._skipped = {}
        for attempt in range(self.max_restarts + 1):
            work = copy.deepcopy(original)
            self._current = None
            try:
                return super().preprocess(work, resources, km)
            except (DeadKernelError, CellTimeoutError, _OutOfMemory) as e:
                if self._current is None:
                    raise
                if attempt == self.max_restarts:
                    return self._give_up(work, self._current), self.resources
                self._skip(self._current, *self._reason(e))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def preprocess_cell(self, cell, resources, index):
        self._current = index
        if index in self._skipped:
            ename, message = self._skipped[index]
            cell.outputs = [_error(ename, message)]
            cell.execution_count = None
            return cell, resources
        cell, resources = super().preprocess_cell(cell, resources, index)
        if any(o.get("ename") == "MemoryError" for o in cell.get("outputs", [])):
            raise _OutOfMemory()
        return cell, resources

    def _skip(self, index, ename, message):
        self.log.warning("Cell %d: %s Running the notebook again without it.", index, message)
        self._skipped[index] = (ename, message)

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


class KeepLastDuplicate(DeduplicateIds):
    """DeduplicateIds that removes the nbgrader metadata of extra copies instead of emptying it."""

    def preprocess_cell(self, cell, resources, cell_index):
        if not (utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell)):
            return cell, resources
        grade_id = cell.metadata.nbgrader.get("grade_id")
        if grade_id in self.grade_ids:
            self.log.warning("Cell with id '%s' exists more than once: grading the last copy, the others "
                             "run as ordinary cells.", grade_id)
            del cell.metadata["nbgrader"]
        else:
            self.grade_ids.add(grade_id)
        return cell, resources


class RestoreCells(OverwriteCells):
    """OverwriteCells that also puts back deleted grade cells and disowns renamed ones."""

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None and not self._known(grade_id):
            self.log.warning("Cell '%s' is not in the gradebook: grading it as an ordinary cell.", grade_id)
            del cell.metadata["nbgrader"]
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)

    def _known(self, grade_id):
        try:
            self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
        except MissingEntry:
            return False
        return True

    def add_missing_grade_cells(self, nb, resources):
        """Put each missing grade cell back right after the closest earlier gradebook cell still present."""
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source_nb.source_cells]
        max_scores = {cell.name: cell.max_score for cell in source_nb.grade_cells}
        solutions = {cell.name for cell in source_nb.solution_cells}
        by_name = {cell.name: cell for cell in source_nb.source_cells}
        for position, name in enumerate(order):
            if name not in max_scores or name in self._present(nb):
                continue
            self.log.warning("Grade cell %s is missing: adding it back.", name)
            new = self.missing_cell_transform(by_name[name], max_scores[name], is_solution=name in solutions)
            new["id"] = re.sub(r"[^a-zA-Z0-9_-]", "-", f"restored-{name}")[:64]
            nb.cells.insert(self._insert_at(nb, order[:position]), new)
        return nb, resources

    @staticmethod
    def _present(nb):
        return {c.metadata["nbgrader"].get("grade_id") for c in nb.cells if "nbgrader" in c.metadata}

    @staticmethod
    def _insert_at(nb, earlier_names):
        earlier = set(earlier_names)
        for index in range(len(nb.cells) - 1, -1, -1):
            if nb.cells[index].metadata.get("nbgrader", {}).get("grade_id") in earlier:
                return index + 1
        return 0
