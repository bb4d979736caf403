"""The course on a real JupyterHub, end to end, through the hub's proxy and REST API.

Every step goes over HTTP to the real components: the instructor drives the formgrader service
(/services/rnn-course/formgrader/api/...), the students drive nbgrader's assignment endpoints in
their own JupyterLab servers (/user/<name>/assignments/...), which run as their Unix users and use
the file-system exchange. One student submits the instructor's answers, one the blank release.
"""
import pathlib
import sys

import nbformat
import pytest

import unix_users
from browser import logged_in
from course_files import ARTIFACTS, ASSIGNMENT, COURSE, HOSTILE_MARK, NOTEBOOK, hostile, live_script, solved

BIN = pathlib.Path(sys.executable).parent


def ok(response):
    assert response.ok, f"{response.request.method} {response.url}: {response.status_code}\n{response.text[:2000]}"
    return response


class Course:
    """HTTP calls of the instructor (formgrader service) and of the students (their servers)."""

    def __init__(self, hub):
        self.hub, self.names = hub, hub.names
        # s2 joins mid-term: the hub admin adds the user (admin page, or this API call) ...
        ok(hub.admin().post(f"{hub.url}/hub/api/users/{hub.names['s2']}", timeout=30))
        self.tokens = {role: hub.token_for(name) for role, name in hub.names.items() if role != "grader"}
        self.formgrader = f"{hub.url}/services/{COURSE}/formgrader/api"

    def http(self, role):
        return self.hub.session(self.tokens[role])

    def instructor(self, action):
        result = ok(self.http("inst").post(f"{self.formgrader}/assignment/{ASSIGNMENT}/{action}", timeout=300)).json()
        assert result.get("success"), f"the formgrader's {action} failed: {result}"
        return result

    def autograde(self, role):
        url = f"{self.formgrader}/submission/{ASSIGNMENT}/{self.names[role]}/autograde"
        result = ok(self.http("inst").post(url, timeout=300)).json()
        assert result.get("success"), f"autograding {role} failed: {result}"

    def student(self, role, action):
        url = f"{self.hub.url}/user/{self.names[role]}/assignments/{action}"
        return ok(self.http(role).post(url, data={"course_id": COURSE, "assignment_id": ASSIGNMENT}, timeout=300))

    def contents(self, role, path, **kwargs):
        return self.http(role).request(kwargs.pop("method", "GET"),
                                       f"{self.hub.url}/user/{self.names[role]}/api/contents/{path}", timeout=60,
                                       **kwargs)

    def enrol(self, role):
        """... then enrols them the supported way: `nbgrader db student add` as the grader, with the service token."""
        hub = self.hub
        env = {"PATH": hub.env["PATH"], "HOME": str(hub.course_root), "COURSE_ID": COURSE,
               "NBGRADER_EXCHANGE": str(hub.exchange), "JUPYTER_CONFIG_PATH": hub.env["NBGRADER_CONFIG_DIR"],
               "JUPYTERHUB_API_TOKEN": hub.service_token, "JUPYTERHUB_USER": self.names["grader"],
               "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub.env['HUB_API_PORT']}/hub/api"}
        done = unix_users.run_as(self.names["grader"], str(BIN / "nbgrader"), "db", "student", "add", self.names[role],
                                 cwd=hub.course_root, env=env)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def course(hub, released):
    """The whole round trip, once (after `released`): fetch, submit, collect, autograde, feedback, fetch feedback."""
    c = Course(hub)
    for role in ("s1", "s2", "out"):
        hub.start_server(c.names[role])

    c.groups_before_enrolment = hub.group_members(f"nbgrader-{COURSE}")
    c.enrol("s2")
    c.groups_after_enrolment = hub.group_members(f"nbgrader-{COURSE}")

    for role in ("s1", "s2"):
        c.student(role, "fetch")
    release = nbformat.from_dict(ok(c.contents("s1", NOTEBOOK)).json()["content"])
    ok(c.contents("s1", NOTEBOOK, method="PUT", json={"type": "notebook", "format": "json",
                                                       "content": solved(release)}))
    # s2 hands in the release with a hostile cell: it dumps the environment and carries script
    ok(c.contents("s2", NOTEBOOK, method="PUT", json={"type": "notebook", "format": "json",
                                                       "content": hostile(release)}))
    for role in ("s1", "s2"):
        c.student(role, "submit")

    c.instructor("collect")
    for role in ("s1", "s2"):
        c.autograde(role)
    c.submissions = {s["student"]: s for s in ok(c.http("inst").get(f"{c.formgrader}/submissions/{ASSIGNMENT}",
                                                                     timeout=60)).json()}
    c.instructor("generate_feedback")
    c.instructor("release_feedback")
    for role in ("s1", "s2"):
        c.student(role, "fetch_feedback")
    return c


def test_grades_come_from_the_real_autograder(course):
    s1, s2 = (course.submissions[course.names[r]] for r in ("s1", "s2"))
    assert s1["max_code_score"] > 0 and s1["code_score"] == s1["max_code_score"], f"instructor's answers: {s1}"
    assert s2["code_score"] == 0, f"the blank release got {s2['code_score']}"
    assert s1["autograded"] and s2["autograded"]


def feedback_page(course, role):
    folders = ok(course.contents(role, f"{COURSE}/{ASSIGNMENT}/feedback")).json()["content"]
    assert len(folders) == 1, f"{role} has {len(folders)} feedback folders"
    path = f"{folders[0]['path']}/{ASSIGNMENT}.html"
    return path, ok(course.contents(role, path)).json()["content"]


