file(REMOVE_RECURSE
  "libvg_ops.a"
)
