
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/tests/unit/test_handoff.cpp" "CMakeFiles/concurrency_tests.dir/tests/unit/test_handoff.cpp.o" "gcc" "CMakeFiles/concurrency_tests.dir/tests/unit/test_handoff.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_notify.cpp" "CMakeFiles/concurrency_tests.dir/tests/unit/test_notify.cpp.o" "gcc" "CMakeFiles/concurrency_tests.dir/tests/unit/test_notify.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_store.cpp" "CMakeFiles/concurrency_tests.dir/tests/unit/test_store.cpp.o" "gcc" "CMakeFiles/concurrency_tests.dir/tests/unit/test_store.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/pipe/build-bench/CMakeFiles/vg_app.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_notify.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_stats.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_store.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_ops.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_text.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
