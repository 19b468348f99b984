
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/src/web/assets.cpp" "CMakeFiles/vg_web.dir/src/web/assets.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/assets.cpp.o.d"
  "/work/wt/pipe/src/web/booking_flow.cpp" "CMakeFiles/vg_web.dir/src/web/booking_flow.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/booking_flow.cpp.o.d"
  "/work/wt/pipe/src/web/booking_steps.cpp" "CMakeFiles/vg_web.dir/src/web/booking_steps.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/booking_steps.cpp.o.d"
  "/work/wt/pipe/src/web/citizen_pages.cpp" "CMakeFiles/vg_web.dir/src/web/citizen_pages.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/citizen_pages.cpp.o.d"
  "/work/wt/pipe/src/web/console_admin.cpp" "CMakeFiles/vg_web.dir/src/web/console_admin.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/console_admin.cpp.o.d"
  "/work/wt/pipe/src/web/console_agenda.cpp" "CMakeFiles/vg_web.dir/src/web/console_agenda.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/console_agenda.cpp.o.d"
  "/work/wt/pipe/src/web/console_appointment.cpp" "CMakeFiles/vg_web.dir/src/web/console_appointment.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/console_appointment.cpp.o.d"
  "/work/wt/pipe/src/web/console_availability.cpp" "CMakeFiles/vg_web.dir/src/web/console_availability.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/console_availability.cpp.o.d"
  "/work/wt/pipe/src/web/console_partner_caf.cpp" "CMakeFiles/vg_web.dir/src/web/console_partner_caf.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/console_partner_caf.cpp.o.d"
  "/work/wt/pipe/src/web/console_partners.cpp" "CMakeFiles/vg_web.dir/src/web/console_partners.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/console_partners.cpp.o.d"
  "/work/wt/pipe/src/web/console_parts.cpp" "CMakeFiles/vg_web.dir/src/web/console_parts.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/console_parts.cpp.o.d"
  "/work/wt/pipe/src/web/console_stats.cpp" "CMakeFiles/vg_web.dir/src/web/console_stats.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/console_stats.cpp.o.d"
  "/work/wt/pipe/src/web/console_supervision.cpp" "CMakeFiles/vg_web.dir/src/web/console_supervision.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/console_supervision.cpp.o.d"
  "/work/wt/pipe/src/web/manage_pages.cpp" "CMakeFiles/vg_web.dir/src/web/manage_pages.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/manage_pages.cpp.o.d"
  "/work/wt/pipe/src/web/page.cpp" "CMakeFiles/vg_web.dir/src/web/page.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/page.cpp.o.d"
  "/work/wt/pipe/src/web/partner_booking.cpp" "CMakeFiles/vg_web.dir/src/web/partner_booking.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/partner_booking.cpp.o.d"
  "/work/wt/pipe/src/web/partner_hours_view.cpp" "CMakeFiles/vg_web.dir/src/web/partner_hours_view.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/partner_hours_view.cpp.o.d"
  "/work/wt/pipe/src/web/partner_pages.cpp" "CMakeFiles/vg_web.dir/src/web/partner_pages.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/partner_pages.cpp.o.d"
  "/work/wt/pipe/src/web/partner_public.cpp" "CMakeFiles/vg_web.dir/src/web/partner_public.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/partner_public.cpp.o.d"
  "/work/wt/pipe/src/web/public_figures.cpp" "CMakeFiles/vg_web.dir/src/web/public_figures.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/public_figures.cpp.o.d"
  "/work/wt/pipe/src/web/qr_svg.cpp" "CMakeFiles/vg_web.dir/src/web/qr_svg.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/qr_svg.cpp.o.d"
  "/work/wt/pipe/src/web/resend_pages.cpp" "CMakeFiles/vg_web.dir/src/web/resend_pages.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/resend_pages.cpp.o.d"
  "/work/wt/pipe/src/web/room_documents.cpp" "CMakeFiles/vg_web.dir/src/web/room_documents.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/room_documents.cpp.o.d"
  "/work/wt/pipe/src/web/room_pages.cpp" "CMakeFiles/vg_web.dir/src/web/room_pages.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/room_pages.cpp.o.d"
  "/work/wt/pipe/src/web/staff_gate.cpp" "CMakeFiles/vg_web.dir/src/web/staff_gate.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/staff_gate.cpp.o.d"
  "/work/wt/pipe/src/web/staff_pages.cpp" "CMakeFiles/vg_web.dir/src/web/staff_pages.cpp.o" "gcc" "CMakeFiles/vg_web.dir/src/web/staff_pages.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/pipe/build-bench/CMakeFiles/vg_app.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_http.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_notify.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_stats.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_store.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_text.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_ops.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
