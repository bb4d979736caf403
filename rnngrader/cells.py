"""Submitted notebooks as nbgrader sees them: copied cells, and test cells that were deleted or renamed.

nbgrader_config.py puts these in place of nbgrader's own sanitizing steps:

- KeepLastDuplicate: nbgrader's DeduplicateIds leaves an empty nbgrader
  metadata dict on every extra copy of a cell, which makes nbgrader stop the
  whole run with "notebooks use an old version of the nbgrader metadata".
  This drops the metadata of the extra copies instead (the last copy keeps
  the grade_id and is graded; the others run as ordinary cells).
- RestoreCells: nbgrader's OverwriteCells (which already restores edited test
  cells and test cells turned into markdown), plus: deleted grade cells are put
  back after the nearest cell that is still there, and a cell whose grade_id
  was renamed becomes an ordinary cell instead of failing validation.
"""
import re

from nbgrader import utils
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import DeduplicateIds, OverwriteCells


class KeepLastDuplicate(DeduplicateIds):
    """DeduplicateIds that removes the nbgrader metadata of extra copies instead of emptying it."""

    def preprocess_cell(self, cell, resources, cell_index):
        if not (utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell)):
            return cell, resources
        grade_id = cell.metadata.nbgrader.get("grade_id")
        if grade_id in self.grade_ids:
            self.log.warning("Cell with id '%s' exists more than once: grading the last copy, the others "
                             "run as ordinary cells.", grade_id)
            del cell.metadata["nbgrader"]
        else:
            self.grade_ids.add(grade_id)
        return cell, resources


class RestoreCells(OverwriteCells):
    """OverwriteCells that also puts back deleted grade cells and disowns renamed ones."""

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None and not self._known(grade_id):
            self.log.warning("Cell '%s' is not in the gradebook: grading it as an ordinary cell.", grade_id)
            del cell.metadata["nbgrader"]
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)

    def _known(self, grade_id):
        try:
            self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
        except MissingEntry:
            return False
        return True

    def add_missing_grade_cells(self, nb, resources):
        """Put each missing grade cell back right after the closest earlier gradebook cell still present."""
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source_nb.source_cells]
        max_scores = {cell.name: cell.max_score for cell in source_nb.grade_cells}
        solutions = {cell.name for cell in source_nb.solution_cells}
        by_name = {cell.name: cell for cell in source_nb.source_cells}
        for position, name in enumerate(order):
            if name not in max_scores or name in self._present(nb):
                continue
            self.log.warning("Grade cell %s is missing: adding it back.", name)
            new = self.missing_cell_transform(by_name[name], max_scores[name], is_solution=name in solutions)
            new["id"] = re.sub(r"[^a-zA-Z0-9_-]", "-", f"restored-{name}")[:64]
            nb.cells.insert(self._insert_at(nb, order[:position]), new)
        return nb, resources

    @staticmethod
    def _present(nb):
        return {c.metadata["nbgrader"].get("grade_id") for c in nb.cells if "nbgrader" in c.metadata}

    @staticmethod
    def _insert_at(nb, earlier_names):
        earlier = set(earlier_names)
        for index in range(len(nb.cells) - 1, -1, -1):
            if nb.cells[index].metadata.get("nbgrader", {}).get("grade_id") in earlier:
                return index + 1
        return 0
