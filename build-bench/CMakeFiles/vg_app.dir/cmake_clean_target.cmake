file(REMOVE_RECURSE
  "libvg_app.a"
)
