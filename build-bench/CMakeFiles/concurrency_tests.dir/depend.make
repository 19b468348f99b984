# Empty dependencies file for concurrency_tests.
# This may be replaced when dependencies are built.
