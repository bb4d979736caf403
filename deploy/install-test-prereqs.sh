#!/usr/bin/env bash
# Installs what `make test-hub` needs on a Debian machine, as root. Safe to run again.
#   $1: the grader's Python environment to create (default /opt/rnn-course-hub): the whole course
#   and $1-class: the class's environment, which the hub and the students' servers run from: the
#   class build of rnnlib (python -m rnngrader.classmode build: no answer to any assignment), no rnngrader.
# The environments are made from Debian's /usr/bin/python3 and live outside the repository on
# purpose: the test's students and grader are other Unix users, who must be able to run them.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-/opt/rnn-course-hub}"
class_venv="$venv-class"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3 python3-venv)
command -v useradd >/dev/null || missing+=(passwd)
command -v bwrap >/dev/null || missing+=(bubblewrap)     # the grader's sandbox (rnngrader/sandbox.py)
if [ ${#missing[@]} -gt 0 ]; then
    echo "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# JupyterHub's proxy, pinned by deploy/package-lock.json, into deploy/node_modules.
[ -x deploy/node_modules/.bin/configurable-http-proxy ] || npm ci --prefix deploy --no-audit --no-fund --silent

test -x "$venv/bin/python" || /usr/bin/python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
# Not editable: the course must be importable by users who cannot read this checkout.
"$venv/bin/python" -m pip install --quiet '.[dev,hub]'
"$venv/bin/python" -m pip install --quiet --no-deps --force-reinstall .
# JupyterLab's defaults for the course: no "get notified about Jupyter news?" pop-up over the notebook.
install -D -m 644 deploy/jupyterlab/overrides.json "$venv/share/jupyter/lab/settings/overrides.json"
chmod -R a+rX "$venv"

# The class's environment: the course's dependencies, JupyterHub, and the class build of rnnlib (run from this
# checkout: the build's pyproject.toml takes the course's dependencies). Built again each time, like the above.
build="$(mktemp -d)"
"$venv/bin/python" -m rnngrader.classmode build --out "$build/class"
hub_requirement="$("$venv/bin/python" -c 'import tomllib; print(next(r for r in tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["hub"] if r.startswith("jupyterhub")))')"
test -x "$class_venv/bin/python" || /usr/bin/python3 -m venv "$class_venv"
"$class_venv/bin/python" -m pip install --quiet --upgrade pip
"$class_venv/bin/python" -m pip install --quiet "$hub_requirement" "$build/class"
"$class_venv/bin/python" -m pip install --quiet --no-deps --force-reinstall "$build/class"
rm -rf "$build"
install -D -m 644 deploy/jupyterlab/overrides.json "$class_venv/share/jupyter/lab/settings/overrides.json"
chmod -R a+rX "$class_venv"
