"""What a student's feedback may show: everything except the hidden tests.

nbgrader's `generate_feedback` turns the autograded notebook into HTML. The
autograded notebook holds the hidden tests (restored from the gradebook so they
could run), and a failing hidden test leaves a traceback that quotes their
code. `HideHiddenTests` runs before the HTML is written and, in every cell that
held a hidden-test region:

- removes the region from the source (the visible comment above it stays);
- replaces the cell's outputs with one short line: whether the hidden tests
  passed, and, when they failed, the error's name and the message our grading
  helpers wrote for students (never a traceback, never printed values).

Configured in nbgrader_config.py:

    c.GenerateFeedback.preprocessors = [..., "rnngrader.feedback.HideHiddenTests"]
"""
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer, Unicode

# Messages written by rnnlib.grading and by the grader are meant for students; other exceptions
# (ValueError from numpy, NameError ...) may quote test data, so only their name is shown.
STUDENT_FACING = {"GradingError", "ReferenceCalled", "NotImplementedError", "CellTimeoutError", "KernelDiedError",
                  "NotJudged", "MemoryError"}


def _hidden_region_removed(source, begin, end):
    """(source without the hidden region, True) or (source, False) when there is none."""
    kept, inside, found = [], False, False
    for line in source.splitlines():
        if begin in line:
            inside, found = True, True
        elif end in line:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept).rstrip("\n"), found


class HideHiddenTests(Preprocessor):
    """Strip hidden tests, their outputs and their tracebacks from a notebook bound for a student."""

    enabled = Bool(True)   # nbconvert's preprocessors are off unless enabled; this one always runs
    begin = Unicode("BEGIN HIDDEN TESTS").tag(config=True)
    end = Unicode("END HIDDEN TESTS").tag(config=True)
    max_message = Integer(300, help="longest error message shown for a hidden test").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        source, found = _hidden_region_removed(cell.source, self.begin, self.end)
        if not found:
            return cell, resources
        cell.source = source + "\n# (hidden tests: not shown in feedback)"
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        cell.outputs = [self._summary(errors[0] if errors else None)]
        return cell, resources

    def _summary(self, error):
        if error is None:
            text = "Hidden tests: passed.\n"
        else:
            name = error.get("ename", "Error")
            text = f"Hidden tests: failed ({name})"
            message = str(error.get("evalue", "")).strip()
            if name in STUDENT_FACING and message:
                if len(message) > self.max_message:
                    message = message[: self.max_message] + " ..."
                text += f": {message}"
            text += "\n"
        return {"output_type": "stream", "name": "stdout", "text": text}
