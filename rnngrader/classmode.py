"""Class mode: a copy of rnnlib for the students of a graded class, without the answers to open assignments.

rnnlib holds a readable reference of every function the notebooks ask for (so later notebooks can build on
earlier ones), and fast kernels that compute the same things. For someone studying alone that is a feature;
in a graded class it is the answer key. The class build is rnnlib with every answer key of an assignment that
is still open replaced by a stub: same name, same signature, a one-line docstring, and a body that raises
AnswerNotReleased (a NotImplementedError that says which assignment it belongs to and what to use instead).
Nothing of the key's code is left in the build: not its body, not its docstring, no compiled file.

    python -m rnngrader.classmode build --out build/class          # every assignment open
    pip install build/class                                        # the students' environment (pyproject.toml)
    python -m rnngrader.classmode release 01_ann_limits            # when 01 closes: its answers, for everyone

`release` writes rnnlib's version of each key of the assignment into the folder of released answers (in the
course's nbgrader exchange, which every student reads and only instructors write; not_released.py says where).
From then on the stubs of every class build run it: in running kernels at their next call, and a kernel started
later has rnnlib's functions themselves (`rnnlib.rnn_forward??` shows the answer). `build --closed A B` bakes
released assignments into the build instead (grading uses such builds, one per assignment: `build --each`).

ANSWER_KEYS lists, per assignment, every place in rnnlib that computes the answer to one of its graded
functions on its own: the references, and the other routes to the same numbers (a kernel, a model's private
method, a helper that is the exercise under another name). A function that only calls a key needs no entry:
it calls the stub, and raises too (RNNCell.forward calls rnn_forward; generate's default sampler is
sample_from_logits). The two-dimensional affine layer (affine_forward, affine_backward) is no key: notebook 01
teaches it in its "hello" model (scores = X @ W + b, dW = X.T @ dscores, db = dscores.sum(0)), and the judge
lets a temporal layer call it. tests/test_classmode.py checks, for every assignment, that each key of an open
assignment raises and that none of its source is left in the build.

Where it is used: the students' environment of a graded class is a build (deploy/README.md, "Class mode"; the
student image of deploy/k8s/Dockerfile; the hub of make test-hub). Grading mounts a build over rnnlib in the
sandbox (c.SandboxedKernelManager.rnnlib_build), and refuses a build that still holds back the answer to an
assignment before the one graded (check_for_grading; a build records its open assignments in
_not_released.OPEN). The notebooks run against a build: their demos take the student's own functions where
they build on the notebook's exercises (tests/test_validate.py).
"""
import argparse
import ast
import os
import pathlib
import shutil
import sys
import tomllib

from . import not_released
from .not_released import definition

ASSIGNMENTS = ("01_ann_limits", "02_vanilla_rnn", "03_bptt", "04_vanishing_gradients", "05_lstm", "06_char_lm",
               "07_seq2seq")

# {assignment: {module of rnnlib (dotted, under rnnlib): [function or Class.method]}}
ANSWER_KEYS = {
    "01_ann_limits": {
        "layers.encoding": ["one_hot"],
        "layers.softmax": ["softmax", "log_softmax"],
        "data.windows": ["window_features", "best_current_char_accuracy",
                         "context_count_accuracy"],           # with window=1 it is best_current_char_accuracy
    },
    "02_vanilla_rnn": {
        "layers.rnn": ["rnn_step_forward", "rnn_forward"],
        "layers.affine": ["temporal_affine_forward"],
        "kernels.rnn": ["rnn_recurrence_forward"],
    },
    "03_bptt": {
        "layers.loss": ["temporal_softmax_loss", "softmax_cross_entropy"],
        "layers.affine": ["temporal_affine_backward"],
        "layers.rnn": ["rnn_step_backward", "rnn_backward"],
        "kernels.rnn": ["rnn_recurrence_backward"],
        "models.char_lm": ["CharLM._softmax_loss"],           # the temporal softmax loss of the character model
    },
    "04_vanishing_gradients": {
        "analysis.gradient_flow": ["state_gradients", "hidden_state_gradients"],
        "train.clipping": ["clip_grad_norm"],
    },
    "05_lstm": {
        "layers.lstm": ["sigmoid", "lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward",
                        "lstm_layer_forward", "lstm_layer_backward"],
        "layers.gru": ["gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward"],
        "kernels.lstm": ["lstm_recurrence_forward", "lstm_recurrence_backward"],
        "kernels.gru": ["_sigmoid", "gru_sequence_forward", "gru_sequence_backward"],
    },
    "06_char_lm": {
        "data.batching": ["make_batches"],
        "train.sampling": ["sample_from_logits", "generate"],
    },
    "07_seq2seq": {
        "layers.attention": ["attention_forward", "attention_backward"],
        "train.decoding": ["greedy_decode"],
    },
}

