file(REMOVE_RECURSE
  "CMakeFiles/bench_commit.dir/bench/bench_commit.cpp.o"
  "CMakeFiles/bench_commit.dir/bench/bench_commit.cpp.o.d"
  "bench_commit"
  "bench_commit.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/bench_commit.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
