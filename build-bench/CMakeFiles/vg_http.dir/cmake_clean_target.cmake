file(REMOVE_RECURSE
  "libvg_http.a"
)
