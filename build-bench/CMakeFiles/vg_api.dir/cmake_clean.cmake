file(REMOVE_RECURSE
  "CMakeFiles/vg_api.dir/src/api/api.cpp.o"
  "CMakeFiles/vg_api.dir/src/api/api.cpp.o.d"
  "CMakeFiles/vg_api.dir/src/api/json_io.cpp.o"
  "CMakeFiles/vg_api.dir/src/api/json_io.cpp.o.d"
  "CMakeFiles/vg_api.dir/src/api/stats_api.cpp.o"
  "CMakeFiles/vg_api.dir/src/api/stats_api.cpp.o.d"
  "libvg_api.a"
  "libvg_api.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/vg_api.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
