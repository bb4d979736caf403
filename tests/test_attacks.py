"""Hostile submissions, graded by the real class grader (`python -m rnngrader.autograde`) next to honest students.

Each attacker submits the blank release of 02_vanilla_rnn plus one attack, so an attacker must score 0
whatever the attack does. The class is graded in three runs, as a term goes: first an honest student
and a victim; then every attacker (two at a time); then a late honest student and a late blank one, to
catch anything an attacker left behind. The tests check, for the whole class:

- scores: attackers 0; honest, victim and late students exactly what the solutions score;
- files: nothing changed outside an attacker's own graded folder (the course, other students'
  submissions and graded notebooks, rnnlib, rnngrader, the venv, the Python installation);
- feedback and graded outputs: no hidden test, no solution, no secret of the grader's environment,
  no other student's name, and no script a browser would run;
- the report: one correct row per student, whatever a student put in a name or a grade_id;
- processes: nothing an attacker started is alive after grading.
"""
import copy
import hashlib
import os
import pathlib
import subprocess
import sys
import time

import nbformat
import pytest

from tests.course import REPO
from tests.course import (as_student_solution, cell_scores, hidden_test_lines, html_text, nbgrader, nbgrader_meta, read,
                    split_regions)
from rnngrader import sandbox
from rnngrader.sanitize import live_script
from tools import synthetic_class

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("attacks")]

A = "02_vanilla_rnn"
FULL = 11
MARK = "pwned4721"                           # every attack's payload carries it: easy to look for
SECRET = "tok-9c3e1f77-grader-secret"        # in the grader's environment, as a hub token would be
HONEST = ["honest-alice", "victim-bob"]
LATE = ["zz-late-solved", "zz-late-blank"]
# The Python installation an attacker could patch: its standard library (the venv is sys.prefix). Not all of
# sys.base_prefix, which for Debian's python3 is /usr: hashing 6 GB twice cost minutes.
STDLIB = pathlib.Path(os.__file__).parent

FIND_FILES = f"""
import os
found = []
for top in ['/', os.path.expanduser('~'), '../../..', '../..', '..']:
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in ('proc', 'sys', 'dev', 'usr')]
        for name in files:
            if name.endswith(('.ipynb', '.db', 'nbgrader_config.py', '.json')) and 'site-packages' not in root:
                path = os.path.join(root, name)
                try:
                    found.append((path, open(path, errors='replace').read()[:100000]))
                except OSError as e:
                    found.append((path, str(e)))
print('{MARK}', len(found))
for path, text in found:
    print(path, text)
"""

# Walks the whole visible file system but /proc, /sys, /dev and /usr (a recursive glob of / there takes longer
# than the time limit, and the attack would only be cut short).
WALK = """
def everywhere(wanted):
    for root, dirs, files in os.walk('/'):
        dirs[:] = [d for d in dirs if d not in ('proc', 'sys', 'dev', 'usr')]
        yield from (os.path.join(root, name) for name in files if wanted(os.path.join(root, name)))
"""

READ_GRADEBOOK = f"""
import os, sqlite3
{WALK}
for path in ['../../../gradebook.db', '/gradebook.db'] + list(everywhere(lambda p: p.endswith('/gradebook.db'))):
    try:
        print('{MARK}', path, sqlite3.connect(path).execute('select name, source from source_cell').fetchall())
    except Exception as e:
        print('{MARK}', path, e)
"""

ENVIRONMENT = f"""
import os
print('{MARK}', dict(os.environ))
for pid in os.listdir('/proc'):
    if pid.isdigit():
        for part in ('environ', 'cmdline'):
            try:
                print(pid, part, open(f'/proc/{{pid}}/{{part}}', 'rb').read())
            except OSError:
                pass
"""

HISTORY_HOOK = f"""
ip = get_ipython()
ip.events.register('pre_run_cell', lambda info: print('{MARK} cell:', info.raw_cell))
ip.events.register('post_run_cell', lambda result: print('{MARK} after:', result.info.raw_cell))
"""
HISTORY_DUMP = f"print('{MARK}', In, _ih, Out)\nimport sys\nprint([m for m in sys.modules if 'grad' in m])"

