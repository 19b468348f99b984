file(REMOVE_RECURSE
  "libvg_web.a"
)
