"""Instructor tools, run from the repository as modules: python -m tools.budgets, python -m tools.synthetic_class."""
