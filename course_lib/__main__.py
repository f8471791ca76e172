"""``python -m course_lib``: the command-line interface."""

from course_lib.cli import main

raise SystemExit(main())
