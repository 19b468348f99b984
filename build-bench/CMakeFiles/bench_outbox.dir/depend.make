# Empty dependencies file for bench_outbox.
# This may be replaced when dependencies are built.
