
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/src/store/backup.cpp" "CMakeFiles/vg_store.dir/src/store/backup.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/backup.cpp.o.d"
  "/work/wt/pipe/src/store/document_vault.cpp" "CMakeFiles/vg_store.dir/src/store/document_vault.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/document_vault.cpp.o.d"
  "/work/wt/pipe/src/store/model.cpp" "CMakeFiles/vg_store.dir/src/store/model.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/model.cpp.o.d"
  "/work/wt/pipe/src/store/secrets.cpp" "CMakeFiles/vg_store.dir/src/store/secrets.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/secrets.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_accounts.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_accounts.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_accounts.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_admin.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_admin.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_admin.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_admin_rest.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_admin_rest.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_admin_rest.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_agenda.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_agenda.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_agenda.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_appointments.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_appointments.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_appointments.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_audit.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_audit.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_audit.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_availability.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_availability.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_availability.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_console.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_console.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_console.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_documents.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_documents.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_documents.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_first_slot.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_first_slot.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_first_slot.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_installation.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_installation.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_installation.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_operations.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_operations.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_operations.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_organisation.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_organisation.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_organisation.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_outbox.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_outbox.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_outbox.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_partner_booking.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_partner_booking.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_partner_booking.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_partner_caf.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_partner_caf.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_partner_caf.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_partner_hours.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_partner_hours.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_partner_hours.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_partner_screens.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_partner_screens.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_partner_screens.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_partners.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_partners.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_partners.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_public_figures.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_public_figures.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_public_figures.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_room.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_room.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_room.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_room_rules.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_room_rules.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_room_rules.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_rows.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_rows.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_rows.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_stats.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_stats.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_stats.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_stats_digest.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_stats_digest.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_stats_digest.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_store.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_store.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_store.cpp.o.d"
  "/work/wt/pipe/src/store/sqlite_supervision.cpp" "CMakeFiles/vg_store.dir/src/store/sqlite_supervision.cpp.o" "gcc" "CMakeFiles/vg_store.dir/src/store/sqlite_supervision.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/pipe/build-bench/CMakeFiles/vg_core.dir/DependInfo.cmake"
  "/work/wt/pipe/build-bench/CMakeFiles/vg_ops.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
