"""Benchmark (not a test): how long the command line takes to start, and `check` to finish.

Run with `make bench-startup`. Each figure is the minimum over RUNS fresh interpreters (the minimum
is the least disturbed by other work on the machine), as wall time and as CPU time of the process:
- start-up: importing everything `check` needs (the content model, the validators), nothing run;
- `--help`: the command line alone;
- `check` on the fixture content and on the real content, from launch to exit.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 9


def measure(args: list[str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one fresh interpreter running args, minimum over RUNS."""
    walls, cpus = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, check=False)
        walls.append(time.perf_counter() - began)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def main() -> int:
    cases = {
        "interpreter alone": ["-c", "pass"],
        "start-up (imports for check)": ["-c", "import builder.__main__, builder.validate"],
        "--help": ["-m", "builder", "--help"],
        "check tests/fixtures/content": ["-m", "builder", "check", "--content", "tests/fixtures/content"],
        "check content": ["-m", "builder", "check", "--content", "content"],
    }
    width = max(map(len, cases))
    print(f"{'':<{width}}  {'wall':>7}  {'cpu':>7}   (minimum of {RUNS} runs)")
    for name, args in cases.items():
        wall, cpu = measure(args)
        print(f"{name:<{width}}  {wall:6.3f}s  {cpu:6.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
