"""Classic landscapes: saddle, local minima, bowl, and test functions from the literature."""

SURFACES = ()
