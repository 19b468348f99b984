file(REMOVE_RECURSE
  "CMakeFiles/vg_layers"
  "layers.ok"
)

# Per-language clean rules from dependency scanning.
foreach(lang )
  include(CMakeFiles/vg_layers.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
