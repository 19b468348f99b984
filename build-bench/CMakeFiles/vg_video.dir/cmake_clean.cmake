file(REMOVE_RECURSE
  "CMakeFiles/vg_video.dir/src/video/hub.cpp.o"
  "CMakeFiles/vg_video.dir/src/video/hub.cpp.o.d"
  "CMakeFiles/vg_video.dir/src/video/protocol.cpp.o"
  "CMakeFiles/vg_video.dir/src/video/protocol.cpp.o.d"
  "CMakeFiles/vg_video.dir/src/video/turn.cpp.o"
  "CMakeFiles/vg_video.dir/src/video/turn.cpp.o.d"
  "libvg_video.a"
  "libvg_video.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/vg_video.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