WRITE_EVERYWHERE = f"""
import glob, os, re, site, rnnlib, rnngrader
{WALK}
targets = ['../../../gradebook.db', '../../../nbgrader_config.py', rnnlib.__file__, rnngrader.__file__,
           os.path.join(site.getsitepackages()[0], 'zz_{MARK}.pth'), os.path.expanduser('~/.bashrc'),
           '/tmp/{MARK}']
targets += glob.glob('../../../submitted/*/*/*.ipynb') + glob.glob('../../../autograded/*/*/*.ipynb')
targets += everywhere(lambda p: re.search('/submitted/[^/]+/[^/]+/[^/]+[.]ipynb$', p))
for path in targets:
    try:
        with open(path, 'a') as f:
            f.write('{MARK}')
        print('wrote', path)
    except OSError as e:
        print('refused', path, e)
"""

PERSIST_AND_EXIT = f"""
import os, site, rnnlib
for path in [rnnlib.__file__, os.path.join(os.path.dirname(rnnlib.__file__), 'grading.py'),
             os.path.join(site.getsitepackages()[0], 'aaa_{MARK}.pth')]:
    try:
        open(path, 'a').write('\\nimport os; os.environ["{MARK}"] = "1"\\n')
    except OSError:
        pass
os._exit(1)
"""

BACKGROUND = f"""
import os, subprocess
subprocess.Popen(['sh', '-c', 'sleep 600 # {MARK}'], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp('sleep', ['sleep', '601', '{MARK}'])
    os._exit(0)
"""

LYING_OBJECT = f"""
import sys
class Liar:
    # reads the expected value from the test's frame and pretends to be it
    def _peek(self):
        frame = sys._getframe(1)
        while frame is not None:
            for name in ('expected', 'want', '_want'):
                if name in frame.f_locals:
                    return frame.f_locals[name]
            frame = frame.f_back
        return np.zeros((2, 4))
    def __array__(self, *a, **k):
        return np.asarray(self._peek())
    @property
    def shape(self):
        return np.shape(self._peek())
    def __eq__(self, other):
        return True
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    liar = Liar()
    return liar, (liar, liar, liar, liar, liar)
def rnn_forward(x, h0, Wx, Wh, b):
    return Liar(), [Liar()]
def temporal_affine_forward(h, W, b):
    return Liar(), (Liar(),)
print('{MARK}')
"""

PATCH_HELPERS = f"""
import numpy as np, rnnlib, rnnlib.grading as g
ok = lambda *a, **k: None
put = setattr
put(np, 'allclose', lambda *a, **k: True)
np.testing.assert_allclose = ok
globals()['assert_close'] = ok
locals()['call_own'] = lambda f, *a, **k: f(*a, **k)
g.assert_close = g.assert_shape = g.assert_true = ok
g.fail = ok
for name in ('rnn_step_forward', 'rnn_forward', 'temporal_affine_forward'):
    globals()[name] = lambda *a, **k: (np.zeros((2, 4)), None)
open('helpers_{MARK}.py', 'w').write('import numpy\\nnumpy.allclose = lambda *a, **k: True\\n')
import helpers_{MARK}
"""

PATCH_AGENT = f"""
import numpy as np, rnngrader.agent as agent, rnngrader.wire as wire
def call(self, header, buffers):
    # a forged verdict: 'my function returned exactly what you expect' is all the kernel can say
    self.send({{'op': 'result', 'value': ['a', 0, '<f8', [2, 4]], 'changed': []}}, _Zeros())
class _Zeros(wire.Encoder):
    def __init__(self):
        super().__init__()
        self.buffers = [np.zeros((2, 4)).tobytes()]
agent._Session.call = call
print('{MARK}')
"""

KILL_GRADER = f"""
import os, signal
for pid in [os.getppid(), 1] + [int(p) for p in os.listdir('/proc') if p.isdigit()]:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError as e:
        print('{MARK}', pid, e)
"""

SCRIPTS = f"""
from IPython.display import HTML, Javascript, SVG, display
display(Javascript("alert('{MARK}')"))
display(HTML("<script>alert('{MARK}')</script><img src=x onerror=\\"alert('{MARK}')\\"><b>bold</b>"))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\\'{MARK}\\')"></svg>'))
display({{'text/html': "<a href='javascript:alert(1)'>{MARK}</a>", 'text/plain': 'link'}}, raw=True)
"""
SCRIPT_MARKDOWN = (f"My answer <script>alert('{MARK}')</script> <img src=x onerror=\"alert('{MARK}')\"> "
                   f"[click](javascript:alert('{MARK}')) <iframe src='javascript:alert(1)'></iframe>")

