"""Grade a whole class: every submission under submitted/, checked, graded in parallel, then a report.

    python -m rnngrader.autograde                    # what `make autograde` runs, from the course root
    python -m rnngrader.autograde --jobs 4           # at most 4 students graded at once (default: one per core)
    python -m rnngrader.autograde --course DIR 02_vanilla_rnn --force

1. Every assignment in the gradebook (`nbgrader generate_assignment "*" --force` puts them there) and
   every student folder under submitted/ is listed; a student without a submission is reported missing.
2. The sandbox is checked first (rnngrader/sandbox.py): when bubblewrap cannot run here, grading stops
   and says how to fix it. `--no-sandbox` grades anyway, and then every line of the report says so.
3. Each submission is checked before grading, and what is wrong is said in plain words: notebook
   missing or misnamed, not valid JSON, damaged notebook or nbgrader metadata (any type in any field:
   the notebook is invalid and scores zero), a grade_id that appears twice, test cells deleted, edited
   or turned into markdown (nbgrader puts them back).
4. `nbgrader autograde "*" --student <student>` grades each student's submissions in one process
   (nbgrader starts once per student), --jobs students at a time, every notebook in a sandbox of its own.
   A failure while grading one student is reported for that student; the class goes on. A progress bar
   shows students done, problems found and the time left.
5. Scores come from the gradebook, what went wrong during grading (time-outs, memory, a dead kernel,
   output cut) from the graded notebooks. A table is printed and written to autograded/REPORT.md, with
   every piece of text a student controls escaped.

A submission that was already graded is skipped unless --force (nbgrader's own rule, applied here before
nbgrader starts: a student with nothing new costs no process).
"""
import argparse
import concurrent.futures
import dataclasses
import json
import math
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time

from .nbgrader_main import skip_slow_iri_check

skip_slow_iri_check()      # before nbformat is imported: 2 s less per run (see nbgrader_main.py)

import nbformat  # noqa: E402
from nbgrader.api import Gradebook, MissingEntry  # noqa: E402
from nbgrader.utils import parse_utc  # noqa: E402
from traitlets.config.loader import PyFileConfigLoader  # noqa: E402

from . import sandbox  # noqa: E402

TESTS_NOTE = {"markdown": "turned into markdown", "raw": "turned into a raw cell"}
KERNEL_PROBLEMS = {"CellTimeoutError": "time limit", "MemoryError": "out of memory", "KernelDiedError": "dead kernel",
                   "OutputTruncated": "output cut", "NotJudged": "not judged"}
NBGRADER_KEYS = {"grade": bool, "solution": bool, "locked": bool, "task": bool, "grade_id": str,
                 "points": (int, float), "schema_version": int, "checksum": str, "cell_type": str}
GRADE_ID = re.compile(r"^[A-Za-z0-9_\-.]{1,200}$")
LOG_LIMIT = 2 * 2**20          # bytes of a grading process's log kept for the report


@dataclasses.dataclass
class Submission:
    student: str
    assignment: str
    problems: list = dataclasses.field(default_factory=list)  # plain-words findings
    tags: list = dataclasses.field(default_factory=list)  # short labels for the table
    gradable: bool = True
    seconds: float = 0.0
    score: float = 0.0
    max_score: float = 0.0
    log: list = dataclasses.field(default_factory=list)

    def note(self, tag, problem):
        self.tags.append(tag)
        self.problems.append(problem)


