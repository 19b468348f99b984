
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/tests/unit/test_accounts.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_accounts.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_accounts.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_admin.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_admin.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_admin.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_admin_rest.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_admin_rest.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_admin_rest.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_agenda.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_agenda.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_agenda.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_backup_retention.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_backup_retention.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_backup_retention.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_booking_calendar.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_booking_calendar.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_booking_calendar.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_booking_service.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_booking_service.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_booking_service.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_certificate_pdf.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_certificate_pdf.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_certificate_pdf.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_console_appointment.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_console_appointment.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_console_appointment.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_convention.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_convention.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_convention.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_core_availability.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_core_availability.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_core_availability.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_core_holidays.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_core_holidays.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_core_holidays.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_core_rules.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_core_rules.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_core_rules.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_documents.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_documents.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_documents.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_handoff.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_handoff.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_handoff.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_http.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_http.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_http.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_http_stream.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_http_stream.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_http_stream.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_notify.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_notify.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_notify.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_opening_hours.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_opening_hours.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_opening_hours.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_ops_metrics.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_ops_metrics.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_ops_metrics.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_org_import.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_org_import.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_org_import.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_partner_caf.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_partner_caf.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_partner_caf.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_partner_hours.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_partner_hours.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_partner_hours.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_partner_screens.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_partner_screens.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_partner_screens.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_partner_visit.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_partner_visit.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_partner_visit.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_partners_admin.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_partners_admin.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_partners_admin.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_phone.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_phone.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_phone.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_public_figures.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_public_figures.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_public_figures.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_room.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_room.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_room.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_room_rules.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_room_rules.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_room_rules.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_sms.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_sms.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_sms.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_stats.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_stats.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_stats.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_stats_digest.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_stats_digest.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_stats_digest.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_stats_first_slot.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_stats_first_slot.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_stats_first_slot.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_stats_rows.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_stats_rows.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_stats_rows.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_store.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_store.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_store.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_supervision.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_supervision.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_supervision.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_timefmt.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_timefmt.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_timefmt.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_validation.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_validation.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_validation.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_video.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_video.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_video.cpp.o.d"
  "/work/wt/pipe/tests/unit/test_web.cpp" "CMakeFiles/unit_tests.dir/tests/unit/test_web.cpp.o" "gcc" "CMakeFiles/unit_tests.dir/tests/unit/test_web.cpp.o.d"
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
