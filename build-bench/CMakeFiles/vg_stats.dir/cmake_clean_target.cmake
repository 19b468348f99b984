file(REMOVE_RECURSE
  "libvg_stats.a"
)
