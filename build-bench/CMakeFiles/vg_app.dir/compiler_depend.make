# Empty compiler generated dependencies file for vg_app.
# This may be replaced when dependencies are built.
