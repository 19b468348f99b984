
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/pipe/src/text/certificate_pdf.cpp" "CMakeFiles/vg_text.dir/src/text/certificate_pdf.cpp.o" "gcc" "CMakeFiles/vg_text.dir/src/text/certificate_pdf.cpp.o.d"
  "/work/wt/pipe/src/text/i18n.cpp" "CMakeFiles/vg_text.dir/src/text/i18n.cpp.o" "gcc" "CMakeFiles/vg_text.dir/src/text/i18n.cpp.o.d"
  "/work/wt/pipe/src/text/templates.cpp" "CMakeFiles/vg_text.dir/src/text/templates.cpp.o" "gcc" "CMakeFiles/vg_text.dir/src/text/templates.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/pipe/build-bench/CMakeFiles/vg_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
