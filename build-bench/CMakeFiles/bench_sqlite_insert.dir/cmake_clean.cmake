file(REMOVE_RECURSE
  "CMakeFiles/bench_sqlite_insert.dir/bench/bench_sqlite_insert.cpp.o"
  "CMakeFiles/bench_sqlite_insert.dir/bench/bench_sqlite_insert.cpp.o.d"
  "bench_sqlite_insert"
  "bench_sqlite_insert.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/bench_sqlite_insert.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
