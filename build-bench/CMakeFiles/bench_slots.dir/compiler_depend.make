# Empty compiler generated dependencies file for bench_slots.
# This may be replaced when dependencies are built.
