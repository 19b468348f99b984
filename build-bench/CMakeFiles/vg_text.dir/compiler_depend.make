# Empty compiler generated dependencies file for vg_text.
# This may be replaced when dependencies are built.
