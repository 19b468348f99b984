file(REMOVE_RECURSE
  "libvg_video.a"
)
