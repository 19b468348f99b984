# Empty dependencies file for vg_store.
# This may be replaced when dependencies are built.
