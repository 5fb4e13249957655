"""lab.ticks: a log axis's labels by hand-counted decades."""

import numpy as np

from lab.ticks import log_ticks


def test_two_decades_or_more_get_whole_decades_only():
    assert log_ticks([1e-3, 1e-1]) == {"dtick": 1}
    assert log_ticks([1e-9, 1e3], labels=4) == {"dtick": 3}  # 12 decades, 4 labels: every third decade
    assert log_ticks([1e-9, 1e3], labels=5) == {"dtick": 3}  # ceil(12 / 5)
    assert log_ticks([1e-9, 1e1], labels=5) == {"dtick": 2}


def test_under_two_decades_labels_1_2_5_of_each_decade_around_the_values():
    ticks = log_ticks([0.7, 8.0])
    assert ticks["tickvals"] == [0.5, 1, 2, 5, 10] and ticks["ticktext"] == ["0.5", "1", "2", "5", "10"]
    ticks = log_ticks([0.03, 0.3])
    assert np.allclose(ticks["tickvals"], [0.02, 0.05, 0.1, 0.2, 0.5])  # and the neighbours autorange may show


def test_a_fraction_of_a_decade_keeps_plotlys_finer_labels():
    assert log_ticks([0.4467, 0.5]) == {}  # only 0.5 of 1, 2, 5 inside: one label would be no scale
    assert log_ticks([0.01, 0.01]) == {}  # a constant learning rate
    assert log_ticks([0.45, 1.2]) == {"tickvals": [0.5, 1.0, 2.0], "ticktext": ["0.5", "1", "2"]}


def test_non_positive_and_non_finite_values_are_left_out():
    assert log_ticks([]) == {} and log_ticks([0.0, -1.0, np.nan, np.inf]) == {}
    assert log_ticks([0.0, 1e-4, np.inf, 1e-1]) == {"dtick": 1}
