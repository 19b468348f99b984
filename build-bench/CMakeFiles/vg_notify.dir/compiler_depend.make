# Empty compiler generated dependencies file for vg_notify.
# This may be replaced when dependencies are built.
