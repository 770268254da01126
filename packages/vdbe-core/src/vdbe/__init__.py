"""vdbe: a virtual machine compatible with SQLite's VDBE."""
