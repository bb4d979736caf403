"""notebooks/ is exactly what nbgrader makes from solutions/, and leaks nothing."""
import filecmp
import json
import re

import pytest

from tests.course import ASSIGNMENTS, REPO
from tests.course import MARKERS, nbgrader, nbgrader_meta, read, split_regions

pytestmark = pytest.mark.xdist_group("release")


def test_every_assignment_is_released():
    released = sorted(p.name for p in (REPO / "notebooks").iterdir() if p.is_dir())
    assert released == ASSIGNMENTS
    assert ASSIGNMENTS[:2] == ["01_ann_limits", "02_vanilla_rnn"]


def test_release_is_in_sync_with_solutions(tmp_path):
    import shutil

    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    nbgrader(tmp_path, "generate_assignment", "*", "--no-db", "--force")
    fresh, committed = tmp_path / "notebooks", REPO / "notebooks"
    report = filecmp.dircmp(fresh, committed)
    stale = []

    def walk(cmp, prefix=""):
        stale.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(report)
    # dircmp compares shallowly; compare every file byte for byte as well.
    for path in fresh.rglob("*"):
        if path.is_file() and (committed / path.relative_to(fresh)).read_bytes() != path.read_bytes():
            stale.append(str(path.relative_to(fresh)))
    assert not stale, f"notebooks/ is out of date ({sorted(set(stale))}): run `make release` and commit"


def test_solutions_are_clean_for_diffs():
    for path in sorted((REPO / "solutions").rglob("*.ipynb")):
        nb = json.loads(path.read_text())
        assert nb["nbformat"] == 4 and nb["nbformat_minor"] >= 5, path
        ids = [c["id"] for c in nb["cells"]]
        assert len(ids) == len(set(ids)), f"{path}: duplicate cell ids"
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell["outputs"] and cell["execution_count"] is None, f"{path}: outputs in {cell['id']}"
    # every file nbgrader would copy into the release is a notebook
    extra = [p for p in (REPO / "solutions").rglob("*") if p.is_file() and p.suffix != ".ipynb"]
    assert not extra, f"files in solutions/ that would be released: {extra}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solution_and_no_hidden_test(assignment):
    source = read(REPO / "solutions" / assignment / f"{assignment}.ipynb")
    release_path = REPO / "notebooks" / assignment / f"{assignment}.ipynb"
    released_text = "\n".join(c.source for c in read(release_path).cells)
    assert not MARKERS.search(release_path.read_text())
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS"):
        assert marker not in released_text
    secret, public = set(), set()
    for cell in source.cells:
        inside, outside, _ = split_regions(cell.source)
        secret.update(inside)
        public.update(outside)
    # A line that only ever appears inside a region must not reach the release.
    unique = {l for l in secret - public if len(l) > 12 and not l.startswith("#")}
    released_lines = {l.strip() for l in released_text.splitlines()}
    leaked = sorted(unique & released_lines)
    assert not leaked, f"lines of solutions or hidden tests appear in the release: {leaked[:5]}"
    files = [p.name for p in (REPO / "notebooks" / assignment).rglob("*") if p.is_file()]
    assert files == [f"{assignment}.ipynb"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercises_are_well_formed(assignment):
    nb = read(REPO / "solutions" / assignment / f"{assignment}.ipynb")
    graded = [c for c in nb.cells if nbgrader_meta(c).get("grade")]
    solutions = [c for c in nb.cells if nbgrader_meta(c).get("solution") and c.cell_type == "code"]
    assert solutions and graded
    for cell in graded:
        assert nbgrader_meta(cell).get("points", 0) > 0, f"{cell.id}: a graded cell without points"
    for cell in solutions:
        assert "### BEGIN SOLUTION" in cell.source, cell.id
        assert '"""' in cell.source.split("### BEGIN SOLUTION")[0], f"{cell.id}: the docstring must stay visible"
    hidden = [c for c in graded if "### BEGIN HIDDEN TESTS" in c.source]
    assert len(hidden) >= len(solutions), "every graded function needs hidden tests"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercises_and_questions_are_numbered_one_way(assignment):
    """Exercise N.1, N.2, ... and Question N.A, N.B, ... in notebook N; each question's text opens its answer
    cell (so the formgrader and a student see which question a cell answers); the points in a heading are
    the points of the tests or the answer cell below it."""
    n = int(assignment[:2])
    nb = read(REPO / "solutions" / assignment / f"{assignment}.ipynb")
    exercises, questions, current = [], [], None
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "markdown" and meta.get("grade"):
            m = re.match(rf"\*\*Question {n}\.([A-Z]) \((\d+) points?\)\.\*\* \S", cell.source)
            assert m, f"{cell.id}: an answer cell must open with '**Question {n}.X (P points).** <the question>'"
            assert int(m[2]) == meta["points"], f"{cell.id}: the heading says {m[2]} points, the cell gives {meta['points']}"
            questions.append(m[1])
            continue
        if cell.cell_type == "markdown":
            assert "**Question" not in cell.source, f"{cell.id}: a question's text belongs in its answer cell"
            for line in cell.source.splitlines():
                if re.match(r"#+ .*\bExercise\b", line):
                    m = re.fullmatch(rf"### Exercise {n}\.(\d+) — \S.* \((\d+) points?\)", line)
                    assert m, f"{cell.id}: exercise headings read '### Exercise {n}.k — `function(args)` (P points)': {line!r}"
                    current = [int(m[1]), int(m[2]), 0]
                    exercises.append(current)
        elif meta.get("grade") and current is not None:
            current[2] += meta["points"]
    assert [e[0] for e in exercises] == list(range(1, len(exercises) + 1)), f"exercises numbered {exercises}"
    assert questions == [chr(ord("A") + k) for k in range(len(questions))], f"questions lettered {questions}"
    for number, said, given in exercises:
        assert said == given, f"Exercise {n}.{number}: the heading says {said} points, its tests give {given}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_tests_are_at_most_a_quarter_of_the_code(assignment):
    """A released notebook reads as a chapter: its visible test cells hold their calls and checks, while the
    numbers and hint tables live in rnnlib/cases/ (`python tools/nbcells.py share notebooks` prints the shares)."""
    from tools import nbcells

    tests, total = nbcells.visible_test_share(REPO / "notebooks" / assignment / f"{assignment}.ipynb")
    assert tests <= total / 4, (f"{assignment}: {tests} of {total} code lines are visible tests ({tests / total:.0%}); "
                                f"move arrays and hint tables into rnnlib/cases/")
