# Empty compiler generated dependencies file for vg_ops.
# This may be replaced when dependencies are built.
