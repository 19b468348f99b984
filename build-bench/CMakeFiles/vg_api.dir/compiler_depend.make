# Empty compiler generated dependencies file for vg_api.
# This may be replaced when dependencies are built.