FLOODS = {
    "a-print-100mb": "print('x' * (100 * 2**20))",
    "a-stdout-200mb": "import sys\nfor _ in range(200):\n    sys.stdout.write('y' * 2**20)\n    sys.stdout.flush()",
    "a-displays": "from IPython.display import display\nfor i in range(20000):\n    display(i)",
    "a-big-file": f"with open('{MARK}.bin', 'wb') as f:\n    for _ in range(1500):\n        f.write(b'z' * 2**20)",
    "a-memory": "hoard = []\nwhile True:\n    hoard.append(bytearray(2**28))",
    "a-fork-bomb": "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        break",
}


def _insert_after_setup(nb, *sources, markdown=False):
    nb = copy.deepcopy(nb)
    at = next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("locked") and c.cell_type == "code") + 1
    for k, source in enumerate(sources):
        new = nbformat.v4.new_markdown_cell(source) if markdown else nbformat.v4.new_code_cell(source)
        new.id = f"attack-{k}-{len(nb.cells)}"
        nb.cells.insert(at + k, new)
    return nb


def attackers(blank):
    """{student: notebook or raw JSON text}: the blank release plus one attack each."""
    out = {
        "a-read-files": _insert_after_setup(blank, FIND_FILES),
        "a-read-gradebook": _insert_after_setup(blank, READ_GRADEBOOK),
        "a-environment": _insert_after_setup(blank, ENVIRONMENT),
        "a-write-everywhere": _insert_after_setup(blank, WRITE_EVERYWHERE),
        "a-persist-and-exit": _insert_after_setup(blank, PERSIST_AND_EXIT),
        "a-background": _insert_after_setup(blank, BACKGROUND),
        "a-lying-object": _insert_after_setup(blank, LYING_OBJECT),
        "a-patch-helpers": _insert_after_setup(blank, PATCH_HELPERS),
        "a-patch-agent": _insert_after_setup(blank, PATCH_AGENT),
        "a-kill-grader": _insert_after_setup(blank, KILL_GRADER),
        "a-scripts": _insert_after_setup(_insert_after_setup(blank, SCRIPT_MARKDOWN, markdown=True), SCRIPTS),
    }
    history = _insert_after_setup(blank, HISTORY_HOOK)
    history.cells.append(nbformat.v4.new_code_cell(HISTORY_DUMP))
    out["a-history"] = history
    for name, source in FLOODS.items():
        out[name] = _insert_after_setup(blank, source)
    # metadata a student can damage: nbgrader metadata of the wrong type, a grade_id with a row in it
    notes = _insert_after_setup(blank, "my notes", markdown=True)
    notes.cells[2].metadata["nbgrader"] = "my notes"
    out["a-metadata-string"] = notes
    injected = copy.deepcopy(blank)
    injected.metadata["rnn_course"] = "text"
    cell = next(c for c in injected.cells if nbgrader_meta(c).get("grade_id") == "rnn-forward-hidden-tests")
    cell.metadata.nbgrader["grade_id"] = f"x\n| honest-alice | {A} | 0/11 | {MARK} |"
    out["a-report-injection"] = injected
    return out


def _tree_digest(*roots, skip=()):
    """{path: sha256} of every file under the roots (symlinks not followed), except under `skip`."""
    out = {}
    for root in roots:
        root = pathlib.Path(root)
        for path in [root] if root.is_file() else root.rglob("*"):
            if path.is_file() and not path.is_symlink() and not any(path.is_relative_to(s) for s in skip) \
                    and "__pycache__" not in path.parts:
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _grade(course, env):
    result = subprocess.run([sys.executable, "-m", "rnngrader.autograde", "--jobs", "2", "--timeout", "20",
                             "--no-progress"], cwd=course, capture_output=True, text=True, timeout=1800, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _write(course, student, nb):
    folder = course / "submitted" / student / A
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(folder / f"{A}.ipynb"))


def _live_processes():
    """{pid: (parent pid, start time)} of every process now running."""
    found = {}
    for entry in pathlib.Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(fields[1]), int(fields[19]))
    return found


