# A thin layer over real commands. `make help` lists the targets.
PYTHON ?= python3
LAB_ARGS ?=
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# nbgrader runs helper programs (alembic) by name: put the venv first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: help lab test test-fast release autograde feedback budgets bench clean-grading sandbox

help:
	@echo "make lab        start JupyterLab on notebooks/ (creates .venv on first use)"
	@echo "make test       run every check (library, notebooks, release, nbgrader pipeline)"
	@echo "make test-fast  library and packaging tests only"
	@echo "make test-hub   deploy/ on a real JupyterHub with a browser (root, Debian; installs its tools)"
	@echo "make release    regenerate notebooks/ from solutions/"
	@echo "make autograde  grade every submission under submitted/ in the sandbox, in parallel (JOBS=n) -> autograded/REPORT.md"
	@echo "make feedback   write HTML feedback for every graded submission into feedback/"
	@echo "make budgets    time every notebook (full and under autograding) and its peak memory"
	@echo "make bench      time rnnlib's LSTM training step against PyTorch (installed if possible) -> bench/results.json"

# The environment: created on first use, refreshed when pyproject.toml changes.
$(STAMP): pyproject.toml deploy/jupyterlab/overrides.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed; run make PYTHON=python3.12 (or another)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	mkdir -p $(VENV)/share/jupyter/lab/settings && cp deploy/jupyterlab/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

# --allow-root only when run as root (containers, CI); a normal user never needs it.
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# The grader runs every submission in a bubblewrap sandbox (rnngrader/sandbox.py). As root on Debian or
# Ubuntu (CI, a container) bubblewrap is installed here; otherwise this says how to install it.
sandbox:
	@command -v bwrap >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "apt-get install bubblewrap (the grader's sandbox)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	  else \
	    echo "The grader needs bubblewrap: sudo apt-get install bubblewrap (Debian/Ubuntu), sudo dnf install bubblewrap (Fedora)."; \
	    exit 1; \
	  fi; }

# Two test workers already fill two cores: one BLAS thread each keeps kernels from oversubscribing them.
test: $(STAMP) sandbox
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m pytest -n auto --dist loadgroup --durations=25

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

release: $(STAMP)
	$(BIN)/python tools/nbcells.py normalize solutions
	$(BIN)/nbgrader generate_assignment "*" --no-db --force

# Grading needs the assignments in the gradebook: generate_assignment (with the
# database) records them; it rewrites notebooks/ identically. rnngrader/autograde.py then
# checks and grades every submission in the sandbox, JOBS at a time (default: one per core).
autograde: $(STAMP) sandbox
	$(BIN)/nbgrader generate_assignment "*" --force
	$(BIN)/python -m rnngrader.autograde $(if $(JOBS),--jobs $(JOBS))

feedback: $(STAMP)
	$(BIN)/nbgrader generate_feedback "*"

budgets: $(STAMP) sandbox
	$(BIN)/python -m tools.budgets

# PyTorch is only a yardstick: installed into the venv on demand (the CPU build, pinned: a bare `torch`
# would pull several GB of CUDA packages). If that fails, the benchmark still runs and reports rnnlib alone.
bench: $(STAMP)
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install --quiet 'torch==2.13.0' || \
		echo "PyTorch could not be installed: benchmarking rnnlib alone."
	$(BIN)/python bench/bench_lstm.py

clean-grading:
	rm -rf autograded feedback gradebook.db

# deploy/ on a real JupyterHub (tests/hub): as root on Debian. Installs what it needs first: Chromium
# (apt), the proxy (npm, into deploy/node_modules) and a hub environment outside the checkout, in
# $(HUB_VENV), because the test's students and grader are other Unix users who must run it.
# The hub runs in class mode: the hub and the students' servers from $(HUB_VENV)-class (the class's rnnlib,
# without answers), the formgrader from $(HUB_VENV) (the whole course).
HUB_VENV ?= /opt/rnn-course-hub
.PHONY: test-hub
test-hub:
	bash deploy/install-test-prereqs.sh $(HUB_VENV)
	PATH=$(HUB_VENV)/bin:$$PATH OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 HUB_CLASS_VENV=$(HUB_VENV)-class \
		$(HUB_VENV)/bin/python -m pytest tests/hub
