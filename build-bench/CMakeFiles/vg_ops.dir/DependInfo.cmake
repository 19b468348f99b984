
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/src/ops/log.cpp" "CMakeFiles/vg_ops.dir/src/ops/log.cpp.o" "gcc" "CMakeFiles/vg_ops.dir/src/ops/log.cpp.o.d"
  "/work/wt/pipe/src/ops/metrics.cpp" "CMakeFiles/vg_ops.dir/src/ops/metrics.cpp.o" "gcc" "CMakeFiles/vg_ops.dir/src/ops/metrics.cpp.o.d"
  "/work/wt/pipe/src/ops/process.cpp" "CMakeFiles/vg_ops.dir/src/ops/process.cpp.o" "gcc" "CMakeFiles/vg_ops.dir/src/ops/process.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/pipe/build-bench/CMakeFiles/vg_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
