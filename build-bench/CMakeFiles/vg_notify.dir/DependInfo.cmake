
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/src/notify/composer.cpp" "CMakeFiles/vg_notify.dir/src/notify/composer.cpp.o" "gcc" "CMakeFiles/vg_notify.dir/src/notify/composer.cpp.o.d"
  "/work/wt/pipe/src/notify/ics.cpp" "CMakeFiles/vg_notify.dir/src/notify/ics.cpp.o" "gcc" "CMakeFiles/vg_notify.dir/src/notify/ics.cpp.o.d"
  "/work/wt/pipe/src/notify/mime.cpp" "CMakeFiles/vg_notify.dir/src/notify/mime.cpp.o" "gcc" "CMakeFiles/vg_notify.dir/src/notify/mime.cpp.o.d"
  "/work/wt/pipe/src/notify/outbox_worker.cpp" "CMakeFiles/vg_notify.dir/src/notify/outbox_worker.cpp.o" "gcc" "CMakeFiles/vg_notify.dir/src/notify/outbox_worker.cpp.o.d"
  "/work/wt/pipe/src/notify/sms.cpp" "CMakeFiles/vg_notify.dir/src/notify/sms.cpp.o" "gcc" "CMakeFiles/vg_notify.dir/src/notify/sms.cpp.o.d"
  "/work/wt/pipe/src/notify/smtp.cpp" "CMakeFiles/vg_notify.dir/src/notify/smtp.cpp.o" "gcc" "CMakeFiles/vg_notify.dir/src/notify/smtp.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/pipe/build-bench/CMakeFiles/vg_stats.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_text.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_store.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_ops.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