# What a stub calls: rnngrader/not_released.py, copied into each build as rnnlib/_not_released.py.
STUB_MODULE = pathlib.Path(not_released.__file__).read_text()
REPO = pathlib.Path(__file__).resolve().parent.parent


def keys_of(assignments):
    """[(module, name, assignment)] of every answer key of the given assignments."""
    return [(module, name, a) for a in assignments for module, names in ANSWER_KEYS[a].items() for name in names]


def _forward(arguments):
    """The arguments of a call that passes on every parameter of a def, as they came."""
    names = [a.arg for a in arguments.posonlyargs + arguments.args]
    names += [f"*{arguments.vararg.arg}"] if arguments.vararg else []
    names += [f"{a.arg}={a.arg}" for a in arguments.kwonlyargs]
    names += [f"**{arguments.kwarg.arg}"] if arguments.kwarg else []
    return ", ".join(names)


def stub_source(source, stubs, module):
    """`source` with the body of each (name, assignment) in `stubs` replaced by a stub (lines elsewhere kept).

    A stub calls rnnlib._not_released.released: AnswerNotReleased until the answers to its assignment are released,
    rnnlib's function (read from the released file) after. The module ends by adopting every released function."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits = []
    for name, assignment in stubs:
        try:
            node = definition(tree, name)
        except LookupError as e:
            raise LookupError(f"classmode: rnnlib.{module}: {e}") from None
        if node.body[0].lineno == node.lineno:
            raise LookupError(f"classmode: {name} has its body on its def line; give it lines of its own")
        first = node.body[0].lineno          # the docstring goes too: it may say how the answer is computed
        indent = " " * node.body[0].col_offset
        body = (f'{indent}"""The answer to {assignment}: in this class\'s rnnlib once it is released '
                f'(rnngrader/classmode.py)."""\n'
                f'{indent}return __import__("rnnlib._not_released", fromlist=["released"]).released('
                f'{assignment!r}, {module!r}, {name!r}, globals())({_forward(node.args)})\n')
        edits.append((first, node.end_lineno, body))
    for first, last, body in sorted(edits, reverse=True):
        lines[first - 1:last] = [body]
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.append(f'\n__import__("rnnlib._not_released", fromlist=["adopt"]).adopt(globals(), {module!r}, '
                 f'{[tuple(stub) for stub in stubs]!r})\n')
    return "".join(lines)


def build(out, closed=(), source=None):
    """Write rnnlib, with the keys of every assignment not in `closed` stubbed, to out/rnnlib; return that path."""
    source = pathlib.Path(source or REPO / "rnnlib")
    unknown = sorted(set(closed) - set(ASSIGNMENTS))
    if unknown:
        raise SystemExit(f"classmode: unknown assignments {unknown}; they are {', '.join(ASSIGNMENTS)}")
    target = pathlib.Path(out) / "rnnlib"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    by_module = {}
    for module, name, assignment in keys_of(a for a in ASSIGNMENTS if a not in closed):
        by_module.setdefault(module, []).append((name, assignment))
    for module, stubs in by_module.items():
        path = target.joinpath(*module.split(".")).with_suffix(".py")
        path.write_text(stub_source(path.read_text(), stubs, module))
    still_open = tuple(a for a in ASSIGNMENTS if a not in closed)
    (target / "_not_released.py").write_text(
        STUB_MODULE + f"\n\nOPEN = {still_open!r}   # the assignments whose answers this build leaves out\n")
    (target.parent / "pyproject.toml").write_text(_pyproject())
    return target


def _pyproject():
    """A pyproject.toml next to the build's rnnlib: `pip install FOLDER` installs it, with the course's dependencies."""
    if (REPO / "pyproject.toml").is_file():
        project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    else:               # rnngrader installed from a wheel: the same list, from the installed course's metadata
        import importlib.metadata

        metadata = importlib.metadata.metadata("rnn-course")
        project = {"version": metadata["Version"], "requires-python": metadata["Requires-Python"],
                   "dependencies": [r for r in importlib.metadata.requires("rnn-course") if "extra ==" not in r]}
    return (f"# The class's rnnlib (python -m rnngrader.classmode build): pip install this folder.\n"
            f"[build-system]\nrequires = [\"setuptools>=68\"]\nbuild-backend = \"setuptools.build_meta\"\n\n"
            f"[project]\nname = \"rnn-course-class\"\nversion = \"{project['version']}\"\n"
            f"requires-python = \"{project['requires-python']}\"\n"
            f"dependencies = {project['dependencies']!r}\n\n"
            f"[tool.setuptools.packages.find]\ninclude = [\"rnnlib\", \"rnnlib.*\"]\n")


def build_each(out, source=None):
    """One build per assignment, as its class has rnnlib while it is open (the earlier ones closed), in
    out/<assignment>/rnnlib; return out. Given as SandboxedKernelManager.rnnlib_build, each notebook is graded
    with the build of its own assignment."""
    for k, assignment in enumerate(ASSIGNMENTS):
        build(pathlib.Path(out) / assignment, ASSIGNMENTS[:k], source)
    return pathlib.Path(out)


