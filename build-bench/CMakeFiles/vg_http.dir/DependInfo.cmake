
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/build-bench/CMakeFiles/vg_http.dir/cmake_pch.hxx.cxx" "CMakeFiles/vg_http.dir/cmake_pch.hxx.gch" "gcc" "CMakeFiles/vg_http.dir/cmake_pch.hxx.gch.d"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_http.dir/cmake_pch.hxx" "CMakeFiles/vg_http.dir/cmake_pch.hxx.gch" "gcc" "CMakeFiles/vg_http.dir/cmake_pch.hxx.gch.d"
  "/work/wt/pipe/src/http/address.cpp" "CMakeFiles/vg_http.dir/src/http/address.cpp.o" "gcc" "CMakeFiles/vg_http.dir/src/http/address.cpp.o.d"
  "/work/wt/pipe/src/http/log_throttle.cpp" "CMakeFiles/vg_http.dir/src/http/log_throttle.cpp.o" "gcc" "CMakeFiles/vg_http.dir/src/http/log_throttle.cpp.o.d"
  "/work/wt/pipe/src/http/message.cpp" "CMakeFiles/vg_http.dir/src/http/message.cpp.o" "gcc" "CMakeFiles/vg_http.dir/src/http/message.cpp.o.d"
  "/work/wt/pipe/src/http/multipart.cpp" "CMakeFiles/vg_http.dir/src/http/multipart.cpp.o" "gcc" "CMakeFiles/vg_http.dir/src/http/multipart.cpp.o.d"
  "/work/wt/pipe/src/http/origin.cpp" "CMakeFiles/vg_http.dir/src/http/origin.cpp.o" "gcc" "CMakeFiles/vg_http.dir/src/http/origin.cpp.o.d"
  "/work/wt/pipe/src/http/router.cpp" "CMakeFiles/vg_http.dir/src/http/router.cpp.o" "gcc" "CMakeFiles/vg_http.dir/src/http/router.cpp.o.d"
  "/work/wt/pipe/src/http/server.cpp" "CMakeFiles/vg_http.dir/src/http/server.cpp.o" "gcc" "CMakeFiles/vg_http.dir/src/http/server.cpp.o.d"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_http.dir/cmake_pch.hxx" "CMakeFiles/vg_http.dir/src/http/server.cpp.o" "gcc" "CMakeFiles/vg_http.dir/src/http/server.cpp.o.d"
  "/work/wt/pipe/src/http/stream.cpp" "CMakeFiles/vg_http.dir/src/http/stream.cpp.o" "gcc" "CMakeFiles/vg_http.dir/src/http/stream.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/pipe/build-bench/CMakeFiles/vg_core.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_ops.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
