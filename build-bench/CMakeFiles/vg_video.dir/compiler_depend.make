# Empty compiler generated dependencies file for vg_video.
# This may be replaced when dependencies are built.