class Course:
    """The course folder: its nbgrader settings, gradebook and release."""

    def __init__(self, root):
        self.root = pathlib.Path(root).resolve()
        if not (self.root / "nbgrader_config.py").exists():
            sys.exit(f"{self.root} has no nbgrader_config.py: run this from the course root or pass --course.")
        config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        course_dir = config.get("CourseDirectory", {})
        self.release = self.root / course_dir.get("release_directory", "release")
        self.db_url = course_dir.get("db_url") or f"sqlite:///{self.root / 'gradebook.db'}"
        self.worker_db_url = self.db_url
        if self.db_url.startswith("sqlite:///") and "?" not in self.db_url:
            self.worker_db_url = self.db_url + "?timeout=120"  # wait up to 2 min for a busy gradebook

    def assignments(self):
        """{assignment: [notebook names]} as recorded in the gradebook."""
        if self.db_url.startswith("sqlite:///") and not pathlib.Path(self.db_url[len("sqlite:///"):]).exists():
            sys.exit("No gradebook yet: run `nbgrader generate_assignment \"*\" --force` first (make autograde does).")
        with Gradebook(self.db_url) as gb:
            return {a.name: sorted(n.name for n in a.notebooks) for a in gb.assignments}

    def students(self):
        submitted = self.root / "submitted"
        return sorted(p.name for p in submitted.iterdir() if p.is_dir() and not p.name.startswith(".")) \
            if submitted.is_dir() else []


# ---------- before grading ----------

def _nbgrader_meta(cell):
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    meta = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return meta if isinstance(meta, dict) else {}


def grade_ids(nb):
    ids = {}
    for index, cell in enumerate(nb.cells):
        grade_id = _nbgrader_meta(cell).get("grade_id")
        if grade_id:
            ids.setdefault(grade_id, []).append(index)
    return ids


def damage(nb):
    """What is malformed in a notebook that nbformat could read, in words; None when nothing is."""
    if not isinstance(nb.get("metadata"), dict):
        return "its metadata is not a dictionary"
    if not isinstance(nb.get("cells"), list):
        return "it has no list of cells"
    for index, cell in enumerate(nb.cells):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            return f"cell {index} is not a code, markdown or raw cell"
        if not isinstance(cell.get("source"), str):
            return f"cell {index} has no text"
        meta = cell.get("metadata")
        if not isinstance(meta, dict):
            return f"cell {index}'s metadata is a {type(meta).__name__}, not a dictionary"
        if "nbgrader" not in meta:
            continue
        nbg = meta["nbgrader"]
        if not isinstance(nbg, dict):
            return f"cell {index}'s nbgrader metadata is a {type(nbg).__name__}, not a dictionary"
        for key, value in nbg.items():
            kind = NBGRADER_KEYS.get(key)
            if kind is None:
                return f"cell {index}'s nbgrader metadata has an unknown field {str(key)[:40]!r}"
            if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
                return f"cell {index}'s nbgrader field {key!r} is a {type(value).__name__}"
            if key == "points" and not (math.isfinite(value) and 0 <= value <= 1000):
                return f"cell {index}'s points are {value!r}"
        if "grade_id" in nbg and not GRADE_ID.match(nbg["grade_id"]):
            return f"cell {index}'s grade_id is not a plain name"
        if (nbg.get("grade") or nbg.get("solution") or nbg.get("locked")) and "grade_id" not in nbg:
            return f"cell {index} is marked for grading but has no grade_id"
    if cell_ids_clash(nb):
        return "two cells share an id"
    return None


def cell_ids_clash(nb):
    ids = [c.get("id") for c in nb.cells if isinstance(c.get("id"), str)]
    return len(ids) != len(set(ids))


