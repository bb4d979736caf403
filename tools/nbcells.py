"""Build and tidy the course notebooks.

As a library (for scripts that write notebooks):

    from nbcells import md, code, solution, tests, answer, notebook, save
    cells = [md("title", "# Title"), solution("one-hot", "def one_hot(...):\n ...")]
    save(notebook(cells), "solutions/01_ann_limits/01_ann_limits.ipynb")

As a command:

    python tools/nbcells.py normalize solutions      # clear outputs, fix ids, sort metadata
    python tools/nbcells.py share notebooks          # how much of each notebook's code is visible tests

`normalize` makes a notebook diff show only what a person changed: no outputs,
no execution counts, stable cell ids, one kernel spec.
"""
import hashlib
import json
import pathlib
import re
import sys

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}
_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")


def _nbgrader(grade_id, *, solution=False, grade=False, locked=False, points=None, task=False):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": task,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _cell(kind, cell_id, source, metadata=None):
    if not _ID.match(cell_id):
        raise ValueError(f"cell id {cell_id!r} must match {_ID.pattern}")
    cell = {"cell_type": kind, "id": cell_id, "metadata": metadata or {}, "source": source.strip("\n")}
    if kind == "code":
        cell["execution_count"] = None
        cell["outputs"] = []
    return cell


def md(cell_id, text):
    """A plain markdown cell (prose, math, instructions). Locked in the release? No: students may annotate."""
    return _cell("markdown", cell_id, text)


def code(cell_id, source, locked=False):
    """A plain code cell: a demo, a plot, a widget. Not graded."""
    meta = _nbgrader(cell_id, locked=True) if locked else {}
    return _cell("code", cell_id, source, meta)


def solution(cell_id, source):
    """An exercise cell. Wrap the answer in ### BEGIN SOLUTION / ### END SOLUTION."""
    if "### BEGIN SOLUTION" not in source:
        raise ValueError(f"solution cell {cell_id} has no ### BEGIN SOLUTION marker")
    return _cell("code", cell_id, source, _nbgrader(cell_id, solution=True))


def tests(cell_id, source, points):
    """A graded, locked test cell. Hidden parts go between ### BEGIN/END HIDDEN TESTS."""
    return _cell("code", cell_id, source, _nbgrader(cell_id, grade=True, locked=True, points=points))


def answer(cell_id, text, points):
    """A written answer graded by hand in the formgrader (markdown, solution + grade)."""
    return _cell("markdown", cell_id, text, _nbgrader(cell_id, solution=True, grade=True, points=points))


def notebook(cells):
    ids = [c["id"] for c in cells]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ValueError(f"duplicate cell ids: {sorted(dupes)}")
    return {
        "cells": cells,
        "metadata": {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _tidy(nb):
    """Clear outputs, fill in stable ids, keep only the metadata that matters."""
    seen = set()
    for k, cell in enumerate(nb["cells"]):
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
        cell_id = cell.get("id")
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if not cell_id or not _ID.match(cell_id) or cell_id in seen:
            base = grade_id or hashlib.sha1(cell["source"].encode()).hexdigest()[:8]
            cell_id, n = base, 1
            while cell_id in seen:
                n += 1
                cell_id = f"{base}-{n}"
        cell["id"] = cell_id
        seen.add(cell_id)
        meta = cell.get("metadata", {})
        cell["metadata"] = {key: meta[key] for key in ("nbgrader", "tags") if key in meta}
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            cell.pop("attachments", None) if not cell.get("attachments") else None
    nb["metadata"] = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
    nb["nbformat"], nb["nbformat_minor"] = 4, 5
    return nb


def dumps(nb):
    """Serialise the way nbformat does (indent 1, sorted keys, trailing newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def save(nb, path):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(_tidy(nb)), encoding="utf-8")


def normalize(root):
    changed = []
    for path in sorted(pathlib.Path(root).rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        new = dumps(_tidy(json.loads(text)))
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(str(path))
    return changed


def _code_lines(source):
    """The lines of a code cell that hold code: not blank, not only a comment."""
    return sum(1 for line in source.splitlines() if line.strip() and not line.strip().startswith("#"))


def visible_test_share(path):
    """(visible test lines, code lines) of a notebook: code lines in its graded test cells, and in all code cells."""
    nb = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    tests = total = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        n = _code_lines(source)
        total += n
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            tests += n
    return tests, total


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("normalize", "share"):
        sys.exit(__doc__)
    if sys.argv[1] == "normalize":
        for p in normalize(sys.argv[2]):
            print("normalized", p)
    else:
        for p in sorted(pathlib.Path(sys.argv[2]).rglob("*.ipynb")):
            if ".ipynb_checkpoints" not in p.parts:
                tests, total = visible_test_share(p)
                print(f"{p.stem:24} {tests:4} of {total:4} code lines are visible tests: {tests / total:4.0%}")
