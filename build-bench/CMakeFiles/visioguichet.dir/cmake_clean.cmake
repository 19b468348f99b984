file(REMOVE_RECURSE
  "CMakeFiles/visioguichet.dir/src/main.cpp.o"
  "CMakeFiles/visioguichet.dir/src/main.cpp.o.d"
  "visioguichet"
  "visioguichet.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/visioguichet.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