def check_notebook(sub, folder, release_nb, name):
    """Look at one submitted notebook; note what is wrong. False when it cannot be graded."""
    path = folder / f"{name}.ipynb"
    if not path.exists():
        others = sorted(p.name for p in folder.glob("*.ipynb"))
        found = f"; found {', '.join(others)} instead: rename it to {name}.ipynb and grade again" if others else ""
        sub.note("missing", f"{name}.ipynb was not submitted{found}. It scores zero.")
        return False
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as e:  # nbformat raises several kinds; all mean the same to the instructor
        sub.note("invalid JSON", f"{name}.ipynb is not a readable notebook ({type(e).__name__}: "
                                 f"{str(e).splitlines()[0][:160] if str(e) else ''}). It is not graded and scores zero.")
        return False
    broken = damage(nb)
    if broken:
        sub.note("invalid", f"{name}.ipynb is damaged: {broken}. It is not graded and scores zero; restore the "
                            f"damaged part from the release (or ask for the notebook again) and grade it again.")
        return False
    submitted_ids = grade_ids(nb)
    for grade_id, cells in submitted_ids.items():
        if len(cells) > 1:
            sub.note(f"duplicate {grade_id}", f"{name}: the cell '{grade_id}' appears {len(cells)} times (cells "
                     f"{', '.join(map(str, cells))}), e.g. copied; the last copy is graded, the others run as "
                     f"ordinary cells.")
    known = grade_ids(release_nb) if release_nb else {}
    for grade_id, cells in submitted_ids.items():
        if known and grade_id not in known:
            sub.note(f"unknown {grade_id}", f"{name}: cell {cells[0]} has a grade_id '{grade_id}' that the "
                                            f"assignment does not have (renamed?); it runs as an ordinary cell.")
    for cell in (release_nb.cells if release_nb else []):
        meta = _nbgrader_meta(cell)
        if not (meta.get("locked") and meta.get("grade")):
            continue
        grade_id = meta["grade_id"]
        copies = [nb.cells[i] for i in submitted_ids.get(grade_id, [])]
        if not copies:
            sub.note(f"restored {grade_id}", f"{name}: test cell '{grade_id}' was deleted (or its metadata "
                                             f"removed); it was put back and graded.")
        elif copies[-1].cell_type != cell.cell_type:
            change = TESTS_NOTE.get(copies[-1].cell_type, f"turned into a {copies[-1].cell_type} cell")
            sub.note(f"restored {grade_id}", f"{name}: test cell '{grade_id}' was {change}; it was restored "
                                             f"and graded.")
        elif copies[-1].source != cell.source:
            sub.note(f"restored {grade_id}", f"{name}: test cell '{grade_id}' was edited; the original was "
                                             f"restored and graded.")
    return True


def precheck(course, student, assignment, notebooks):
    sub = Submission(student, assignment)
    folder = course.root / "submitted" / student / assignment
    if not folder.is_dir():
        sub.note("missing", f"no submission (submitted/{student}/{assignment}/ does not exist). It scores zero.")
        sub.gradable = False
        return sub
    for name in notebooks:
        release_path = course.release / assignment / f"{name}.ipynb"
        release_nb = nbformat.read(str(release_path), as_version=4) if release_path.exists() else None
        try:
            ok = check_notebook(sub, folder, release_nb, name)
        except Exception as e:  # noqa: BLE001  (a check that fails on odd input must not stop the class)
            sub.note("invalid", f"{name}.ipynb could not be checked ({type(e).__name__}: {str(e)[:200]}); it is not "
                                f"graded and scores zero.")
            ok = False
        if not ok:
            sub.gradable = False  # nbgrader would fail on it; the student's other assignments still go on
    return sub


# ---------- grading ----------

def worker_env(args):
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    env["PATH"] = f"{pathlib.Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # nbgrader runs alembic
    if args.timeout:
        env["RNN_COURSE_CELL_TIMEOUT"] = str(args.timeout)
    if args.memory_mb is not None:
        env["RNN_COURSE_KERNEL_MEMORY_MB"] = str(args.memory_mb)
    if args.no_sandbox:
        env["RNN_COURSE_NO_SANDBOX"] = "1"
    return env


LOG_FORMAT = "%(asctime)s.%(msecs)03d [%(name)s | %(levelname)s] %(message)s"
SANITIZING = re.compile(r"^(\S+ \S+) \[AutogradeApp \| INFO\] Sanitizing .*/submitted/[^/]+/([^/]+)/[^/]+$")


def _timestamp(folder):
    """The time in folder/timestamp.txt (what nbgrader compares), or None."""
    path = folder / "timestamp.txt"
    try:
        return parse_utc(path.read_text().strip())
    except (OSError, ValueError):
        return None


