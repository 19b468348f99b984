file(REMOVE_RECURSE
  "CMakeFiles/concurrency_tests.dir/tests/unit/test_handoff.cpp.o"
  "CMakeFiles/concurrency_tests.dir/tests/unit/test_handoff.cpp.o.d"
  "CMakeFiles/concurrency_tests.dir/tests/unit/test_notify.cpp.o"
  "CMakeFiles/concurrency_tests.dir/tests/unit/test_notify.cpp.o.d"
  "CMakeFiles/concurrency_tests.dir/tests/unit/test_store.cpp.o"
  "CMakeFiles/concurrency_tests.dir/tests/unit/test_store.cpp.o.d"
  "concurrency_tests"
  "concurrency_tests.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/concurrency_tests.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
