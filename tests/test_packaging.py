"""The project files agree with each other."""
import re
import tomllib

import yaml

from tests.course import REPO


def _name(requirement):
    return re.split(r"[<>=!~ ]", requirement, maxsplit=1)[0].lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip")]
    normalise = lambda reqs: {_name(r): r.replace(" ", "") for r in reqs}
    assert normalise(conda) == normalise(project["dependencies"])
    pip = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert pip == ["-e ."], "environment.yml should install the course package itself with pip"
    python = [d for d in env["dependencies"] if isinstance(d, str) and _name(d) == "python"][0]
    assert python.replace("python", "") == project["requires-python"]


def test_readme_first_two_commands_are_lab_and_test():
    commands = re.findall(r"^\s*(make \S+)", (REPO / "README.md").read_text(), flags=re.M)
    assert commands[:2] == ["make lab", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_rnnlib_does_not_depend_on_the_grader_nbgrader_or_jupyterlab():
    """The students' library imports nothing of grading: a notebook's `import rnnlib` pulls in none of it."""
    import subprocess
    import sys

    code = ("import sys, rnnlib, rnnlib.grading\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'nbgrader', 'jupyterlab', 'rnngrader', "
            "'nbconvert', 'jupyter_server'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", f"import rnnlib also imports {out}"


def test_every_rnnlib_folder_is_a_package_that_installs():
    """pyproject installs rnnlib and every package below it (the hub image is a non-editable install): a folder
    of modules without an __init__.py would be left out of it, and its imports would fail only on the hub."""
    import setuptools

    folders = {str(p.parent.relative_to(REPO)).replace("/", ".") for p in (REPO / "rnnlib").rglob("*.py")
               if "__pycache__" not in p.parts}
    found = set(setuptools.find_packages(str(REPO), include=["rnnlib", "rnnlib.*"]))
    assert folders <= found, f"not installed: {sorted(folders - found)} (add an __init__.py)"
    assert {"rnnlib.layers", "rnnlib.kernels", "rnnlib.models", "rnnlib.data", "rnnlib.train", "rnnlib.analysis",
            "rnnlib.viz", "rnnlib.cases"} <= found
