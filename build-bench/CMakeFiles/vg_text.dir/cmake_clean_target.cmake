file(REMOVE_RECURSE
  "libvg_text.a"
)
