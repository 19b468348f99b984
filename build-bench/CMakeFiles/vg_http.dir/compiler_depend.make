# Empty compiler generated dependencies file for vg_http.
# This may be replaced when dependencies are built.
