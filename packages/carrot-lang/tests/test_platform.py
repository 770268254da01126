"""`carrot` where Windows differs: a legacy code page on pipes, no readline module, and
paths with spaces and letters outside ASCII."""

import os
import subprocess
import sys

import pytest

WITHOUT_READLINE = "import sys; sys.modules['readline'] = None; from carrot.cli import main; main()"


def test_output_is_utf8_whatever_the_code_page(tmp_path):
    """A Windows pipe would encode cp1252: 'h\u00e9 \u20ac' must still arrive as UTF-8."""
    done = subprocess.run(
        [sys.executable, "-m", "carrot", "-c", 'print("hé €");'],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
        timeout=60,
    )
    assert done.stdout == "hé €\n".encode()


def test_a_program_in_a_folder_with_spaces_and_accents(tmp_path):
    folder = tmp_path / "mes programmes é"
    folder.mkdir()
    program = folder / "ça marche.carrot"
    program.write_text('print("oui");\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "carrot", str(program)], capture_output=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, b"oui\n")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_repl_at_a_terminal_works_without_readline(tmp_path):
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", WITHOUT_READLINE],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "HOME": str(tmp_path)},
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
    assert proc.wait(timeout=60) == 0
    os.close(leader)
    assert b"carrot> " in output  # it knew it was at a terminal
    assert b"42" in output
