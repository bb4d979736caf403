"""Before grading: find and disable code that tampers with the grader.

A submission can try to make the tests pass without solving the exercise:
replace a numpy function (`np.allclose = lambda *a, **k: True`), a reference
(`rnnlib.rnn_forward = rnn_forward`) or a grading helper
(`def assert_close(*args): pass`), or reach them sideways (`setattr`, `exec`,
`sys.modules`, `__code__`, `builtins`). rnnlib/integrity.py catches much of
this inside the kernel, but the kernel runs the student's code, so the last
word belongs to this module, which runs in the grader before the kernel starts.

`scan(source, protected)` parses a cell (IPython syntax included) and returns
the statements that tamper, with the reason. `disable(source, findings)`
replaces each such statement by `pass  # [autograder] disabled: <reason>`, so the
rest of the student's code still runs and earns its marks. The nbgrader
preprocessor `DisableTampering` does both for every cell a student can edit,
logs what it found, and records it in the notebook's metadata
(`metadata.rnn_course.tampering`) for the instructor's report.

Honest code is never touched: calls such as `np.random.seed(0)`,
`np.set_printoptions(...)` or `plt.rcParams["figure.dpi"] = 100` are fine.
"""
import ast

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, List, Unicode

# Names whose rebinding or attribute assignment is tampering in every notebook, and what they stand for.
ALWAYS_PROTECTED = {"np": "numpy", "numpy": "numpy", "rnnlib": "rnnlib", "sys": "sys", "math": "math", "os": "os",
                    "builtins": "builtins"}
# Cell magics whose body is ordinary Python (scanned like any cell); any other cell magic is disabled.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
# Line magics an honest notebook uses; any other (%run, %load, %env, !shell ...) is disabled.
SAFE_LINE_MAGICS = {"matplotlib", "time", "timeit", "precision", "who", "whos", "pprint"}
FORBIDDEN_MODULES = {"builtins", "importlib", "ctypes", "gc", "__builtin__"}
FORBIDDEN_CALLS = {"setattr", "delattr", "exec", "eval", "compile", "__import__", "vars", "globals"}
FORBIDDEN_ATTRIBUTES = {
    "__dict__", "__code__", "__globals__", "__builtins__", "__closure__", "__defaults__", "__kwdefaults__",
    "__class__", "__bases__", "__subclasses__", "__getattribute__", "__setattr__",
    "modules", "setprofile", "settrace", "run_cell", "user_ns", "user_global_ns", "system", "getoutput",
    "run_cell_magic",
}


def _root_name(node):
    """'np' for np.linalg.norm; None when the chain does not start at a name."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _stored_names(target):
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _stored_names(element)
    elif isinstance(target, ast.Starred):
        yield from _stored_names(target.value)


def _python_source(source):
    """The cell as plain Python (IPython magics turned into calls), line for line."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython is always there with Jupyter
        return source
    return TransformerManager().transform_cell(source)


class _Finder(ast.NodeVisitor):
    def __init__(self, protected, imported=()):
        self.protected = dict(protected)      # name -> the module (or module.name) it must stay
        self.imported = set(imported) | set(protected)   # no attribute of these may be assigned
        self.found = []          # (statement node, reason)
        self.statement = None    # innermost statement being visited
        self.depth = 0           # > 0 inside a function or class body (local names are harmless there)

    def flag(self, reason):
        self.found.append((self.statement, reason))

    def generic_visit(self, node):
        if isinstance(node, ast.stmt):
            outer, self.statement = self.statement, node
            self._statement(node)
            scoped = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            self.depth += scoped
            super().generic_visit(node)
            self.depth -= scoped
            self.statement = outer
        else:
            self._expression(node)
            super().generic_visit(node)

    def _rebinds(self, name, how):
        if name in self.protected and self.depth == 0:
            self.flag(f"{how} {name}, which the tests use")

    def _statement(self, node):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            targets = [node.target]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
        for target in targets:
            if isinstance(target, ast.Attribute) and _root_name(target) in self.imported:
                self.flag(f"assigns to {ast.unparse(target)}")
            for name in _stored_names(target):
                self._rebinds(name, "rebinds")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self._rebinds(node.name, "redefines")
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                if name in self.protected:
                    self.flag(f"declares {name} global to replace it")
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound, what = (alias.asname, alias.name) if alias.asname else (alias.name.split(".")[0],
                                                                             alias.name.split(".")[0])
                if alias.name.split(".")[0] in FORBIDDEN_MODULES:
                    self.flag(f"imports {alias.name}")
                elif self.protected.get(bound, what) != what:
                    self._rebinds(bound, f"imports {what} as")
        if isinstance(node, ast.ImportFrom):
            if (node.module or "").split(".")[0] in FORBIDDEN_MODULES:
                self.flag(f"imports from {node.module}")
            for alias in node.names:
                bound, what = alias.asname or alias.name, f"{node.module}.{alias.name}"
                if alias.name == "*":
                    self.flag(f"imports * from {node.module}")
                elif self.protected.get(bound, what) != what:
                    self._rebinds(bound, f"imports {what} as")

    def _expression(self, node):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
            self.flag(f"calls {node.func.id}()")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run_line_magic":
            magic = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else "?"
            if magic not in SAFE_LINE_MAGICS:
                self.flag(f"runs the magic %{magic}")
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            self.flag(f"uses .{node.attr}")
        if isinstance(node, ast.Name) and node.id in ("__builtins__", "__builtin__"):
            self.flag(f"uses {node.id}")
        if isinstance(node, ast.NamedExpr) and node.target.id in self.protected and self.depth == 0:
            self.flag(f"rebinds {node.target.id}, which the tests use")


