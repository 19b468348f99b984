"""Runs the integration suite (what ctest's `integration` test calls) and fails when any test
was skipped or a test module could not be imported: a missing dependency must fail the run,
never turn into a green "OK (skipped=...)".

    VG_BINARY=build/visioguichet VG_SOURCE_DIR=$PWD /usr/bin/python3 tests/integration/run.py \
        [pattern]            # default test_*.py; e.g. test_api.py
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def iterate(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from iterate(t)
        else:
            yield t


def main():
    pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
    sys.path.insert(0, HERE)
    suite = unittest.defaultTestLoader.discover(HERE, pattern=pattern, top_level_dir=HERE)
    # VG_INTEGRATION_EXCLUDE: test modules left out of this run, said aloud (the ASan run
    # leaves out the timing-bound flood tests, see CMakeLists.txt).
    excluded = [m for m in os.environ.get("VG_INTEGRATION_EXCLUDE", "").split(",") if m]
    if excluded:
        print("left out of this run: %s" % ", ".join(excluded), file=sys.stderr)
        suite = unittest.TestSuite(t for t in iterate(suite)
                                   if t.id().split(".")[0] not in excluded)
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
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
