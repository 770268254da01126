"""vdbe: a virtual machine compatible with SQLite's VDBE."""


def __getattr__(name: str):
    """`vdbe.connect` is `vdbe.dbapi.connect`, imported on first use (the command line
    does not need it)."""
    if name == "connect":
        from vdbe.dbapi import connect

        return connect
    raise AttributeError(f"module 'vdbe' has no attribute {name!r}")
