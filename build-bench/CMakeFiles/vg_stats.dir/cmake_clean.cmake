file(REMOVE_RECURSE
  "CMakeFiles/vg_stats.dir/src/stats/export.cpp.o"
  "CMakeFiles/vg_stats.dir/src/stats/export.cpp.o.d"
  "CMakeFiles/vg_stats.dir/src/stats/figures.cpp.o"
  "CMakeFiles/vg_stats.dir/src/stats/figures.cpp.o.d"
  "CMakeFiles/vg_stats.dir/src/stats/headlines.cpp.o"
  "CMakeFiles/vg_stats.dir/src/stats/headlines.cpp.o.d"
  "CMakeFiles/vg_stats.dir/src/stats/report.cpp.o"
  "CMakeFiles/vg_stats.dir/src/stats/report.cpp.o.d"
  "CMakeFiles/vg_stats.dir/src/stats/xlsx.cpp.o"
  "CMakeFiles/vg_stats.dir/src/stats/xlsx.cpp.o.d"
  "libvg_stats.a"
  "libvg_stats.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/vg_stats.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
