file(REMOVE_RECURSE
  "libvg_core.a"
)
