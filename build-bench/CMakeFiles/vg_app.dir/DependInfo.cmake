
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/src/app/accounts.cpp" "CMakeFiles/vg_app.dir/src/app/accounts.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/accounts.cpp.o.d"
  "/work/wt/pipe/src/app/admin_rest.cpp" "CMakeFiles/vg_app.dir/src/app/admin_rest.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/admin_rest.cpp.o.d"
  "/work/wt/pipe/src/app/administration.cpp" "CMakeFiles/vg_app.dir/src/app/administration.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/administration.cpp.o.d"
  "/work/wt/pipe/src/app/agenda.cpp" "CMakeFiles/vg_app.dir/src/app/agenda.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/agenda.cpp.o.d"
  "/work/wt/pipe/src/app/api_keys.cpp" "CMakeFiles/vg_app.dir/src/app/api_keys.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/api_keys.cpp.o.d"
  "/work/wt/pipe/src/app/booking_service.cpp" "CMakeFiles/vg_app.dir/src/app/booking_service.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/booking_service.cpp.o.d"
  "/work/wt/pipe/src/app/console_actions.cpp" "CMakeFiles/vg_app.dir/src/app/console_actions.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/console_actions.cpp.o.d"
  "/work/wt/pipe/src/app/console_appointment.cpp" "CMakeFiles/vg_app.dir/src/app/console_appointment.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/console_appointment.cpp.o.d"
  "/work/wt/pipe/src/app/convention_reminders.cpp" "CMakeFiles/vg_app.dir/src/app/convention_reminders.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/convention_reminders.cpp.o.d"
  "/work/wt/pipe/src/app/demo.cpp" "CMakeFiles/vg_app.dir/src/app/demo.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/demo.cpp.o.d"
  "/work/wt/pipe/src/app/first_slot_sampler.cpp" "CMakeFiles/vg_app.dir/src/app/first_slot_sampler.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/first_slot_sampler.cpp.o.d"
  "/work/wt/pipe/src/app/memberships.cpp" "CMakeFiles/vg_app.dir/src/app/memberships.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/memberships.cpp.o.d"
  "/work/wt/pipe/src/app/message_plan.cpp" "CMakeFiles/vg_app.dir/src/app/message_plan.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/message_plan.cpp.o.d"
  "/work/wt/pipe/src/app/operations.cpp" "CMakeFiles/vg_app.dir/src/app/operations.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/operations.cpp.o.d"
  "/work/wt/pipe/src/app/org_import.cpp" "CMakeFiles/vg_app.dir/src/app/org_import.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/org_import.cpp.o.d"
  "/work/wt/pipe/src/app/partner_booking.cpp" "CMakeFiles/vg_app.dir/src/app/partner_booking.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/partner_booking.cpp.o.d"
  "/work/wt/pipe/src/app/partner_caf.cpp" "CMakeFiles/vg_app.dir/src/app/partner_caf.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/partner_caf.cpp.o.d"
  "/work/wt/pipe/src/app/partner_hours.cpp" "CMakeFiles/vg_app.dir/src/app/partner_hours.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/partner_hours.cpp.o.d"
  "/work/wt/pipe/src/app/partner_mail.cpp" "CMakeFiles/vg_app.dir/src/app/partner_mail.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/partner_mail.cpp.o.d"
  "/work/wt/pipe/src/app/partner_screens.cpp" "CMakeFiles/vg_app.dir/src/app/partner_screens.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/partner_screens.cpp.o.d"
  "/work/wt/pipe/src/app/partners_admin.cpp" "CMakeFiles/vg_app.dir/src/app/partners_admin.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/partners_admin.cpp.o.d"
  "/work/wt/pipe/src/app/passwords.cpp" "CMakeFiles/vg_app.dir/src/app/passwords.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/passwords.cpp.o.d"
  "/work/wt/pipe/src/app/periodic_job.cpp" "CMakeFiles/vg_app.dir/src/app/periodic_job.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/periodic_job.cpp.o.d"
  "/work/wt/pipe/src/app/published_figures.cpp" "CMakeFiles/vg_app.dir/src/app/published_figures.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/published_figures.cpp.o.d"
  "/work/wt/pipe/src/app/rate_limit.cpp" "CMakeFiles/vg_app.dir/src/app/rate_limit.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/rate_limit.cpp.o.d"
  "/work/wt/pipe/src/app/report_overdue.cpp" "CMakeFiles/vg_app.dir/src/app/report_overdue.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/report_overdue.cpp.o.d"
  "/work/wt/pipe/src/app/room_documents.cpp" "CMakeFiles/vg_app.dir/src/app/room_documents.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/room_documents.cpp.o.d"
  "/work/wt/pipe/src/app/room_rules.cpp" "CMakeFiles/vg_app.dir/src/app/room_rules.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/room_rules.cpp.o.d"
  "/work/wt/pipe/src/app/room_service.cpp" "CMakeFiles/vg_app.dir/src/app/room_service.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/room_service.cpp.o.d"
  "/work/wt/pipe/src/app/staff_scope.cpp" "CMakeFiles/vg_app.dir/src/app/staff_scope.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/staff_scope.cpp.o.d"
  "/work/wt/pipe/src/app/stats_digest.cpp" "CMakeFiles/vg_app.dir/src/app/stats_digest.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/stats_digest.cpp.o.d"
  "/work/wt/pipe/src/app/supervision.cpp" "CMakeFiles/vg_app.dir/src/app/supervision.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/supervision.cpp.o.d"
  "/work/wt/pipe/src/app/teams.cpp" "CMakeFiles/vg_app.dir/src/app/teams.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/teams.cpp.o.d"
  "/work/wt/pipe/src/app/tokens.cpp" "CMakeFiles/vg_app.dir/src/app/tokens.cpp.o" "gcc" "CMakeFiles/vg_app.dir/src/app/tokens.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/pipe/build-bench/CMakeFiles/vg_notify.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_stats.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_store.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_ops.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_text.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
