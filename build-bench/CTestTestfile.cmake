# CMake generated Testfile for 
# Source directory: /work/wt/pipe
# Build directory: /work/wt/pipe/build-bench
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[unit]=] "/work/wt/pipe/build-bench/unit_tests" "--gtest_brief=1")
set_tests_properties([=[unit]=] PROPERTIES  _BACKTRACE_TRIPLES "/work/wt/pipe/CMakeLists.txt;161;add_test;/work/wt/pipe/CMakeLists.txt;0;")
add_test([=[layers]=] "/usr/bin/python3" "/work/wt/pipe/tests/layers.py" "/work/wt/pipe/src")
set_tests_properties([=[layers]=] PROPERTIES  _BACKTRACE_TRIPLES "/work/wt/pipe/CMakeLists.txt;167;add_test;/work/wt/pipe/CMakeLists.txt;0;")
add_test([=[integration]=] "/usr/bin/python3" "/work/wt/pipe/tests/integration/run.py")
set_tests_properties([=[integration]=] PROPERTIES  ENVIRONMENT "VG_BINARY=/work/wt/pipe/build-bench/visioguichet;VG_SOURCE_DIR=/work/wt/pipe;VG_FAULT_FSYNC_SHIM=/work/wt/pipe/build-bench/libvg_fault_fsync.so" TIMEOUT "900" _BACKTRACE_TRIPLES "/work/wt/pipe/CMakeLists.txt;170;add_test;/work/wt/pipe/CMakeLists.txt;0;")
add_test([=[e2e]=] "/usr/bin/python3" "/work/wt/pipe/tests/e2e/run.py")
set_tests_properties([=[e2e]=] PROPERTIES  ENVIRONMENT "VG_BINARY=/work/wt/pipe/build-bench/visioguichet;VG_SOURCE_DIR=/work/wt/pipe;NODE_PATH=/work/wt/pipe/node_modules" FAIL_REGULAR_EXPRESSION "# (skipped|todo) [1-9]" TIMEOUT "900" _BACKTRACE_TRIPLES "/work/wt/pipe/CMakeLists.txt;176;add_test;/work/wt/pipe/CMakeLists.txt;0;")
