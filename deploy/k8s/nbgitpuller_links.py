"""Print the nbgitpuller link of every released notebook: one click clones (or updates) the course
in the student's home on the hub and opens the notebook in JupyterLab.

    python deploy/k8s/nbgitpuller_links.py https://hub.example.org https://github.com/ORG/rnn-course [main]

nbgitpuller never overwrites a student's edits: it merges upstream changes and keeps theirs.
"""
import pathlib
import sys
from urllib.parse import urlencode

REPO = pathlib.Path(__file__).resolve().parents[2]


def link(hub, repo, branch, notebook):
    """The link that pulls `repo` into ~/<repo name> and opens `notebook` (a path inside the repo)."""
    folder = repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    query = urlencode({"repo": repo, "branch": branch, "urlpath": f"lab/tree/{folder}/{notebook}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def released_notebooks():
    return sorted(p.relative_to(REPO).as_posix() for p in (REPO / "notebooks").glob("*/*.ipynb"))


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    hub, repo, branch = argv[0], argv[1], argv[2] if len(argv) == 3 else "main"
    for notebook in released_notebooks():
        print(f"{pathlib.Path(notebook).stem}: {link(hub, repo, branch, notebook)}")


if __name__ == "__main__":
    main(sys.argv[1:])
