"""Programme views, one module per part; each is thin and checks the role first."""
