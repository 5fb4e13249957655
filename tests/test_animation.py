"""lab.animation: the player's positions, rounded as the f-string rounds them."""

import numpy as np

from lab.animation import DIGITS, _rounded


def test_positions_are_rounded_to_six_significant_digits_like_the_format_string():
    rng = np.random.default_rng(7)
    values = rng.normal(size=5000) * 10.0 ** rng.integers(-12, 6, 5000)
    values[:4] = [0.0, -0.0, 1e-300, 123456.5]
    expected = [float(f"{v:.{DIGITS}g}") for v in values.tolist()]
    assert _rounded(values) == expected
    assert len(str(_rounded(values))) == len(str(expected))  # as short in JSON
    assert _rounded(np.array([np.inf, np.nan]))[0] == np.inf  # left as they are (the page never sends them)
