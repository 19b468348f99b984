# Empty dependencies file for visioguichet.
# This may be replaced when dependencies are built.
