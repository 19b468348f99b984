file(REMOVE_RECURSE
  "CMakeFiles/gen_departement.dir/bench/gen_departement.cpp.o"
  "CMakeFiles/gen_departement.dir/bench/gen_departement.cpp.o.d"
  "gen_departement"
  "gen_departement.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/gen_departement.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
