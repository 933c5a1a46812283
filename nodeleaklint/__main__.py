"""``python -m nodeleaklint`` and the ``nodeleaklint`` command.

The command line is imported inside ``main`` so that Ctrl-C while it loads also ends the
process quietly with status 130, as it does once a command runs.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from nodeleaklint.cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
