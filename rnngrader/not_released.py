"""The stubs' side of class mode: copied into every class build as rnnlib/_not_released.py.

rnngrader/classmode.py replaces each answer key of an open assignment by a stub that calls `released`: while
the answers are not released it raises AnswerNotReleased, which says what to use instead; once the instructor
has released them (python -m rnngrader.classmode release ASSIGNMENT), it runs rnnlib's function read from the
released file, in its own module, so the stub needs no new build and no restart of the kernel. A module that is
imported after the release takes the released functions in place of its stubs (`adopt`), so `rnnlib.rnn_forward??`
then shows the answer itself.

Released answers live in ANSWERS/<assignment>/<module path>.py, where ANSWERS is $RNNLIB_ANSWERS, else
<exchange>/<course>/answers with the exchange root and course of deploy/nbgrader/nbgrader_config.py
($NBGRADER_EXCHANGE, $COURSE_ID): the folder every student of the course can read and only its instructors write.
This file imports nothing of rnnlib, so every module of rnnlib may use it.
"""
import ast
import os
import pathlib


class AnswerNotReleased(NotImplementedError):
    """This copy of rnnlib leaves out the answers to assignments that are still open."""


def not_released(assignment, name):
    short = name.rsplit(".", 1)[-1]
    return AnswerNotReleased(
        f"rnnlib.{name} is part of the answer to {assignment}, which is still open, so the rnnlib of this "
        f"class leaves it out. Use your own {short} from notebook {assignment} (copy its cell into this "
        f"notebook). rnnlib's version comes back once your instructor releases the answers to {assignment}.")


def answers_dir():
    """The folder of released answers (see the module's docstring)."""
    if os.environ.get("RNNLIB_ANSWERS"):
        return pathlib.Path(os.environ["RNNLIB_ANSWERS"])
    exchange = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
    return pathlib.Path(exchange) / os.environ.get("COURSE_ID", "rnn-course") / "answers"


def answer_file(folder, assignment, module):
    """Where the released functions of rnnlib.<module> for `assignment` are: folder/assignment/<module path>.py."""
    return pathlib.Path(folder, assignment, *module.split(".")).with_suffix(".py")


def definition(tree, name):
    """The def of `name` ("f" or "Class.method") at the top of a module's tree; LookupError unless it is there once."""
    *owner, leaf = name.split(".")
    body = tree.body
    for part in owner:
        classes = [n for n in body if isinstance(n, ast.ClassDef) and n.name == part]
        if len(classes) != 1:
            raise LookupError(f"class {part} is not defined once (found {len(classes)})")
        body = classes[0].body
    found = [n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == leaf]
    if len(found) != 1:
        raise LookupError(f"{name} is not defined once (found {len(found)})")
    return found[0]


_released = {}


def released(assignment, module, name, module_globals):
    """rnnlib.<module>.<name> as released for `assignment`, a function of that module; AnswerNotReleased until then."""
    key = (module, name)
    if key not in _released:
        path = answer_file(answers_dir(), assignment, module)
        try:
            node = definition(ast.parse(path.read_text(), str(path)), name)
        except (OSError, LookupError, SyntaxError):
            raise not_released(assignment, f"{module}.{name}") from None
        made = {}   # the def binds here; the function's globals are its module's, as in rnnlib
        exec(compile(ast.Module(body=[node], type_ignores=[]), str(path), "exec"), module_globals, made)
        _released[key] = made[node.name]
    return _released[key]


def adopt(module_globals, module, stubs):
    """Put the released functions of `stubs` [(name, assignment)] in place of their stubs in a module being imported."""
    for name, assignment in stubs:
        try:
            function = released(assignment, module, name, module_globals)
        except AnswerNotReleased:
            continue
        *owner, leaf = name.split(".")
        if owner:           # a method: Class.method
            setattr(module_globals[owner[0]], leaf, function)
        else:
            module_globals[leaf] = function
