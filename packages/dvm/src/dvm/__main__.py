"""`python -m dvm`: the same command-line interface as the `dvm` command."""

from dvm.cli import main

raise SystemExit(main())