def already_graded(course, sub):
    """nbgrader's rule for skipping a submission, checked without starting nbgrader (about 1.5 s of CPU for a
    process that would only say "Skipping existing assignment"): it is in autograded/, and was not submitted
    again since (timestamp.txt of submitted/ newer than that of autograded/)."""
    graded = course.root / "autograded" / sub.student / sub.assignment
    if not graded.is_dir():
        return False
    new, old = _timestamp(course.root / "submitted" / sub.student / sub.assignment), _timestamp(graded)
    return not (new is not None and old is not None and new > old)


def grade(course, student, subs, args, env):
    """One process grades all of a student's submissions (nbgrader starts once); notes what failed."""
    pattern = "*" if args.all_assignments else subs[0].assignment
    runs = [subs] if pattern == "*" else [[sub] for sub in subs]
    for group in runs:
        if not args.force and all(already_graded(course, sub) for sub in group):
            continue
        pattern = "*" if args.all_assignments else group[0].assignment
        cmd = [sys.executable, "-m", "rnngrader.nbgrader_main", "autograde", pattern, "--student", student, "--create",
               f"--Application.log_format={LOG_FORMAT}", *(["--force"] if args.force else [])]
        if course.worker_db_url != course.db_url:  # only the SQLite wait is added; never put a password in ps
            cmd.append(f"--CourseDirectory.db_url={course.worker_db_url}")
        start = time.time()
        with tempfile.TemporaryFile() as log:      # a file, not a pipe: a flood of output costs disk, not memory
            proc = subprocess.Popen(cmd, cwd=course.root, env=env,
                                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
            try:
                proc.wait(timeout=args.job_timeout)
                stopped = ""
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # nbgrader, and with it every sandbox it started
                proc.wait()
                stopped = f"\n0000-00-00 00:00:00.000 [tools | ERROR] stopped after {args.job_timeout} s"
            log.seek(0, os.SEEK_END)
            log.seek(max(0, log.tell() - LOG_LIMIT))
            output = log.read().decode(errors="replace") + stopped
        read_log(output, start, time.time(), {sub.assignment: sub for sub in group})
    return student


def read_log(output, start, end, subs):
    """Per assignment: seconds spent on it, and nbgrader's errors when its graded notebook is missing."""
    sections, current = {}, None
    for line in output.splitlines():
        m = SANITIZING.match(line)
        if m and m.group(2) != current:
            current = m.group(2) if m.group(2) in subs else None
            if current:
                stamp = time.mktime(time.strptime(m.group(1)[:19], "%Y-%m-%d %H:%M:%S"))
                sections[current] = {"start": stamp + float(m.group(1)[20:]) / 1000, "lines": []}
        elif current:
            sections[current]["lines"].append(line)
    names = sorted(sections, key=lambda a: sections[a]["start"])
    for a, following in zip(names, names[1:] + [None]):
        stop = sections[following]["start"] if following else end
        subs[a].seconds = stop - sections[a]["start"]
    for a, sub in subs.items():
        sub.log = sections.get(a, {}).get("lines", output.splitlines())
        if not sub.seconds:
            sub.seconds = end - start


def note_failures(course, sub, notebooks):
    """A gradable submission without graded notebooks: say what nbgrader said."""
    folder = course.root / "autograded" / sub.student / sub.assignment
    if all((folder / f"{name}.ipynb").exists() for name in notebooks):
        return
    errors = [line.split("] ", 1)[-1] for line in sub.log if "| ERROR]" in line]
    errors = [e for e in errors if not e.startswith(("There was an error", "Please see"))] or errors
    said = errors[-1][:300] if errors else "no message"
    sub.note("grading failed", f"nbgrader could not grade it ({said}); it scores zero. The log is in "
                               f"the output of `nbgrader autograde {sub.assignment} --student {sub.student}`.")


def kernel_findings(course, sub, notebooks):
    """Time-outs, memory errors, dead kernels and cut output in the graded notebooks, one line per kind."""
    for name in notebooks:
        path = course.root / "autograded" / sub.student / sub.assignment / f"{name}.ipynb"
        if not path.exists():
            continue
        found = {}
        graded = nbformat.read(str(path), as_version=4)
        for index, cell in enumerate(graded.cells):
            for output in cell.get("outputs", []):
                label = KERNEL_PROBLEMS.get(output.get("ename"))
                if label:
                    where = _nbgrader_meta(cell).get("grade_id") or f"cell {index}"
                    found.setdefault((label, output.get("evalue") or "interrupted"), []).append(where)
        for (label, message), cells in found.items():
            sub.tags += [label] * len(cells)
            sub.problems.append(f"{name}, {label} in {', '.join(cells)}: {message}"[:400])


def enter_students(course, students):
    """Create every student up front: parallel workers creating the same student would collide."""
    with Gradebook(course.db_url) as gb:
        for student in students:
            gb.update_or_create_student(student)


def read_scores(course, subs):
    with Gradebook(course.db_url) as gb:
        for sub in subs:
            assignment = gb.find_assignment(sub.assignment)
            sub.max_score = assignment.max_code_score
            try:
                sub.score = gb.find_submission(sub.assignment, sub.student).code_score
            except MissingEntry:
                sub.score = 0.0


# ---------- the report ----------

def md(text):
    """Text a student controls, safe in one Markdown table cell or list item: no new lines, no markup, no HTML."""
    text = " ".join(str(text).split())
    text = text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([|`*\[\]!])", r"\\\1", text)


def summarize(tags):
    counts = {}
    for tag in tags:
        counts[tag] = counts.get(tag, 0) + 1
    return ", ".join(tag if n == 1 else f"{tag} ×{n}" for tag, n in counts.items()) or "-"


def report(subs, args, seconds):
    unsandboxed = " **(graded without the sandbox)**" if args.no_sandbox else ""
    lines = ["# Autograding report", ""]
    if args.no_sandbox:
        lines += ["**This class was graded with --no-sandbox: student code ran with the grader's rights, "
                  "unisolated. Trust these marks only as far as you trust every submission.**", ""]
    lines += [f"{len(subs)} submissions ({len({s.student for s in subs})} students), {args.jobs} jobs, "
              f"{seconds:.0f} s. Scores are the autograded points; written answers are graded in the formgrader.",
              "", "| student | assignment | score | problems found |", "|---|---|---|---|"]
    for s in subs:
        lines.append(f"| {md(s.student)} | {md(s.assignment)} | {s.score:g}/{s.max_score:g}{unsandboxed} | "
                     f"{md(summarize(s.tags))} |")
    troubled = [s for s in subs if s.problems]
    if troubled:
        lines += ["", "## What was found, in words", ""]
        for s in troubled:
            lines.append(f"- **{md(s.student)} / {md(s.assignment)}**{unsandboxed}")
            lines += [f"  - {md(p)}" for p in s.problems]
    return "\n".join(lines) + "\n"


def table(subs, args):
    width = max([len(s.student) for s in subs] + [7])
    mark = "  [NO SANDBOX]" if args.no_sandbox else ""
    rows = [f"{'student':<{width}}  {'assignment':<24}{'score':>10}  problems"]
    rows += [f"{s.student:<{width}}  {s.assignment:<24}{f'{s.score:g}/{s.max_score:g}':>10}  "
             f"{summarize(s.tags)[:120]}{mark}" for s in subs]
    return "\n".join(" ".join(row.split("\n")) for row in rows)


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="only these assignments (default: all in the gradebook)")
    parser.add_argument("--course", default=".", help="the course root (default: the current folder)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="students graded at once")
    parser.add_argument("--force", action="store_true", help="grade again what is already in autograded/")
    parser.add_argument("--timeout", type=int, help="seconds per cell (default: nbgrader_config.py, 60)")
    parser.add_argument("--memory-mb", type=int, help="memory limit per kernel in MB, 0 = none (default: 2048)")
    parser.add_argument("--job-timeout", type=int, default=1800, help="seconds before one student is given up")
    parser.add_argument("--report", help="where to write the report (default: autograded/REPORT.md)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run student code WITHOUT the sandbox (trusted submissions only; the report says so)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    course = Course(args.course)
    if not args.no_sandbox:
        try:
            sandbox.check()
        except sandbox.SandboxUnavailable as e:
            sys.exit(f"Cannot grade: {e}")
    known = course.assignments()
    unknown = sorted(set(args.assignments) - set(known))
    if unknown:
        sys.exit(f"Not in the gradebook: {', '.join(unknown)}. Known: {', '.join(sorted(known))}.")
    wanted = {a: known[a] for a in (args.assignments or sorted(known))}
    students = course.students()
    if not students:
        sys.exit(f"Nothing to grade: {course.root / 'submitted'} has no student folders.")

    start = time.perf_counter()
    subs = [precheck(course, student, a, notebooks) for student in students for a, notebooks in wanted.items()]
    enter_students(course, students)
    env = worker_env(args)
    args.all_assignments = not args.assignments
    by_student = {}
    for sub in subs:
        if sub.gradable:
            by_student.setdefault(sub.student, []).append(sub)
    todo = [s for s in subs if s.gradable]
    print(f"Grading {len(todo)} submissions of {len(by_student)} students with {args.jobs} jobs "
          f"({len(subs) - len(todo)} not gradable, see the report)"
          f"{' WITHOUT THE SANDBOX' if args.no_sandbox else ' in the sandbox'}.", flush=True)
    progress = _progress(len(by_student), args)
    problems = sum(1 for s in subs if s.problems)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(grade, course, student, group, args, env): student
                   for student, group in by_student.items()}
        for future in concurrent.futures.as_completed(futures):
            student = futures[future]
            try:
                future.result()
            except Exception as e:  # noqa: BLE001  (one student's failure is reported, the class goes on)
                for sub in by_student[student]:
                    sub.note("grading failed", f"grading stopped with {type(e).__name__}: {str(e)[:300]}; it "
                                               f"scores zero. Grade it again with --force.")
            for sub in by_student[student]:
                note_failures(course, sub, wanted[sub.assignment])
                kernel_findings(course, sub, wanted[sub.assignment])
            problems += sum(1 for s in by_student[student] if s.problems)
            progress.update(student, problems)
    progress.close()
    read_scores(course, subs)
    seconds = time.perf_counter() - start

    print(table(subs, args))
    path = pathlib.Path(args.report) if args.report else course.root / "autograded" / "REPORT.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report(subs, args, seconds))
    timings = {f"{s.student}/{s.assignment}": round(s.seconds, 2) for s in todo}
    per_minute = 60 * len(by_student) / seconds if seconds else 0.0
    path.with_suffix(".json").write_text(json.dumps({"seconds": seconds, "jobs": args.jobs, "sandbox": not args.no_sandbox,
                                                     "students_per_minute": per_minute, "grading": timings}))
    print(f"\n{len(subs)} submissions of {len(students)} students in {seconds:.0f} s with {args.jobs} jobs "
          f"({per_minute:.1f} students per minute). Report: {path}")


class _progress:
    """A tqdm bar on stderr: students done of total, problems so far, time left."""

    def __init__(self, total, args):
        self.bar = None
        if not args.no_progress:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="student", desc="grading", file=sys.stderr, dynamic_ncols=True,
                            mininterval=1.0)

    def update(self, student, problems):
        if self.bar is not None:
            self.bar.set_postfix_str(f"problems so far: {problems}", refresh=False)
            self.bar.update(1)
        else:
            print(f"  graded {student} ({problems} submissions with problems so far)", flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


if __name__ == "__main__":
    main()
