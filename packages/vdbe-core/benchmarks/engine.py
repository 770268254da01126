"""How fast does the engine loop dispatch instructions? Measured, with alternatives.

    python packages/vdbe-core/benchmarks/engine.py            # full run
    python packages/vdbe-core/benchmarks/engine.py --quick    # a tenth of the work

Three programs:

- tight loop: `Add` and `Lt`, 1,000,000 iterations (two simple instructions each);
- expression loop: 1,000,000 iterations of an arithmetic expression on the counter
  (Multiply, Add, Remainder, Divide, Subtract, BitAnd), written by hand in the listing layout;
- SQLite's program for a SELECT of a big expression over a bound parameter, compiled by
  real SQLite and run many times (a new VM each time, as a prepared statement would be).

Each runs under several dispatch designs; the engine uses the first ("handler list").
Times are the process's CPU time, best of three, so that other work on the machine
disturbs the figures less.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time

from vdbe.engine import VM
from vdbe.loader import compile_sql
from vdbe.opcodes import HALT, OPCODES, ROW
from vdbe.program import Program

TIGHT_LOOP = """\
addr  opcode         p1    p2    p3    p4             p5  comment
0     Init           0     1     0                    0
1     Integer        0     1     0                    0   counter
2     Int64          0     2     0     {n}            0   limit
3     Integer        1     3     0                    0   step
4     Add            3     1     1                    0
5     Lt             2     4     1                    0
6     ResultRow      1     1     0                    0
7     Halt           0     0     0                    0
"""

EXPRESSION_LOOP = """\
0     Init           0     1     0                    0
1     Integer        0     1     0                    0   i = 0
2     Int64          0     2     0     {n}            0   limit
3     Integer        1     3     0                    0
4     Integer        3     4     0                    0
5     Integer        7     5     0                    0
6     Integer        11    6     0                    0
7     Integer        2     7     0                    0
8     Integer        0     9     0                    0   sum = 0
9     Multiply       4     1     8                    0   t = i * 3
10    Add            5     8     8                    0   t = t + 7
11    Remainder      6     8     8                    0   t = t % 11
12    Divide         7     1     10                   0   u = i / 2
13    Subtract       10    8     8                    0   t = t - u
14    BitAnd         8     8     8                    0   t = t & t
15    Add            8     9     9                    0   sum = sum + t
16    Add            3     1     1                    0   i = i + 1
17    Lt             2     9     1                    0   loop while i < limit
18    ResultRow      9     1     0                    0
19    Halt           0     0     0                    0
"""

BIG_EXPRESSION = (
    "SELECT " + " + ".join(f"(?1 * {k} - {k + 1}) % {k + 2}" for k in range(1, 21)) + ", ?1 || 'x'"
)


# ----------------------------------------------------------------- dispatch designs
# Each takes a fresh VM and runs it to completion, returning the rows.


def run_handler_list(vm: VM) -> list:
    """The engine's own loop: a list of handlers parallel to the instructions."""
    return vm.run()


def run_dict_lookup(vm: VM) -> list:
    """Look the handler up by opcode name for every instruction executed."""
    code, rows = vm.program.instructions, []
    while True:
        op = code[vm.pc]
        vm.pc += 1
        signal = OPCODES[op.opcode].handler(vm, op)
        if signal is ROW:
            rows.append(vm.row)
        elif signal is HALT:
            return rows


def run_bound_partials(vm: VM) -> list:
    """One functools.partial per instruction, with the VM and operands bound."""
    calls = [functools.partial(OPCODES[op.opcode].handler, vm, op) for op in vm.program]
    rows = []
    while True:
        pc = vm.pc
        vm.pc = pc + 1
        signal = calls[pc]()
        if signal is ROW:
            rows.append(vm.row)
        elif signal is HALT:
            return rows


def run_inline_hot(vm: VM) -> list:
    """An if/elif chain with the hottest opcodes written inline, handlers for the rest."""
    code, reg, rows = vm.program.instructions, vm.reg, []
    handlers = [OPCODES[op.opcode].handler for op in code]
    pc = 0
    while True:
        op = code[pc]
        name = op.opcode
        if name == "Add":
            a, b = reg[op.p1], reg[op.p2]
            if type(a) is int and type(b) is int and -(2**63) <= a + b < 2**63:
                reg[op.p3] = a + b
                pc += 1
                continue
        elif name == "Lt":
            a, b = reg[op.p3], reg[op.p1]
            if type(a) is int and type(b) is int:
                pc = op.p2 if a < b else pc + 1
                continue
        vm.pc = pc + 1
        signal = handlers[pc](vm, op)
        pc = vm.pc
        if signal is ROW:
            rows.append(vm.row)
        elif signal is HALT:
            return rows


DESIGNS = {
    "handler list (engine)": run_handler_list,
    "dict lookup": run_dict_lookup,
    "bound partials": run_bound_partials,
    "inline hot opcodes": run_inline_hot,
}


def count_instructions(program: Program, bindings=None) -> int:
    """Executed instruction count, measured once with a tracing callback."""
    count = 0

    def tick(line: str) -> None:
        nonlocal count
        count += 1

    VM(program, trace=tick, bindings=bindings).run()
    return count


def measure(name: str, program: Program, repeats: int, bindings=None) -> dict[str, float]:
    per_run = count_instructions(program, bindings)
    total = per_run * repeats
    results = {}
    for design, runner in DESIGNS.items():
        best = float("inf")
        for _ in range(3):  # best of three, in CPU time: the machine may be busy
            start = time.process_time()
            for _ in range(repeats):
                runner(VM(program, bindings=bindings))
            best = min(best, time.process_time() - start)
        results[design] = total / best
    print(f"\n{name}: {total:,} instructions ({per_run:,} per run x {repeats:,})")
    base = results["handler list (engine)"]
    for design, rate in results.items():
        print(f"  {design:<24} {rate / 1e6:6.2f} M instructions/s   x{rate / base:4.2f}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the iterations")
    args = parser.parse_args(argv)
    n = 100_000 if args.quick else 1_000_000
    print(f"Python {sys.version.split()[0]}; {n:,} loop iterations")
    measure("tight loop (Add, Lt)", Program.parse(TIGHT_LOOP.format(n=n)), 1)
    measure("expression loop", Program.parse(EXPRESSION_LOOP.format(n=n)), 1)
    program = compile_sql(BIG_EXPRESSION, bindings=[7])
    measure("SQLite's program for a big SELECT", program, n // 100, bindings=[7])
    return 0


if __name__ == "__main__":
    sys.exit(main())
