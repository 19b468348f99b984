
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/src/stats/export.cpp" "CMakeFiles/vg_stats.dir/src/stats/export.cpp.o" "gcc" "CMakeFiles/vg_stats.dir/src/stats/export.cpp.o.d"
  "/work/wt/pipe/src/stats/figures.cpp" "CMakeFiles/vg_stats.dir/src/stats/figures.cpp.o" "gcc" "CMakeFiles/vg_stats.dir/src/stats/figures.cpp.o.d"
  "/work/wt/pipe/src/stats/headlines.cpp" "CMakeFiles/vg_stats.dir/src/stats/headlines.cpp.o" "gcc" "CMakeFiles/vg_stats.dir/src/stats/headlines.cpp.o.d"
  "/work/wt/pipe/src/stats/report.cpp" "CMakeFiles/vg_stats.dir/src/stats/report.cpp.o" "gcc" "CMakeFiles/vg_stats.dir/src/stats/report.cpp.o.d"
  "/work/wt/pipe/src/stats/xlsx.cpp" "CMakeFiles/vg_stats.dir/src/stats/xlsx.cpp.o" "gcc" "CMakeFiles/vg_stats.dir/src/stats/xlsx.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/pipe/build-bench/CMakeFiles/vg_store.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_ops.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
