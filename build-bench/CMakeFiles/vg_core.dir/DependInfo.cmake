
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/src/core/availability.cpp" "CMakeFiles/vg_core.dir/src/core/availability.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/availability.cpp.o.d"
  "/work/wt/pipe/src/core/backup_retention.cpp" "CMakeFiles/vg_core.dir/src/core/backup_retention.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/backup_retention.cpp.o.d"
  "/work/wt/pipe/src/core/browser.cpp" "CMakeFiles/vg_core.dir/src/core/browser.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/browser.cpp.o.d"
  "/work/wt/pipe/src/core/citizen.cpp" "CMakeFiles/vg_core.dir/src/core/citizen.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/citizen.cpp.o.d"
  "/work/wt/pipe/src/core/clock.cpp" "CMakeFiles/vg_core.dir/src/core/clock.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/clock.cpp.o.d"
  "/work/wt/pipe/src/core/colour.cpp" "CMakeFiles/vg_core.dir/src/core/colour.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/colour.cpp.o.d"
  "/work/wt/pipe/src/core/convention.cpp" "CMakeFiles/vg_core.dir/src/core/convention.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/convention.cpp.o.d"
  "/work/wt/pipe/src/core/document_type.cpp" "CMakeFiles/vg_core.dir/src/core/document_type.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/document_type.cpp.o.d"
  "/work/wt/pipe/src/core/encoding.cpp" "CMakeFiles/vg_core.dir/src/core/encoding.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/encoding.cpp.o.d"
  "/work/wt/pipe/src/core/holidays.cpp" "CMakeFiles/vg_core.dir/src/core/holidays.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/holidays.cpp.o.d"
  "/work/wt/pipe/src/core/opening_hours.cpp" "CMakeFiles/vg_core.dir/src/core/opening_hours.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/opening_hours.cpp.o.d"
  "/work/wt/pipe/src/core/partner_visit.cpp" "CMakeFiles/vg_core.dir/src/core/partner_visit.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/partner_visit.cpp.o.d"
  "/work/wt/pipe/src/core/password_policy.cpp" "CMakeFiles/vg_core.dir/src/core/password_policy.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/password_policy.cpp.o.d"
  "/work/wt/pipe/src/core/phone.cpp" "CMakeFiles/vg_core.dir/src/core/phone.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/phone.cpp.o.d"
  "/work/wt/pipe/src/core/placeholders.cpp" "CMakeFiles/vg_core.dir/src/core/placeholders.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/placeholders.cpp.o.d"
  "/work/wt/pipe/src/core/sign_in_throttle.cpp" "CMakeFiles/vg_core.dir/src/core/sign_in_throttle.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/sign_in_throttle.cpp.o.d"
  "/work/wt/pipe/src/core/timefmt.cpp" "CMakeFiles/vg_core.dir/src/core/timefmt.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/timefmt.cpp.o.d"
  "/work/wt/pipe/src/core/totp.cpp" "CMakeFiles/vg_core.dir/src/core/totp.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/totp.cpp.o.d"
  "/work/wt/pipe/src/core/types.cpp" "CMakeFiles/vg_core.dir/src/core/types.cpp.o" "gcc" "CMakeFiles/vg_core.dir/src/core/types.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
