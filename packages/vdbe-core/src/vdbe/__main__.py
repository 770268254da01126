"""`python -m vdbe` runs the `vdbe` command."""

from vdbe.cli import main

raise SystemExit(main())
