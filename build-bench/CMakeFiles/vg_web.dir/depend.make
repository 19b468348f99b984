# Empty dependencies file for vg_web.
# This may be replaced when dependencies are built.
