# Empty dependencies file for vg_fault_fsync.
# This may be replaced when dependencies are built.
