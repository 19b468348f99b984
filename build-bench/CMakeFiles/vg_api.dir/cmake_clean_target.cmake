file(REMOVE_RECURSE
  "libvg_api.a"
)
