"""A real JupyterHub on loopback, started from deploy/jupyterhub_config.py, and HTTP helpers to drive it."""
import os
import secrets
import signal
import socket
import subprocess
import time

import requests

HUB_LOG_TAIL = 6000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CourseHub:
    """One hub process (it starts the proxy, the formgrader service and the users' servers)."""

    def __init__(self, config, state_dir, python, env):
        """`python`: the environment the hub runs from (and, with deploy/'s config, the users' servers)."""
        self.config, self.state_dir, self.python = config, state_dir, python
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_token = secrets.token_hex(24)
        self.service_token = secrets.token_hex(24)
        self.password = secrets.token_hex(8)
        self.env = {
            **os.environ, **env,
            "HUB_BIND_URL": f"{self.url}/",
            "HUB_API_PORT": str(free_port()),
            "HUB_PROXY_API_URL": f"http://127.0.0.1:{free_port()}",
            "COURSE_SERVICE_PORT": str(free_port()),
            "HUB_AUTHENTICATOR": "dummy",
            "HUB_DUMMY_PASSWORD": self.password,
            "HUB_ADMIN_TOKEN": self.admin_token,
            "COURSE_SERVICE_TOKEN": self.service_token,
            "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(24),
        }
        self.log_path = state_dir / "jupyterhub.log"
        self.proc = None

    def start(self, timeout=60):
        hub = os.path.join(os.path.dirname(self.python), "jupyterhub")
        self.proc = subprocess.Popen([hub, "-f", str(self.config)],
                                     cwd=self.state_dir, env=self.env, stdout=self.log_path.open("wb"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"JupyterHub did not answer within {timeout} s:\n{self.log()}")

    def stop(self):
        """SIGTERM the hub: it stops the users' servers, the service and the proxy it started."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")[-HUB_LOG_TAIL:]
        except FileNotFoundError:
            return ""

    # --- HTTP --------------------------------------------------------------------------------
    def session(self, token):
        s = requests.Session()
        s.headers["Authorization"] = f"token {token}"
        return s

    def admin(self):
        return self.session(self.admin_token)

    def token_for(self, user):
        """A new API token of `user`, with all of the user's own permissions."""
        r = self.admin().post(f"{self.url}/hub/api/users/{user}/tokens", json={"note": "hub test"}, timeout=30)
        r.raise_for_status()
        return r.json()["token"]

    def start_server(self, user, timeout=90):
        """Start `user`'s JupyterLab through the hub and wait until it answers."""
        admin = self.admin()
        r = admin.post(f"{self.url}/hub/api/users/{user}/server", timeout=30)
        assert r.status_code in (201, 202, 400), f"spawning {user}: {r.status_code} {r.text}"
        deadline = time.time() + timeout
        while time.time() < deadline:
            model = admin.get(f"{self.url}/hub/api/users/{user}", timeout=30).json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.5)
        raise RuntimeError(f"{user}'s server did not start within {timeout} s:\n{self.log()}")

    def group_members(self, group):
        r = self.admin().get(f"{self.url}/hub/api/groups/{group}", timeout=30)
        r.raise_for_status()
        return set(r.json()["users"])
