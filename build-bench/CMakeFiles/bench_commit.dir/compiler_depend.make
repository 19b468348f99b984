# Empty compiler generated dependencies file for bench_commit.
# This may be replaced when dependencies are built.
