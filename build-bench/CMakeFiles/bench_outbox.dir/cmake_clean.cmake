file(REMOVE_RECURSE
  "CMakeFiles/bench_outbox.dir/bench/bench_outbox.cpp.o"
  "CMakeFiles/bench_outbox.dir/bench/bench_outbox.cpp.o.d"
  "bench_outbox"
  "bench_outbox.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/bench_outbox.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
