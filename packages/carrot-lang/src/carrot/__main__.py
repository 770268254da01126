"""``python -m carrot``: the same as the ``carrot`` command."""

import sys

from carrot.cli import main

if __name__ == "__main__":
    sys.exit(main())