def _attacker_processes(before):
    """Processes left by the attackers' grading: a sandbox uid, or the attacks' mark in the command line.

    A sandbox another test is running right now (another pytest worker grades notebooks too) is not a
    leftover: it, or its chain of parents, was running before the attackers were graded (other than
    pid 1 and this test's own ancestors). That also holds for a process some other program left behind
    earlier, even if it has since been re-parented to pid 1. A leftover of this grading started after
    it began, and its parents ended with the grading, so its chain goes straight to pid 1 (or to a
    shared ancestor, should that be a subreaper)."""
    now = _live_processes()
    ours = set()
    pid = os.getpid()
    while pid in now and pid not in ours:
        ours.add(pid)
        pid = now[pid][0]

    def someone_elses(pid):
        seen = set()
        while pid in now and pid not in seen and pid > 1:
            seen.add(pid)
            if pid in ours:
                return False
            if pid in before and before[pid][1] == now[pid][1]:   # the same process (pid and start time)
                return True                                         # was running before: not from this grading
            pid = now[pid][0]
        return False

    lines = subprocess.run(["ps", "-eo", "uid=,pid=,args="], capture_output=True, text=True).stdout.splitlines()
    return [line for line in lines
            if (MARK in line or int(line.split()[0]) >= sandbox.UID_BASE) and not someone_elses(int(line.split()[1]))]


# Graded once per test run: session scope, and the module's xdist_group keeps its tests on one worker (a worker
# may run other modules' tests in between, which would tear down a module-scoped fixture).
@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("attacked")
    synthetic_class.make_course(course, [A])
    release = read(course / "notebooks" / A / f"{A}.ipynb")
    source = read(REPO / "solutions" / A / f"{A}.ipynb")
    solved = as_student_solution(release, source)
    env = {**os.environ, "JUPYTERHUB_API_TOKEN": SECRET, "AWS_SECRET_ACCESS_KEY": SECRET}

    for student in HONEST:
        _write(course, student, solved)
    _grade(course, env)
    protected = [course / "nbgrader_config.py", course / "solutions", course / "notebooks", course / "submitted",
                 *[course / "autograded" / s for s in HONEST], REPO / "rnnlib", REPO / "rnngrader",
                 pathlib.Path(sys.prefix), STDLIB]
    before = _tree_digest(*protected)

    attacks = attackers(release)
    for student, nb in attacks.items():
        _write(course, student, nb)
    before_submissions = _tree_digest(course / "submitted")
    running = _live_processes()
    started = time.monotonic()
    log = _grade(course, env)
    seconds = time.monotonic() - started
    time.sleep(1)
    left = _attacker_processes(running)

    for student, nb in zip(LATE, [solved, release]):
        _write(course, student, nb)
    log += _grade(course, env)
    nbgrader(course, "generate_feedback", A)
    after = _tree_digest(*protected)
    return dict(course=course, source=source, release=release, attacks=attacks, before=before, after=after,
                before_submissions=before_submissions, left=left, running=running, log=log, seconds=seconds,
                scores=cell_scores(course, A))


def _total(graded, student):
    return sum(v or 0 for v in graded["scores"].get(student, {}).values())


def test_attackers_score_nothing_and_everyone_else_what_they_earned(graded):
    scores = {s: _total(graded, s) for s in graded["scores"]}
    wrong = {s: v for s, v in scores.items() if s in graded["attacks"] and v != 0}
    assert not wrong, f"attackers with points: {wrong}\n{graded['log'][-3000:]}"
    for student in HONEST + ["zz-late-solved"]:
        assert scores.get(student) == FULL, f"{student}: {scores.get(student)}\n{graded['log'][-3000:]}"
    assert scores.get("zz-late-blank") == 0, "a blank notebook graded after the attackers got points"


def test_nothing_outside_an_attackers_own_graded_folder_changed(graded):
    changed = sorted(p for p in set(graded["before"]) | set(graded["after"])
                     if graded["before"].get(p) != graded["after"].get(p)
                     and "/submitted/" not in p)           # new submissions arrive between the runs, by design
    assert not changed, f"changed by grading hostile submissions: {changed[:10]}"
    later = _tree_digest(graded["course"] / "submitted")
    altered = [p for p, digest in graded["before_submissions"].items() if later.get(p) != digest]
    assert not altered, f"submissions changed while grading: {altered}"
    assert not pathlib.Path(f"/tmp/{MARK}").exists(), "a file written to the sandbox's /tmp reached the host's"


