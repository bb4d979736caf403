"""JupyterHub for one nbgrader course on one machine (see deploy/README.md).

Students and instructors are real Unix users; each gets a JupyterLab started as that user
(LocalProcessSpawner), so the nbgrader exchange can tell submissions apart by Unix user.
The formgrader runs as a hub-managed service, as its own Unix user `grader-<course>`, in the
course directory; instructors reach it at /services/<course>/.

Everything that differs between machines comes from the environment (defaults in brackets):

  COURSE_ID            [rnn-course]                 nbgrader course id; also the service name
  COURSE_ROOT          [/srv/nbgrader/rnn-course]   course directory (a clone of this repo), owned by the grader
  COURSE_GRADER        [grader-<course>]            Unix user the formgrader runs as; also a hub user
  COURSE_GRADER_ENV    [the hub's own]              Python environment of the formgrader: the whole course (rnnlib
                                                    with its answers, rnngrader). Set it in class mode, where the
                                                    hub's environment, which the students' servers run from, holds
                                                    the class's rnnlib (deploy/README.md, "Class mode")
  COURSE_INSTRUCTORS   []                           space-separated Unix users: group formgrade-<course>
  COURSE_STUDENTS      []                           space-separated Unix users: group nbgrader-<course>
  HUB_OTHER_USERS      []                           other Unix users who may log in (not in this course)
  NBGRADER_EXCHANGE    [/srv/nbgrader/exchange]     exchange root, mode 1777
  HUB_BIND_URL         [http://:8000]               where students connect (put TLS in front of it)
  HUB_API_PORT         [8081]   HUB_PROXY_API_URL [http://127.0.0.1:8001]   COURSE_SERVICE_PORT [9999]
  HUB_AUTHENTICATOR    [pam]                        "pam" (Unix passwords) or "dummy" (tests only)
  HUB_DUMMY_PASSWORD   []                           the shared password of the "dummy" authenticator
  HUB_ADMIN_TOKEN      []                           if set, a "course-admin" service with this token may
                                                    manage users, groups and tokens (provisioning, tests)
  COURSE_SERVICE_TOKEN []                           fixed API token of the formgrader service (else generated)
  NBGRADER_CONFIG_DIR  [/etc/jupyter]               folder holding the global nbgrader_config.py
"""
import os
import pathlib
import sys

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)
env = os.environ.get
HERE = pathlib.Path(__file__).resolve().parent

course = env("COURSE_ID", "rnn-course")
grader = env("COURSE_GRADER", f"grader-{course}")
instructors = env("COURSE_INSTRUCTORS", "").split()
students = env("COURSE_STUDENTS", "").split()
service_port = int(env("COURSE_SERVICE_PORT", "9999"))

# --- network -------------------------------------------------------------------------------
c.JupyterHub.bind_url = env("HUB_BIND_URL", "http://:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = env("HUB_PROXY_API_URL", "http://127.0.0.1:8001")
local_proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"  # `npm ci --prefix deploy`
if local_proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(local_proxy)]

# --- who may log in ------------------------------------------------------------------------
if env("HUB_AUTHENTICATOR", "pam") == "dummy":
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = env("HUB_DUMMY_PASSWORD") or sys.exit("HUB_DUMMY_PASSWORD is not set")
else:
    c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(instructors + students + env("HUB_OTHER_USERS", "").split())
c.Authenticator.admin_users = set()  # instructors need no admin rights: their role below is enough

# --- single-user servers: JupyterLab, as the Unix user, from the hub's own Python environment ---
bin_dir = pathlib.Path(sys.executable).parent
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(bin_dir / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
nbgrader_env = {
    "COURSE_ID": course,   # with NBGRADER_EXCHANGE, also where a class's rnnlib finds released answers
    "NBGRADER_EXCHANGE": env("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange"),
    "JUPYTER_CONFIG_PATH": env("NBGRADER_CONFIG_DIR", "/etc/jupyter"),
    "PATH": f"{bin_dir}{os.pathsep}/usr/local/bin:/usr/bin:/bin",  # nbgrader runs `alembic` by name
}
c.Spawner.environment = dict(nbgrader_env)
grader_bin = pathlib.Path(env("COURSE_GRADER_ENV") or bin_dir.parent) / "bin"
# The server's own token may read its user's groups: nbgrader's JupyterHubAuthPlugin asks the hub
# which courses the user is in (group nbgrader-<course> or formgrade-<course>).
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server", "read:users:groups!user"]

# --- the course: groups, roles, and the formgrader service ---------------------------------
# Pitfall: adding a student in the formgrader's "Manage Students" page puts them in the gradebook
# only; it does NOT enrol them in the hub group. Enrol through COURSE_STUDENTS (read at every
# hub start) or mid-term with `nbgrader db student add <user>` in the formgrader's terminal
# (that command does call the hub, with the service token).
c.JupyterHub.load_groups = {
    f"formgrade-{course}": {"users": instructors + [grader]},
    f"nbgrader-{course}": {"users": students},
}
roles = [
    {"name": f"formgrade-{course}", "description": f"instructors of {course}: use the formgrader",
     "groups": [f"formgrade-{course}"], "scopes": [f"access:services!service={course}"]},
    {"name": f"nbgrader-{course}", "description": f"students of {course}",
     "groups": [f"nbgrader-{course}"], "scopes": []},
    # The formgrader enrols students in the hub group when asked to (nbgrader db student add).
    {"name": f"{course}-formgrader", "services": [course],
     "scopes": ["list:users", "read:users:groups", "list:groups", "read:groups", "groups", "admin:groups"]},
]
service = {
    "name": course,
    "url": f"http://127.0.0.1:{service_port}",
    "command": [str(grader_bin / "jupyterhub-singleuser"), f"--port={service_port}", "--ServerApp.ip=127.0.0.1"],
    "user": grader,  # a Unix user, and (pitfall) also a hub user: nbgrader asks the hub for its groups
    "cwd": env("COURSE_ROOT", f"/srv/nbgrader/{course}"),
    "oauth_no_confirm": True,
    "environment": {
        **nbgrader_env,
        "PATH": f"{grader_bin}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        "JUPYTERHUB_USER": grader,
        "HOME": env("COURSE_ROOT", f"/srv/nbgrader/{course}"),
        "JUPYTERHUB_DEFAULT_URL": "/lab",
        # Pitfall: JupyterHub >= 4.1 forbids framing (frame-ancestors 'none'), which leaves the
        # formgrader panel blank inside JupyterLab. Allow framing by the same origin only.
        "JUPYTER_CONFIG_PATH": os.pathsep.join([nbgrader_env["JUPYTER_CONFIG_PATH"], str(HERE / "formgrader")]),
    },
}
if env("COURSE_SERVICE_TOKEN"):
    service["api_token"] = env("COURSE_SERVICE_TOKEN")
services = [service]

if env("HUB_ADMIN_TOKEN"):
    services.append({"name": "course-admin", "api_token": env("HUB_ADMIN_TOKEN")})
    roles.append({"name": "course-admin", "services": ["course-admin"],
                  "scopes": ["admin:users", "admin:servers", "tokens", "admin:groups", "groups", "read:services"]})

c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
# A user the config no longer lists loses access at the next start.
c.Authenticator.allowed_users |= {grader}
