# Empty dependencies file for bench_sqlite_insert.
# This may be replaced when dependencies are built.
