file(REMOVE_RECURSE
  "CMakeFiles/vg_http.dir/cmake_pch.hxx.gch"
  "CMakeFiles/vg_http.dir/cmake_pch.hxx.gch.d"
  "CMakeFiles/vg_http.dir/src/http/address.cpp.o"
  "CMakeFiles/vg_http.dir/src/http/address.cpp.o.d"
  "CMakeFiles/vg_http.dir/src/http/log_throttle.cpp.o"
  "CMakeFiles/vg_http.dir/src/http/log_throttle.cpp.o.d"
  "CMakeFiles/vg_http.dir/src/http/message.cpp.o"
  "CMakeFiles/vg_http.dir/src/http/message.cpp.o.d"
  "CMakeFiles/vg_http.dir/src/http/multipart.cpp.o"
  "CMakeFiles/vg_http.dir/src/http/multipart.cpp.o.d"
  "CMakeFiles/vg_http.dir/src/http/origin.cpp.o"
  "CMakeFiles/vg_http.dir/src/http/origin.cpp.o.d"
  "CMakeFiles/vg_http.dir/src/http/router.cpp.o"
  "CMakeFiles/vg_http.dir/src/http/router.cpp.o.d"
  "CMakeFiles/vg_http.dir/src/http/server.cpp.o"
  "CMakeFiles/vg_http.dir/src/http/server.cpp.o.d"
  "CMakeFiles/vg_http.dir/src/http/stream.cpp.o"
  "CMakeFiles/vg_http.dir/src/http/stream.cpp.o.d"
  "libvg_http.a"
  "libvg_http.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/vg_http.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
