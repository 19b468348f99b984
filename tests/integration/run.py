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
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
