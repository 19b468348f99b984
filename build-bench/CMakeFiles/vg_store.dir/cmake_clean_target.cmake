file(REMOVE_RECURSE
  "libvg_store.a"
)
