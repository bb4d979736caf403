"""nbgrader configuration for the RNN course.

Instructor source lives in solutions/<assignment>/<assignment>.ipynb, the
student release is generated into notebooks/<assignment>/ (and committed).
Student submissions go in submitted/<student>/<assignment>/, graded copies
in autograded/, feedback in feedback/; the gradebook is gradebook.db here.
None of those four is committed.
"""
import os

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "rnn-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
# Files nbgrader never copies (into the release, or from a submission into autograded/).
# Python files are among them: a submitted numpy.py or rnnlib.py must not stand in for the real one.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".DS_Store",
                            "*.py", "*.so", "*.pth"]

# --- execution and autograding ---
# A notebook cell gets at most this many seconds, under autograding and validation.
# Training cells shorten themselves when NBGRADER_EXECUTION is set, so a whole
# notebook grades in well under 20 s; this is only a safety net. A cell that runs
# longer is interrupted and scores zero; the cells after it still run.
# RNN_COURSE_CELL_TIMEOUT (seconds) overrides it, e.g. for tests.
c.Execute.timeout = int(os.environ.get("RNN_COURSE_CELL_TIMEOUT", "60"))
c.Execute.interrupt_on_timeout = True

# Every submission runs in a sandboxed kernel (rnngrader/sandbox.py: bubblewrap, no network, its own
# uid and folder, limits), and its test cells run in the grader, where the points are decided
# (rnngrader/judge.py): no code a student wrote runs in the process that decides a score.
# Each process in the sandbox may use at most this much address space (MB, 0 = no limit): a memory
# bomb becomes a MemoryError in its cell. Our kernels peak near 1100 MB of address space (160 MB
# resident). RNN_COURSE_KERNEL_MEMORY_MB overrides it.
c.SandboxedKernelManager.memory_mb = int(os.environ.get("RNN_COURSE_KERNEL_MEMORY_MB", "2048"))
# Only `tools/...autograde --no-sandbox` (or this line) turns the sandbox off; the report then says so.
c.SandboxedKernelManager.enabled = os.environ.get("RNN_COURSE_NO_SANDBOX") != "1"

# nbgrader's own steps, with three replaced by sturdier versions (rnngrader/cells.py, rnngrader/execute.py):
# duplicated cells no longer stop the run, deleted test cells are put back, and a cell that kills,
# hangs or starves the kernel is skipped (up to 8 per notebook) instead of failing the whole notebook.
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "rnngrader.cells.KeepLastDuplicate",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "rnngrader.cells.RestoreCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "rnngrader.execute.JudgedExecute",
    "rnngrader.sanitize.SanitizeNotebook",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# --- end of execution and autograding ---

# The release shows this in place of each solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# --- feedback ---
# Feedback goes to students: the hidden tests, their output and their tracebacks
# are taken out first (rnngrader/feedback.py); what is left says passed or failed.
# Student HTML is made inert (rnngrader/sanitize.py): no scripts, no event handlers.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "rnngrader.sanitize.SanitizeNotebook",
    "rnngrader.feedback.HideHiddenTests",
]
