"""Real Unix users for the hub tests: created with a unique prefix, removed with their homes and processes."""
import os
import pwd
import secrets
import signal
import subprocess
import time


def unique_prefix():
    """A short prefix no existing user has, e.g. 'rnt3fa9'."""
    return "rnt" + secrets.token_hex(2)


def create(name, home_mode=0o700):
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True, capture_output=True)
    home = pwd.getpwnam(name).pw_dir
    os.chmod(home, home_mode)
    return home


def processes_of(names):
    """PIDs of the processes that run as one of these users."""
    uids = set()
    for name in names:
        try:
            uids.add(pwd.getpwnam(name).pw_uid)
        except KeyError:
            pass
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid in uids:
                    pids.append(int(entry))
            except FileNotFoundError:
                pass
    return pids


def remove(names):
    """End what these users still run (by PID), then delete them and their homes. Never raises."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in processes_of(names):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.time() + 5
        while processes_of(names) and time.time() < deadline:
            time.sleep(0.2)
    for name in names:
        subprocess.run(["userdel", "--remove", name], capture_output=True)


def run_as(user, *args, cwd=None, env=None, timeout=300):
    """Run a command as `user` (runuser); return the CompletedProcess, never raise on failure."""
    return subprocess.run(["runuser", "-u", user, "--", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
