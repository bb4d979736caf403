"""The course as the hub tests see it: names, and a student's solved copy of a released notebook."""
import copy
import os
import pathlib
import re
import sys

import nbformat

import unix_users

REPO = pathlib.Path(__file__).resolve().parents[2]
COURSE = "rnn-course"
ASSIGNMENT = "02_vanilla_rnn"  # the smallest assignment keeps grading fast
LATER = "03_bptt"              # the class mode test: a student of 03 before and after 02's answers are released
NOTEBOOK = f"{COURSE}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"  # where fetch puts it, in the student's home
ARTIFACTS = REPO / ".test-artifacts" / "hub"
# The class's environment (deploy/install-test-prereqs.sh): the hub and the students' servers run from it.
CLASS_VENV = pathlib.Path(os.environ.get("HUB_CLASS_VENV", sys.prefix + "-class"))
CLASS_PYTHON = CLASS_VENV / "bin" / "python"
MARKERS = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def solved(release, assignment=ASSIGNMENT):
    """The released notebook with every answer cell holding the instructor's answer."""
    source = nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    answers = {_meta(c)["grade_id"]: c.source for c in source.cells if _meta(c).get("solution")}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        if _meta(cell).get("solution"):
            lines = answers[_meta(cell)["grade_id"]].splitlines()
            cell.source = "\n".join(line for line in lines if not MARKERS.match(line))
    return nb


# What a hostile student adds to the blank release: a cell that dumps the grader's environment and
# every process's environment it can see, and script in outputs and markdown. It scores zero like the
# blank release, and nothing of it may run in a browser or leak a token.
HOSTILE_MARK = "HOSTILE-ENV-DUMP"
HOSTILE_CODE = f"""import os
print({HOSTILE_MARK!r}, dict(os.environ))
for pid in os.listdir('/proc'):
    if pid.isdigit():
        try:
            print(pid, open(f'/proc/{{pid}}/environ', 'rb').read())
        except OSError:
            pass
from IPython.display import HTML, Javascript, display
display(Javascript("window.__pwned = 'javascript output'"))
display(HTML("<img src=x onerror=\\"window.__pwned = 'html output'\\"><script>window.__pwned = 'script'</script>"))
"""
HOSTILE_MARKDOWN = ("My answer. <img src=x onerror=\"window.__pwned = 'markdown'\"> "
                    "<script>window.__pwned = 'markdown script'</script> [more](javascript:window.__pwned='link')")


def hostile(release):
    """The release with the hostile cells added after its first (setup) cell."""
    nb = copy.deepcopy(release)
    code, text = nbformat.v4.new_code_cell(HOSTILE_CODE), nbformat.v4.new_markdown_cell(HOSTILE_MARKDOWN)
    code.id, text.id = "hostile-code", "hostile-markdown"
    nb.cells[2:2] = [text, code]
    return nb


def live_script(page):
    from rnngrader.sanitize import live_script as find

    return find(page, "__pwned")


def release_assignment(hub, token, assignment):
    """The instructor generates and releases `assignment` through the formgrader (token: theirs)."""
    for action in ("assign", "release"):  # generate_assignment (into the gradebook), then into the exchange
        r = hub.session(token).post(f"{hub.url}/services/{COURSE}/formgrader/api/assignment/{assignment}/{action}",
                                    timeout=300)
        assert r.ok and r.json().get("success"), f"the formgrader's {action} of {assignment}: {r.text[:2000]}"


def fetch_solved(hub, role, assignment=ASSIGNMENT):
    """Student `role` starts their server, fetches `assignment` and writes the answers into it; returns their
    HTTP session and the notebook's path in their home."""
    name = hub.names[role]
    hub.start_server(name)
    http = hub.session(hub.token_for(name))
    r = http.post(f"{hub.url}/user/{name}/assignments/fetch", data={"course_id": COURSE, "assignment_id": assignment},
                  timeout=120)
    assert r.ok, r.text
    notebook = f"{COURSE}/{assignment}/{assignment}.ipynb"
    url = f"{hub.url}/user/{name}/api/contents/{notebook}"
    release = nbformat.from_dict(http.get(url, timeout=60).json()["content"])
    assert http.put(url, json={"type": "notebook", "format": "json", "content": solved(release, assignment)},
                    timeout=60).ok
    return http, notebook


def release_answers(hub, *assignments):
    """The instructor releases the answers to `assignments`, as in the formgrader's terminal (deploy/README.md)."""
    env = {"PATH": hub.env["PATH"], "HOME": str(hub.course_root), "COURSE_ID": COURSE,
           "NBGRADER_EXCHANGE": str(hub.exchange)}
    done = unix_users.run_as(hub.names["grader"], sys.executable, "-m", "rnngrader.classmode", "release", *assignments,
                             cwd=hub.course_root, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