def test_no_secret_hidden_test_solution_or_other_student_reaches_what_students_and_instructors_read(graded):
    course, source = graded["course"], graded["source"]
    hidden = hidden_test_lines(source)
    public = " ".join(" ".join(c.source.split()) for c in graded["release"].cells)
    solution = {line for c in source.cells for line in split_regions(c.source)[0]
                if len(line) > 15 and not line.startswith("#") and " ".join(line.split()) not in public}
    problems = []
    everyone = set(graded["attacks"]) | set(HONEST) | set(LATE)
    for student in graded["attacks"]:
        feedback = course / "feedback" / student / A / f"{A}.html"
        texts = {"feedback": html_text(feedback.read_text())} if feedback.exists() else {}
        graded_nb = course / "autograded" / student / A / f"{A}.ipynb"
        if graded_nb.exists():      # what the instructor reads: the outputs of the student's own cells
            nb = read(graded_nb)
            texts["graded outputs"] = " ".join(
                str(o) for c in nb.cells if c.cell_type == "code" and not nbgrader_meta(c).get("grade")
                for o in c.get("outputs", []))
        for where, text in texts.items():
            flat = " ".join(text.split())
            if SECRET in text:
                problems.append(f"{student} {where}: the grader's secret")
            leaked = [line for line in hidden | solution if " ".join(line.split()) in flat]
            if leaked:
                problems.append(f"{student} {where}: hidden test or solution text {leaked[:2]}")
            others = [s for s in everyone - {student} if s in text]
            if others:
                problems.append(f"{student} {where}: other students' names {others[:3]}")
            if "GRADEBOOK" in text or "source_cell" in text.replace("select name, source from source_cell", ""):
                problems.append(f"{student} {where}: gradebook contents")
    assert not problems, "\n".join(problems)


def test_feedback_pages_run_no_student_script(graded):
    course = graded["course"]
    for student in ["a-scripts", "a-history", "honest-alice"]:
        page = (course / "feedback" / student / A / f"{A}.html").read_text()
        found = live_script(page, MARK)
        assert not found, f"{student}: {found[:5]}"
    nb = read(course / "autograded" / "a-scripts" / A / f"{A}.ipynb")
    mimes = {m for c in nb.cells for o in c.get("outputs", []) for m in o.get("data", {})}
    assert mimes <= {"text/plain", "text/html", "image/png", "image/jpeg"}, mimes
    assert "widgets" not in nb.metadata


def test_the_report_has_one_true_row_per_student(graded):
    course = graded["course"]
    report = (course / "autograded" / "REPORT.md").read_text()
    rows = [line for line in report.splitlines() if line.startswith("| ") and not line.startswith("| student")]
    students = sorted(set(graded["attacks"]) | set(HONEST) | set(LATE))
    assert len(rows) == len(students), "\n".join(rows)
    for student in students:
        mine = [r for r in rows if r.startswith(f"| {student} |")]
        assert len(mine) == 1, f"{student}: {mine}"
        assert f"| {_total(graded, student):g}/{FULL} " in mine[0], mine[0]
    said = report.split("## What was found, in words")[-1]
    assert "a-metadata-string" in said and "nbgrader metadata is a str" in said
    assert "a-report-injection" in said and "grade_id is not a plain name" in said


def test_nothing_an_attacker_started_outlives_grading(graded):
    assert not graded["left"], graded["left"]
    assert not _attacker_processes(graded["running"])


def test_floods_are_cut_and_cost_only_their_own_notebook(graded):
    course = graded["course"]
    for student in FLOODS:
        path = course / "autograded" / student / A / f"{A}.ipynb"
        assert path.exists(), f"{student} was not graded"
        assert path.stat().st_size < 8 * 2**20, f"{student}: {path.stat().st_size / 2**20:.0f} MB graded notebook"
    folder_sizes = {s: sum(p.stat().st_size for p in (course / "autograded" / s).rglob("*")) for s in FLOODS}
    assert max(folder_sizes.values()) < 8 * 2**20, folder_sizes
    report = (course / "autograded" / "REPORT.md").read_text()
    for student in ("a-print-100mb", "a-stdout-200mb", "a-displays"):
        row = next(r for r in report.splitlines() if r.startswith(f"| {student} |"))
        assert "output cut" in row, row
