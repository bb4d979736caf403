"""Class mode on the hub (issue 15): a student of 03 works without 02's answers, then the instructor releases them.

The hub and the students' servers run from the class's environment (conftest.py), so a student's notebook and
a student's Python import the class build of rnnlib. The student fetches 03 through the exchange, fills in the
answers, and runs it as Validate does, as their own Unix user, in that environment. Before the release the
first cell that needs 02 stops with AnswerNotReleased naming 02, and every answer key of 02 to 07 shows only its
stub; after `python -m rnngrader.classmode release 02_vanilla_rnn` (the instructor, as in the formgrader's
terminal) the notebook runs top to bottom and 02's functions show rnnlib's source.
"""
import inspect
import json
import pwd

import nbformat

import rnnlib
import unix_users
from course_files import CLASS_VENV, COURSE, LATER, fetch_solved, release_answers, release_assignment
from rnngrader import classmode
from tests.test_classmode import _body_lines, _outside

PROBE = r'''
import importlib, inspect, json, sys
import rnnlib
out = {"file": rnnlib.__file__, "sources": {}}
for module, name, assignment in json.loads(sys.argv[1]):
    obj = importlib.import_module("rnnlib." + module)
    for part in name.split("."):
        obj = getattr(obj, part)
    out["sources"][f"{module}:{name}"] = inspect.getsource(obj)
print(json.dumps(out))
'''
STUB = "in this class's rnnlib once it is released"


def test_a_student_of_03_sees_02s_answers_only_once_they_are_released(hub, released):
    release_assignment(hub, released, LATER)
    name = hub.names["s1"]
    fetch_solved(hub, "s1", LATER)

    home = pwd.getpwnam(name).pw_dir
    env = {"PATH": f"{CLASS_VENV / 'bin'}:/usr/bin:/bin:/usr/sbin", "HOME": home, "COURSE_ID": COURSE,
           "NBGRADER_EXCHANGE": str(hub.exchange), "NBGRADER_EXECUTION": "validate", "OPENBLAS_NUM_THREADS": "1"}
    keys = classmode.keys_of(classmode.ASSIGNMENTS[1:])

    def run_notebook():
        done = unix_users.run_as(name, str(CLASS_VENV / "bin" / "jupyter"), "nbconvert", "--to", "notebook",
                                 "--execute", "--ExecutePreprocessor.allow_errors=True",
                                 "--ExecutePreprocessor.timeout=300", "--output", "ran.ipynb", f"{LATER}.ipynb",
                                 cwd=f"{home}/{COURSE}/{LATER}", env=env, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
        ran = nbformat.read(f"{home}/{COURSE}/{LATER}/ran.ipynb", as_version=4)
        return [o for cell in ran.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]

    def sources():
        done = unix_users.run_as(name, str(CLASS_VENV / "bin" / "python"), "-c", PROBE, json.dumps(keys),
                                 cwd=home, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout)

    # The installed environment, every file of it: no answer's code (the lines rnnlib has nowhere else; a file
    # with one of them can be a coincidence, matplotlib has one; the whole rnnlib has 900 in this environment).
    every_key = classmode.keys_of(classmode.ASSIGNMENTS)
    answer_lines = set().union(*(_body_lines(module, key) for module, key, _ in every_key)) - _outside(every_key)
    leaked = {}
    for path in CLASS_VENV.rglob("*.py"):
        if path.is_file():
            found = answer_lines & {text.strip() for text in path.read_text(errors="replace").splitlines()}
            if len(found) >= 3:
                leaked[str(path)] = sorted(found)[:3]
    assert not leaked, f"answer code in the class's environment: {leaked}"

    before = sources()
    assert before["file"].startswith(str(CLASS_VENV)), f"the student's rnnlib is {before['file']}"
    shown = [key for key, source in before["sources"].items() if STUB not in source]
    assert not shown, f"answer keys readable in the class environment before their release: {shown}"
    errors = run_notebook()
    assert errors, "03 ran without 02's answers: nothing in it builds on 02?"
    assert errors[0]["ename"] == "AnswerNotReleased" and "02_vanilla_rnn" in errors[0]["evalue"], errors[0]

    said = release_answers(hub, "02_vanilla_rnn")
    assert "02_vanilla_rnn released" in said, said
    after = sources()
    for module, name_, assignment in keys:
        source = after["sources"][f"{module}:{name_}"]
        if assignment == "02_vanilla_rnn":
            obj = rnnlib
            for part in (*module.split("."), *name_.split(".")):
                obj = getattr(obj, part)
            assert source == inspect.getsource(obj), f"{module}:{name_} released, but shows:\n{source[:400]}"
        else:
            assert STUB in source, f"{module}:{name_} of {assignment} shows its answer after 02's release"
    errors = run_notebook()
    assert not errors, f"03 after 02's release: {[(e['ename'], e['evalue'][:200]) for e in errors]}"
