"""`dvm` where Windows differs: a legacy code page on pipes, and no readline module."""

import os
import subprocess
import sys

import pytest

WITHOUT_READLINE = "import sys; sys.modules['readline'] = None; from dvm.cli import main; main()"


def test_errors_are_written_in_utf8_whatever_the_code_page():
    """A Windows pipe would encode cp1252; the caret line must still show the é."""
    done = subprocess.run(
        [sys.executable, "-m", "dvm", "-c", "1 + é"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "cp437"},
    )
    assert done.returncode == 65
    assert "1 + é".encode() in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_repl_at_a_terminal_works_without_readline():
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", WITHOUT_READLINE],
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    os.write(leader, b"6 * 7\n:quit\n")
    output = b""
    while True:
        try:
            chunk = os.read(leader, 1024)
        except OSError:  # the terminal closed: the REPL has left
            break
        if not chunk:
            break
        output += chunk
    assert proc.wait(timeout=30) == 0
    os.close(leader)
    assert b"dvm: type an expression" in output  # it knew it was at a terminal
    assert b"42" in output
