# Empty compiler generated dependencies file for bench_stats.
# This may be replaced when dependencies are built.