def test_a_hostile_submission_graded_from_the_formgrader_leaks_no_token(course):
    path, page = feedback_page(course, "s2")
    assert HOSTILE_MARK in page, "the hostile cell did not run (or its output is not in the feedback)"
    for secret in (course.hub.service_token, course.hub.admin_token, "JUPYTERHUB_API_TOKEN", "HUB_ADMIN_TOKEN"):
        assert secret not in page, "the grader's environment reached a student's feedback"
    assert live_script(page) == [], "student script would run in the feedback page"


def test_no_student_script_runs_in_the_formgrader_or_the_feedback_page(course):
    """In a real browser: the instructor's view of the hostile submission, and the student's feedback page."""
    hub, names = course.hub, course.names
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    notebooks = ok(course.http("inst").get(f"{course.formgrader}/submitted_notebooks/{ASSIGNMENT}/{ASSIGNMENT}",
                                           timeout=60)).json()
    submission = next(n["id"] for n in notebooks if n["student"] == names["s2"])
    with logged_in(hub, names["inst"]) as page:
        page.goto(f"{hub.url}/services/{COURSE}/formgrader/submissions/{submission}/?index=0")
        try:
            page.wait_for_selector("#notebook-container")
        finally:
            page.screenshot(path=str(ARTIFACTS / "formgrader-hostile.png"))
        page.wait_for_timeout(1500)             # any onerror of a broken image has fired by now
        assert HOSTILE_MARK in page.content(), "the formgrader does not show the hostile submission"
        assert page.evaluate("() => window.__pwned") is None, "student script ran in the formgrader"
    path, _ = feedback_page(course, "s2")
    with logged_in(hub, names["s2"]) as page:
        page.goto(f"{hub.url}/user/{names['s2']}/files/{path}")
        page.wait_for_load_state()
        page.wait_for_timeout(1500)
        assert HOSTILE_MARK in page.content(), "the feedback page does not show the hostile cell"
        assert page.evaluate("() => window.__pwned") is None, "student script ran in the feedback page"
        page.screenshot(path=str(ARTIFACTS / "feedback-hostile.png"))


def test_the_formgrader_sends_a_content_security_policy_with_script_src(course):
    r = ok(course.http("inst").get(f"{course.hub.url}/services/{COURSE}/formgrader", timeout=60))
    policy = r.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "object-src 'none'" in policy, policy


def test_each_student_fetches_their_own_feedback(course):
    for role in ("s1", "s2"):
        folders = ok(course.contents(role, f"{COURSE}/{ASSIGNMENT}/feedback")).json()["content"]
        assert len(folders) == 1, f"{role} has {len(folders)} feedback folders"
        page = ok(course.contents(role, f"{folders[0]['path']}/{ASSIGNMENT}.html")).json()["content"]
        graded = course.submissions[course.names[role]]
        assert f"Score: {graded['score']:.1f} / {graded['max_score']:.1f}" in page, f"{role}'s feedback: {page[:300]}"


def test_enrolling_in_the_gradebook_enrols_in_the_hub_group(course):
    assert course.names["s2"] not in course.groups_before_enrolment
    assert course.names["s2"] in course.groups_after_enrolment


def test_students_get_403_on_the_formgrader(course):
    for role in ("s1", "s2", "out"):
        r = course.http(role).get(f"{course.formgrader}/submissions/{ASSIGNMENT}", timeout=60)
        assert r.status_code == 403, f"{role} got {r.status_code} from the formgrader"
        r = course.http(role).get(f"{course.hub.url}/services/{COURSE}/formgrader", timeout=60)
        assert r.status_code == 403, f"{role} got {r.status_code} from the formgrader page"


def test_a_student_cannot_read_another_students_submission(course):
    hub, names = course.hub, course.names
    r = course.http("s2").get(f"{hub.url}/user/{names['s1']}/api/contents/{NOTEBOOK}", timeout=60)
    assert r.status_code == 403, f"s2 read s1's server: {r.status_code}"
    inbound = hub.exchange / COURSE / "inbound"
    mine = [p for p in inbound.iterdir() if p.name.startswith(names["s1"] + "+")]
    assert mine, f"no submission of s1 in {inbound}"
    peek = unix_users.run_as(names["s2"], sys.executable, "-c", f"import os; print(os.listdir({str(inbound)!r}))")
    assert "PermissionError" in peek.stderr, f"s2 listed the inbound folder: {peek.stdout}"
    read = unix_users.run_as(names["s2"], "cat", str(hub.course_root / "submitted" / names["s1"] / ASSIGNMENT /
                                                       f"{ASSIGNMENT}.ipynb"))
    assert read.returncode != 0 and "Permission denied" in read.stderr, "s2 read s1's collected submission"


def test_a_user_outside_the_course_sees_no_assignments(course):
    url = f"{course.hub.url}/user/{course.names['out']}/assignments"
    listing = ok(course.http("out").get(url, params={"course_id": COURSE}, timeout=60)).json()
    assert listing["success"] and listing["value"] == [], listing
    courses = ok(course.http("out").get(f"{course.hub.url}/user/{course.names['out']}/courses", timeout=60)).json()
    assert courses["value"] == [], courses
    enrolled = ok(course.http("s1").get(f"{course.hub.url}/user/{course.names['s1']}/assignments",
                                        params={"course_id": COURSE}, timeout=60)).json()
    assert ASSIGNMENT in {a["assignment_id"] for a in enrolled["value"]}, f"an enrolled student sees: {enrolled}"


def test_the_formgrader_can_be_framed_by_its_own_jupyterlab(course):
    r = ok(course.http("inst").get(f"{course.hub.url}/services/{COURSE}/formgrader", timeout=60))
    assert "frame-ancestors 'self'" in r.headers.get("Content-Security-Policy", ""), r.headers
