
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/src/main.cpp" "CMakeFiles/visioguichet.dir/src/main.cpp.o" "gcc" "CMakeFiles/visioguichet.dir/src/main.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/pipe/build-bench/CMakeFiles/vg_web.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_api.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_video.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_app.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_notify.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_stats.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_store.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_text.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_http.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_ops.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
