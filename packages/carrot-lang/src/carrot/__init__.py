"""Carrot: a small language compiled to the vdbe virtual machine."""
