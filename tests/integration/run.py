"""Runs the integration suite (what ctest's `integration` test calls) and fails when any test
was skipped or a test module could not be imported: a missing dependency must fail the run,
never turn into a green "OK (skipped=...)".

A test that fails is run once more, alone (at most MAX_RERUNS of them; VG_NO_RERUN=1 turns this
off). When it passes then, the run passes but prints a `FLAKY:` line naming it, which
scripts/test repeats at the end of its output: a flaky test is a bug to fix, reported, not
hidden, and it does not stop everything else from landing. A test that fails twice fails the
run.

    VG_BINARY=build/visioguichet VG_SOURCE_DIR=$PWD /usr/bin/python3 tests/integration/run.py \
        [pattern]            # default test_*.py; e.g. test_api.py
"""

import os
import re
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_RERUNS = 5


def rerun_name(test):
    """The loadable name of a failed test, or of the class or module whose set-up failed
    (unittest reports those as "setUpClass (test_x.Class)" or "setUpModule (test_x)")."""
    m = re.match(r"^\w+ \(([\w.]+)\)$", str(test))
    if m and not hasattr(test, "_testMethodName"):
        return m.group(1)
    return test.id()


def rerun(failed):
    """Runs each failed test again, alone; True when every one passes this time."""
    names = sorted({rerun_name(t) for t in failed})
    print("\n==> %d failed; running %s again, alone" % (len(names), ", ".join(names)),
          file=sys.stderr)
    ok = True
    for name in names:
        result = unittest.TextTestRunner(verbosity=2).run(
            unittest.defaultTestLoader.loadTestsFromName(name))
        if result.wasSuccessful() and not result.skipped and result.testsRun:
            print("FLAKY: %s failed, then passed when run again alone" % name, file=sys.stderr)
        else:
            ok = False
    return ok


def main():
    pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
    sys.path.insert(0, HERE)
    suite = unittest.defaultTestLoader.discover(HERE, pattern=pattern, top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    if result.skipped:
        print("\nFAILED: %d test(s) skipped; the suite does not skip (install what the reasons "
              "above name):" % len(result.skipped), file=sys.stderr)
        for test, reason in result.skipped:
            print("  %s: %s" % (test.id(), reason), file=sys.stderr)
        return 1
    if result.testsRun == 0:
        print("\nFAILED: no test found for %r" % pattern, file=sys.stderr)
        return 1
    if result.wasSuccessful():
        return 0
    failed = [t for t, _ in result.failures + result.errors]
    if os.environ.get("VG_NO_RERUN") == "1" or len(failed) > MAX_RERUNS:
        return 1
    return 0 if rerun(failed) else 1


if __name__ == "__main__":
    sys.exit(main())
