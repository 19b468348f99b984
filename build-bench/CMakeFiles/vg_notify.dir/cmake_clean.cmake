file(REMOVE_RECURSE
  "CMakeFiles/vg_notify.dir/src/notify/composer.cpp.o"
  "CMakeFiles/vg_notify.dir/src/notify/composer.cpp.o.d"
  "CMakeFiles/vg_notify.dir/src/notify/ics.cpp.o"
  "CMakeFiles/vg_notify.dir/src/notify/ics.cpp.o.d"
  "CMakeFiles/vg_notify.dir/src/notify/mime.cpp.o"
  "CMakeFiles/vg_notify.dir/src/notify/mime.cpp.o.d"
  "CMakeFiles/vg_notify.dir/src/notify/outbox_worker.cpp.o"
  "CMakeFiles/vg_notify.dir/src/notify/outbox_worker.cpp.o.d"
  "CMakeFiles/vg_notify.dir/src/notify/sms.cpp.o"
  "CMakeFiles/vg_notify.dir/src/notify/sms.cpp.o.d"
  "CMakeFiles/vg_notify.dir/src/notify/smtp.cpp.o"
  "CMakeFiles/vg_notify.dir/src/notify/smtp.cpp.o.d"
  "libvg_notify.a"
  "libvg_notify.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/vg_notify.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
