"""rnngrader: grading the course's notebooks so that every mark can be trusted.

Nothing here is imported by a student's notebook; rnnlib does not depend on it. The pieces, by file:

    sandbox.py    bubblewrap around every kernel that runs a student's code: its own folder, no network, an
                  unprivileged uid, an allowlisted environment, limits; the kernel manager nbgrader uses
    wire.py       the only format that crosses the sandbox wall: plain data (numbers, strings, arrays, and
                  tuples/lists/dicts of them), never pickle
    agent.py      runs inside the sandboxed kernel: calls the student's functions for the judge
    judge.py      runs the test cells (visible and hidden) in the trusted grader process, with the student's
                  functions as proxies; every comparison happens here
    execute.py    the nbgrader step that runs a submission in the sandbox and has the judge decide its points
    cells.py      submitted notebooks as nbgrader sees them: checks, duplicates, restored test cells
    sanitize.py   student HTML made inert (no scripts, no event handlers) for feedback and the formgrader
    feedback.py   what a student's feedback may show: no hidden test, no solution
    autograde.py  a whole class: checks, parallel grading, a progress bar and a report (make autograde)
    answers.py    answers judged function by function against a notebook's tests (the catalogue in make test)
    nbgrader_main.py  nbgrader's command line as autograde.py starts it, without a slow import
    channels.py   the kernel client's channels: a send never hides a reply that a wait on the socket is due
    classmode.py  class mode: the class's copy of rnnlib, without the answers to assignments still open
                  (build), and releasing an assignment's answers to the class (release)
    not_released.py  what a stub of that copy calls: copied into it as rnnlib/_not_released.py

This file imports nothing: the sandboxed kernel imports rnngrader.agent without pulling in nbgrader.
"""
