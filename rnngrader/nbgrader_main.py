"""nbgrader's command line, without a 2-second import: `python -m rnngrader.nbgrader_main autograde ...`.

Class grading (autograde.py) starts one nbgrader process per student. nbgrader imports nbformat, nbformat imports
jsonschema, and jsonschema imports rfc3987_syntax, which builds about 35 Earley parsers at import time to check
the "iri" string format that no notebook schema uses (python-jsonschema/jsonschema#1428): about 2 s of CPU in
every process. Marked absent, it is skipped by jsonschema (as when it is not installed); nothing else changes.
"""
import sys


def skip_slow_iri_check():
    """Make `import rfc3987_syntax` fail, so that jsonschema leaves the "iri" format unchecked (call before nbformat)."""
    sys.modules.setdefault("rfc3987_syntax", None)


if __name__ == "__main__":
    skip_slow_iri_check()
    from nbgrader.apps.nbgraderapp import main

    main()