def build_for(path, assignment):
    """The build to grade `assignment` with: path/<assignment> when path holds one per assignment, else path."""
    own = pathlib.Path(path) / str(assignment)
    return own if (own / "rnnlib" / "_not_released.py").is_file() else pathlib.Path(path)


def open_in(build):
    """The assignments a class build (its rnnlib folder) leaves the answers out of, read without importing it."""
    tree = ast.parse((pathlib.Path(build) / "_not_released.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["OPEN"]:
            return tuple(ast.literal_eval(node.value))
    raise ValueError(f"{build}: a class build made before builds named their open assignments; build it again.")


def check_for_grading(build, assignment):
    """Raise ValueError when `assignment` cannot be graded fairly with this class build: a student's function may
    use rnnlib's answers to the assignments before it, so every one of them must be closed in the build."""
    if assignment not in ASSIGNMENTS:
        return
    missing = [a for a in ASSIGNMENTS[:ASSIGNMENTS.index(assignment)] if a in open_in(build)]
    if missing:
        raise ValueError(f"{assignment} is graded with a class build of rnnlib ({build}) that still leaves out the "
                         f"answers to {', '.join(missing)}, which a student's {assignment} may use. Build it again "
                         f"with them closed: python -m rnngrader.classmode build --closed "
                         f"{' '.join(ASSIGNMENTS[:ASSIGNMENTS.index(assignment)])} --out <folder>.")


def release(assignments, folder=None, source=None):
    """Release the answers to `assignments`: write rnnlib's version of each of their keys where the stubs of every
    class build read them (not_released.answers_dir(), or `folder`): folder/<assignment>/<module path>.py, readable
    by all. Returns the files written."""
    source = pathlib.Path(source or REPO / "rnnlib")
    if (source / "_not_released.py").exists():
        raise SystemExit(f"classmode release: {source} is a class build; run this in the course directory, whose "
                         "rnnlib has every answer.")
    unknown = sorted(set(assignments) - set(ASSIGNMENTS))
    if unknown:
        raise SystemExit(f"classmode: unknown assignments {unknown}; they are {', '.join(ASSIGNMENTS)}")
    folder = pathlib.Path(folder) if folder else not_released.answers_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for assignment in assignments:
        for module, names in ANSWER_KEYS[assignment].items():
            text = (source.joinpath(*module.split(".")).with_suffix(".py")).read_text()
            tree = ast.parse(text)
            parts = [f"# rnnlib.{module}: the answers to {assignment}, released by your instructor.\n"
                     f"# The class's rnnlib runs these (rnngrader/classmode.py); read them next to your own.\n"]
            for name in names:
                node = definition(tree, name)
                code = ast.get_source_segment(text, node, padded=True)
                if "." in name:      # a method: inside its class, alone
                    code = f"class {name.split('.')[0]}:\n{code}"
                parts.append(code)
            path = not_released.answer_file(folder, assignment, module)
            for parent in reversed([p for p in path.parents if p.is_relative_to(folder)]):
                parent.mkdir(exist_ok=True)
                os.chmod(parent, 0o755)
            path.write_text("\n\n".join(parts) + "\n")
            os.chmod(path, 0o644)
            written.append(path)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m rnngrader.classmode", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("build", help="write the class's rnnlib: the answers to open assignments left out")
    make.add_argument("--closed", nargs="*", default=[], metavar="ASSIGNMENT",
                      help="assignments whose answers are released (their keys stay)")
    make.add_argument("--out", required=True, help="folder to write rnnlib/ into")
    make.add_argument("--each", action="store_true",
                      help="one build per assignment, its earlier ones closed, in OUT/<assignment>/rnnlib (for grading)")
    out = sub.add_parser("release", help="release the answers to closed assignments: the class's stubs run them")
    out.add_argument("assignments", nargs="+", metavar="ASSIGNMENT")
    out.add_argument("--to", help="the folder of released answers (default: <exchange>/<course>/answers, from "
                                  "$NBGRADER_EXCHANGE and $COURSE_ID, or $RNNLIB_ANSWERS)")
    args = parser.parse_args(argv)
    if args.command == "release":
        written = release(args.assignments, args.to)
        folder = pathlib.Path(args.to) if args.to else not_released.answers_dir()
        print(f"{folder}: the answers to {', '.join(args.assignments)} released ({len(written)} files). In the "
              f"class's rnnlib their functions work now, in running kernels too.")
        return
    if args.each:
        build_each(args.out)
        print(f"{args.out}: one class build per assignment ({', '.join(ASSIGNMENTS)}), the earlier ones closed")
        return
    target = build(args.out, args.closed)
    still_open = [a for a in ASSIGNMENTS if a not in args.closed]
    print(f"{target}: {len(keys_of(still_open))} answer keys of {len(still_open)} open assignments left out")


if __name__ == "__main__":
    sys.exit(main())
