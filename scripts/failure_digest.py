"""Prints, after ctest, a short digest of what failed: each failing test's name, where, and the
assertion's message; and the FLAKY lines of the suites that run a failed test again. CI keeps only the head and tail of a long run's output, and the failures
of a 200-second suite are in neither; this digest is printed last so that they are seen.

    python3 scripts/failure_digest.py build/Testing/Temporary/LastTest.log [max lines]
"""

import re
import sys


def outputs(log):
    """Yields (test name, output lines) for each test recorded in ctest's LastTest.log."""
    name, lines, inside = None, [], False
    for line in log.splitlines():
        m = re.match(r"^\d+/\d+ Test: (.+)$", line)
        if m:
            name, lines, inside = m.group(1), [], False
        elif line.startswith("Output:"):
            inside = True
        elif line.startswith("<end of output>"):
            if name:
                yield name, lines
            inside = False
        elif inside:
            lines.append(line)


def unittest_failures(lines):
    """FAIL/ERROR blocks of Python's unittest: the header, the test file's line, the message."""
    out = []
    for i, line in enumerate(lines):
        if not re.match(r"^(FAIL|ERROR): ", line):
            continue
        block = []
        for nxt in lines[i + 2:]:
            if nxt.startswith("=" * 20) or nxt.startswith("-" * 20):
                break
            block.append(nxt)
        where = [b.strip() for b in block if re.match(r'\s+File ".*/test_[^"]*\.py"', b)]
        message = [b for b in block if b and not b.startswith(" ") and
                   not b.startswith("Traceback")]
        out.append(line)
        out += ["    " + w for w in where[-1:]]
        out += ["    " + m[:300] for m in message[-3:]]
    return out


def tap_failures(lines):
    """`not ok` entries of node's TAP reporter with their location and error lines."""
    out = []
    for i, line in enumerate(lines):
        if not re.match(r"^\s*not ok \d+ ", line) or "# Subtest" in line:
            continue
        out.append(line.strip())
        in_error = False
        for nxt in lines[i + 1:i + 40]:
            s = nxt.strip()
            if s == "...":
                break
            key = re.match(r"^(\w+):", s)
            if key:
                in_error = key.group(1) in ("error", "expected", "actual", "message")
                if in_error or key.group(1) == "location":
                    out.append("    " + s[:300])
            elif in_error and s:
                out.append("      " + s[:300])
    return out


def gtest_failures(lines):
    return [l for l in lines if l.startswith("[  FAILED  ]") or ": Failure" in l]


def main():
    path = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            log = f.read()
    except OSError:
        return 0
    try:
        with open(path.replace("LastTest.log", "LastTestsFailed.log"), encoding="utf-8") as f:
            failed = {l.strip().split(":", 1)[-1] for l in f if l.strip()}
    except OSError:
        failed = set()
    digest, flaky = [], []
    for name, lines in outputs(log):
        flaky_here = ["%s: %s" % (name, l.strip()) for l in lines if l.startswith("FLAKY:")]
        flaky += flaky_here
        if name not in failed and not flaky_here:
            continue
        found = unittest_failures(lines) + tap_failures(lines) + gtest_failures(lines)
        digest.append("-- %s%s" % (name, "" if name in failed else " (passed on the second run)"))
        digest += found or lines[-8:]
    if flaky:
        print("\n==> flaky: failed once, passed when run again alone (a bug to fix)")
        for line in flaky[:20]:
            print(line)
    if digest:
        print("\n==> what failed (digest of build/Testing/Temporary/LastTest.log)")
        for line in digest[:limit]:
            print(line)
        if len(digest) > limit:
            print("... %d more lines in the log" % (len(digest) - limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
