"""The course's tests (`make test`). Shared helpers: course.py; answers to judge: catalogue/."""
