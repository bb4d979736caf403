"""Helpers the notebook and pipeline tests share: run notebooks, build scratch courses, fake students."""
import copy
import os
import pathlib
import re
import shutil
import subprocess
import sys

import nbformat
from nbclient import NotebookClient

from rnngrader.channels import KernelManager

REPO = pathlib.Path(__file__).resolve().parents[1]          # the repository
BIN = pathlib.Path(sys.executable).parent  # nbgrader and jupyter live beside this python
# nbgrader's command line without the 2-second import nbformat pays in every process (rnngrader/nbgrader_main.py):
# the same program, as class grading starts it.
NBGRADER = [sys.executable, "-m", "rnngrader.nbgrader_main"]
ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir() and not p.name.startswith("."))


MARKERS = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")


def read(path):
    return nbformat.read(str(path), as_version=4)


def execute(path, folder=None, *, fast=False, allow_errors=False, timeout=180):
    """Run a notebook (a path, or a notebook already read and its folder) in its folder; return it executed."""
    nb, folder = (read(path), pathlib.Path(path).parent) if folder is None else (path, pathlib.Path(folder))
    env_before = os.environ.get("NBGRADER_EXECUTION")
    if fast:
        os.environ["NBGRADER_EXECUTION"] = "autograde"
    else:
        os.environ.pop("NBGRADER_EXECUTION", None)
    try:
        # rnngrader.channels: without it, a cell with an Output widget (interact) now and then waits out the
        # whole timeout for a reply that is already there, and the run goes on without an error.
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                                kernel_manager_class=KernelManager, resources={"metadata": {"path": str(folder)}})
        client.execute()
    finally:
        if env_before is None:
            os.environ.pop("NBGRADER_EXECUTION", None)
        else:
            os.environ["NBGRADER_EXECUTION"] = env_before
    return nb


def errors(nb):
    """[(cell index, cell, ename, evalue)] for every cell that raised."""
    out = []
    for k, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append((k, cell, o["ename"], o["evalue"]))
    return out


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def strip_markers(source):
    return "\n".join(line for line in source.splitlines() if not MARKERS.match(line))


def as_student_solution(release_nb, source_nb):
    """The release with every solution cell filled in with the instructor's answer."""
    answers = {nbgrader_meta(c).get("grade_id"): c.source for c in source_nb.cells if nbgrader_meta(c).get("solution")}
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            cell.source = strip_markers(answers[meta["grade_id"]])
    return nb


def replace_definition(nb, function, source):
    """A copy of nb with the solution cell that defines `function` replaced by `source`."""
    nb = copy.deepcopy(nb)
    pattern = re.compile(rf"^def {re.escape(function)}\(", flags=re.M)
    hits = [c for c in nb.cells if nbgrader_meta(c).get("solution") and pattern.search(c.source)]
    if len(hits) != 1:
        raise LookupError(f"expected one solution cell defining {function}, found {len(hits)}")
    hits[0].source = source.strip("\n")
    return nb


def scratch_course(tmp, assignments):
    """A copy of the course in tmp with the assignments released into a fresh gradebook."""
    shutil.copy(REPO / "nbgrader_config.py", tmp)
    for a in assignments:
        shutil.copytree(REPO / "solutions" / a, tmp / "solutions" / a)
    nbgrader(tmp, "generate_assignment", "*", "--force")          # every assignment copied above, one process
    return tmp


def nbgrader(course, *args, timeout=1800):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # nbgrader runs `alembic`
    result = subprocess.run([*NBGRADER, *args], cwd=course, capture_output=True, text=True,
                            timeout=timeout, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def submit(course, student, assignment, nb):
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(folder / f"{assignment}.ipynb"))


def code_scores(course, assignment):
    """{student: (code score, max code score)} from the gradebook."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for submission in gb.find_assignment(assignment).submissions:
            for notebook in submission.notebooks:
                scores[submission.student.id] = (notebook.code_score, notebook.max_code_score)
    return scores


def split_regions(source):
    """(lines inside solution / hidden-test regions, lines outside them, lines inside hidden-test regions), stripped."""
    region, secret, public, hidden = None, [], [], []
    for line in source.splitlines():
        match = MARKERS.match(line)
        if match:
            region = match.group(2) if match.group(1) == "BEGIN" else None
            continue
        (secret if region else public).append(line.strip())
        if region == "HIDDEN TESTS":
            hidden.append(line.strip())
    return secret, public, hidden


def hidden_test_lines(source_nb):
    """Lines that only ever appear inside a hidden-test region of the instructor's notebook."""
    hidden, elsewhere = set(), []
    for cell in source_nb.cells:
        secret, outside, inside = split_regions(cell.source)
        hidden.update(inside)
        elsewhere += outside + [line for line in secret if line not in inside]
    elsewhere = " ".join(" ".join(line.split()) for line in elsewhere)   # as html_text joins lines
    return {line for line in hidden if len(line) > 12 and not line.startswith("#")
            and " ".join(line.split()) not in elsewhere}


def html_text(html):
    """What a reader of an HTML page sees: tags removed, entities decoded, whitespace collapsed."""
    import html as html_lib

    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", text))
    return " ".join(text.split())


# --- bad submissions and class grading (tests/test_bad_submissions.py, tests/test_class_grading.py) ---

def nbgrader_run(course, *args, env=None, timeout=1800):
    """Run nbgrader with extra environment variables; return the finished process, failed or not."""
    full_env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **(env or {})}
    return subprocess.run([*NBGRADER, *args], cwd=course, capture_output=True, text=True,
                          timeout=timeout, env=full_env)


def cell_scores(course, assignment):
    """{student: {grade_id: auto score}} for the code test cells, from the gradebook."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for submission in gb.find_assignment(assignment).submissions:
            for notebook in submission.notebooks:
                scores[submission.student.id] = {g.name: g.auto_score for g in notebook.grades
                                                 if g.cell_type == "code"}
    return scores


def graded_errors(course, student, assignment):
    """{grade_id or cell index: [ename, ...]} in a student's autograded notebook."""
    nb = read(course / "autograded" / student / assignment / f"{assignment}.ipynb")
    out = {}
    for k, cell in enumerate(nb.cells):
        names = [o["ename"] for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if names:
            out[nbgrader_meta(cell).get("grade_id", k)] = names
    return out