def imported_names(tree):
    """Every name an import statement in `tree` binds (modules, and functions imported from them)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.asname or a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names if a.name != "*")
    return names


def scan(source, protected=ALWAYS_PROTECTED, imported=()):
    """[(first line, last line, reason)] of the statements in `source` that tamper (1-based lines).

    `protected` maps the names the tests rely on to what they must stay bound to
    ({"np": "numpy", "assert_close": "rnnlib.grading.assert_close", ...}); `imported`
    names more imports (from other cells) whose attributes must not be assigned.
    A cell that does not parse is not scanned: it fails on its own when it runs.
    """
    lines = source.split("\n")
    offset = 0
    if source.lstrip().startswith("%%"):
        magic = source.lstrip()[2:].split(maxsplit=1)[0] if source.lstrip()[2:].split() else "?"
        if magic not in PYTHON_CELL_MAGICS:
            return [(1, len(lines), f"runs the cell magic %%{magic}")]
        first = next(k for k, line in enumerate(lines) if line.strip())
        offset, source = first + 1, "\n".join(lines[first + 1:])
    try:
        tree = ast.parse(_python_source(source))
    except SyntaxError:
        return []
    finder = _Finder(protected, set(imported) | imported_names(tree))
    finder.visit(tree)
    found, seen = [], set()
    for stmt, reason in finder.found:
        if stmt is None:
            continue
        key = (stmt.lineno + offset, stmt.end_lineno + offset, reason)
        if key not in seen:
            seen.add(key)
            found.append(key)
    return found


def disable(source, findings):
    """`source` with every flagged statement replaced by a `pass` that says why."""
    lines = source.split("\n")
    spans = sorted({(first, last) for first, last, _ in findings})
    merged = []
    for first, last in spans:                      # nested or overlapping statements: keep the outer one
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    for first, last in reversed(merged):
        reasons = sorted({r for f, l, r in findings if first <= f and l <= last})
        indent = lines[first - 1][: len(lines[first - 1]) - len(lines[first - 1].lstrip())]
        lines[first - 1:last] = [f"{indent}pass  # [autograder] disabled: {'; '.join(reasons)}"]
    return "\n".join(lines)


def protected_names(cells):
    """{name: what it stands for} for every name the instructor's cells import, plus ALWAYS_PROTECTED."""
    names = dict(ALWAYS_PROTECTED)
    for source in cells:
        try:
            tree = ast.parse(_python_source(source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    top = a.name.split(".")[0]
                    names[a.asname or top] = a.name if a.asname else top
            elif isinstance(node, ast.ImportFrom):
                names.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names if a.name != "*"})
    return names


def _student_editable(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if meta.get("solution"):
        return True
    return not (meta.get("grade") or meta.get("locked"))


class DisableTampering(Preprocessor):
    """nbgrader autograde step (after OverwriteCells): disable tampering in the cells students can edit."""

    enabled = Bool(True)
    note_key = Unicode("rnn_course")
    extra_protected = List(Unicode(), help="names to protect besides what the locked cells import").tag(config=True)

    def preprocess(self, nb, resources):
        code = [c for c in nb.cells if c.cell_type == "code"]
        protected = protected_names(c.source for c in code if not _student_editable(c))
        protected.update({name: f"(protected) {name}" for name in self.extra_protected})
        imported = set()
        for c in code:
            try:
                imported |= imported_names(ast.parse(_python_source(c.source)))
            except SyntaxError:
                pass
        report = []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not _student_editable(cell):
                continue
            findings = scan(cell.source, protected, imported)
            if not findings:
                continue
            cell.source = disable(cell.source, findings)
            where = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id") or f"#{index}"
            for first, _, reason in findings:
                report.append(f"cell {where}, line {first}: {reason}")
        if report:
            nb.metadata.setdefault(self.note_key, {})["tampering"] = report
            self.log.warning("Disabled code that tampers with the grader in %s: %s",
                             resources.get("unique_key", "a notebook"), "; ".join(report))
        return nb, resources
