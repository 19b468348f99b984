file(REMOVE_RECURSE
  "libvg_notify.a"
)
