"""nbgrader configuration for the RNN course.

Instructor source lives in solutions/<assignment>/<assignment>.ipynb, the
student release is generated into notebooks/<assignment>/ (and committed).
Student submissions go in submitted/<student>/<assignment>/, graded copies
in autograded/, feedback in feedback/; the gradebook is gradebook.db here.
None of those four is committed.
"""
c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "rnn-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".DS_Store"]

# A notebook cell gets at most this many seconds, under autograding and validation.
# Training cells shorten themselves when NBGRADER_EXECUTION is set, so a whole
# notebook grades in well under 20 s; this is only a safety net.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# The release shows this in place of each solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
