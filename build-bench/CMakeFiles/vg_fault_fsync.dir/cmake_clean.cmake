file(REMOVE_RECURSE
  "CMakeFiles/vg_fault_fsync.dir/tests/faults/fsync_eio.cpp.o"
  "CMakeFiles/vg_fault_fsync.dir/tests/faults/fsync_eio.cpp.o.d"
  "libvg_fault_fsync.pdb"
  "libvg_fault_fsync.so"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/vg_fault_fsync.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
