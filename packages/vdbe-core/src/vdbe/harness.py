"""Run a command's `main()` inside this process, under a time and a memory budget.

The fuzzers feed thousands of broken inputs to `vdbe` and `carrot`. Starting a process for
each would spend most of the time starting Python, so they call the command's `main(argv)`
here instead: the same code from the argument parser down, with standard output and error
captured. What a process would give for free is added back:

* a time budget: a timer signal stops a case that runs too long (`Hang`, which derives
  from BaseException so that no `except Exception` of the command can swallow it), after
  an optional earlier Ctrl-C (KeyboardInterrupt), which a command must turn into its own
  clean `interrupted` message. The budget is CPU time (user and system): on a machine
  shared with other work, a case may wait for the processor far longer than it runs, and
  that waiting is the machine's, not the case's. A case blocked without using the
  processor is stopped too, after ten times the budget in real time;
* a memory budget: `memory_budget()` caps the address space, so that a case allocating
  more fails with MemoryError (which a command reports as `out of memory`) instead of
  eating the machine.

Unix only (signals and `resource`), as the soak tests are.
"""

from __future__ import annotations

import contextlib
import io
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass

GIB = 1 << 30
WALL_FACTOR = 10  # real time allowed, in multiples of the CPU-time budget


class Hang(BaseException):
    """A case ran past its time budget."""


@dataclass
class Outcome:
    """What a command did: its exit status and the text it wrote."""

    status: int
    out: str
    err: str

    @property
    def clean(self) -> bool:
        """No traceback and no `internal error`: the command understood what happened."""
        return "Traceback" not in self.err and "internal error" not in self.err


def run_main(
    main: Callable[[list[str]], int],
    argv: list[str],
    *,
    seconds: float = 10.0,
    interrupt_after: float | None = None,
) -> Outcome:
    """Call `main(argv)` with its output captured. After `interrupt_after` seconds (if
    given) it gets a KeyboardInterrupt, as from Ctrl-C; after `seconds` of CPU time (or
    ten times that in real time), Hang is raised."""
    out, err = _stream(), _stream()
    alarms = [KeyboardInterrupt] if interrupt_after is not None else []
    alarms.append(Hang)
    real_limit = WALL_FACTOR * seconds

    def ring(signum, frame):
        exc = alarms.pop(0)
        if alarms:
            signal.setitimer(signal.ITIMER_REAL, real_limit - interrupt_after)
        raise exc()

    def spent(signum, frame):
        raise Hang()

    previous = signal.signal(signal.SIGALRM, ring), signal.signal(signal.SIGPROF, spent)
    signal.setitimer(signal.ITIMER_REAL, interrupt_after or real_limit)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGALRM, previous[0])
        signal.signal(signal.SIGPROF, previous[1])
    return Outcome(status, _text(out), _text(err))


def _stream() -> io.TextIOWrapper:
    """A text stream with bytes below it, as sys.stdout has (commands write to both)."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", "replace")


def _address_space() -> int:
    """This process's virtual memory size now, in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@contextlib.contextmanager
def memory_budget(extra: int = GIB) -> Iterator[None]:
    """Let the process grow by at most `extra` bytes of address space while inside
    (where the platform can limit it: not on Windows, nor under WebAssembly)."""
    try:
        import resource
    except ImportError:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    now = _address_space()
    if now:
        cap = now + extra if hard == resource.RLIM_INFINITY else min(hard, now + extra)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
