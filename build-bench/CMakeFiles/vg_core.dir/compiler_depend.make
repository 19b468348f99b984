# Empty compiler generated dependencies file for vg_core.
# This may be replaced when dependencies are built.
