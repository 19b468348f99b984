# Empty dependencies file for gen_departement.
# This may be replaced when dependencies are built.
