# Empty custom commands generated dependencies file for vg_layers.
# This may be replaced when dependencies are built.
