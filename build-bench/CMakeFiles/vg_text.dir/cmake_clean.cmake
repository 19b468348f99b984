file(REMOVE_RECURSE
  "CMakeFiles/vg_text.dir/src/text/certificate_pdf.cpp.o"
  "CMakeFiles/vg_text.dir/src/text/certificate_pdf.cpp.o.d"
  "CMakeFiles/vg_text.dir/src/text/i18n.cpp.o"
  "CMakeFiles/vg_text.dir/src/text/i18n.cpp.o.d"
  "CMakeFiles/vg_text.dir/src/text/templates.cpp.o"
  "CMakeFiles/vg_text.dir/src/text/templates.cpp.o.d"
  "libvg_text.a"
  "libvg_text.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/vg_text.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
