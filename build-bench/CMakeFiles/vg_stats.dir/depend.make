# Empty dependencies file for vg_stats.
# This may be replaced when dependencies are built.
