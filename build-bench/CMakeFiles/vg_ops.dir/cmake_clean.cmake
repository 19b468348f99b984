file(REMOVE_RECURSE
  "CMakeFiles/vg_ops.dir/src/ops/log.cpp.o"
  "CMakeFiles/vg_ops.dir/src/ops/log.cpp.o.d"
  "CMakeFiles/vg_ops.dir/src/ops/metrics.cpp.o"
  "CMakeFiles/vg_ops.dir/src/ops/metrics.cpp.o.d"
  "CMakeFiles/vg_ops.dir/src/ops/process.cpp.o"
  "CMakeFiles/vg_ops.dir/src/ops/process.cpp.o.d"
  "libvg_ops.a"
  "libvg_ops.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/vg_ops.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
