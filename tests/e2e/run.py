"""Runs the browser suite (what ctest's `e2e` test calls): `node --test` over tests/e2e/ with
the TAP reporter, its output passed through.

A test file with a failing test is run once more, alone (at most MAX_RERUNS files;
VG_NO_RERUN=1 turns this off). When it passes then, the run passes but prints a `FLAKY:` line
naming it, which scripts/test repeats at the end of its output: a flaky test is a bug to fix,
reported, not hidden, and it does not stop everything else from landing. A file that fails
twice fails the run. Skipped and to-do tests still fail the run (ctest's
FAIL_REGULAR_EXPRESSION on the TAP summary).

    VG_BINARY=build/visioguichet VG_SOURCE_DIR=$PWD NODE_PATH=$PWD/node_modules \\
        python3 tests/e2e/run.py [file.test.js ...]
"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_RERUNS = 3


def node_test(paths):
    """Runs node's test runner on paths, echoing its output; returns (status, output)."""
    proc = subprocess.Popen(["node", "--test", "--test-reporter=tap", *paths],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        lines.append(line)
    return proc.wait(), "".join(lines)


def failing_files(tap):
    """The test files named by the `location:` of every `not ok` entry."""
    files, pending = set(), False
    for line in tap.splitlines():
        s = line.strip()
        if re.match(r"^not ok \d+ ", s):
            pending = True
        elif pending and s.startswith("location:"):
            m = re.search(r"'([^']+\.test\.js)(:\d+:\d+)?'", s)
            if m:
                files.add(m.group(1))
            pending = False
        elif s.startswith("ok "):
            pending = False
    return sorted(files)


def main():
    paths = sys.argv[1:] or [HERE]
    status, tap = node_test(paths)
    if status == 0:
        return 0
    files = failing_files(tap)
    if os.environ.get("VG_NO_RERUN") == "1" or not files or len(files) > MAX_RERUNS:
        return status
    print("\n# ==> failed in %s; running %s again, alone" %
          (", ".join(os.path.basename(f) for f in files), "it" if len(files) == 1 else "them"))
    ok = True
    for f in files:
        again, out = node_test([f])
        if again == 0 and not re.search(r"^# (skipped|todo) [1-9]", out, re.M):
            print("FLAKY: %s failed, then passed when run again alone" % os.path.basename(f))
        else:
            ok = False
    return 0 if ok else status


if __name__ == "__main__":
    sys.exit(main())
