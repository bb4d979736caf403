"""Global nbgrader configuration of the course server: install as /etc/jupyter/nbgrader_config.py.

Read by every student's and instructor's JupyterLab and by the formgrader service. The course
directory itself (COURSE_ROOT, a clone of this repository) keeps its own nbgrader_config.py
(course id, solutions/ -> notebooks/, timeouts).
"""
import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = os.environ.get("COURSE_ID", "rnn-course")
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
c.Exchange.path_includes_course = True
# Courses come from the hub groups nbgrader-<course> (students) and formgrade-<course>
# (instructors): a user in neither sees no assignment of the course and cannot fetch or submit.
c.Authenticator.plugin_class = JupyterHubAuthPlugin
