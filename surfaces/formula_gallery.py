"""Classic named test functions, written in the formula syntax, with where they read well.

Formulas and minima as in Surjanovic & Bingham's Virtual Library of Simulation
Experiments (sfu.ca/~ssurjano) and Jamil & Yang (2013), "A literature survey
of benchmark functions for global optimization problems". ``known_minimum``
is one global minimum (the one usually quoted); ``other_minima`` lists the
others of the same value. Minima the literature quotes to a few digits were
solved in 40-digit arithmetic (mpmath's findroot on the gradient), rounded to
the nearest double; they agree with its quoted digits.
"""

from __future__ import annotations

from typing import NamedTuple

from surfaces.base import Box


class GalleryEntry(NamedTuple):
    name: str
    label: str
    formula: str
    view: Box
    start: tuple[float, float]
    known_minimum: tuple[float, float]
    other_minima: tuple[tuple[float, float], ...] = ()


_CAMEL_X, _CAMEL_Y = 0.08984201310031806, 0.7126564030207396
_TANG = -2.903534027771177  # the root of 4u^3 - 32u + 5 = 0 in [-5, -2]

GALLERY: tuple[GalleryEntry, ...] = (
    GalleryEntry(
        "rosenbrock", "Rosenbrock", "(1 - x)^2 + 100*(y - x^2)^2",
        Box(-2.0, 2.0, -1.0, 3.0), (-1.5, 2.5), (1.0, 1.0),
    ),
    GalleryEntry(
        "beale", "Beale", "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        Box(-4.5, 4.5, -4.5, 4.5), (1.0, 1.5), (3.0, 0.5),
    ),
    GalleryEntry(
        "himmelblau", "Himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        Box(-5.0, 5.0, -5.0, 5.0), (0.0, 0.0), (3.0, 2.0),
        (
            (-2.805118086952745, 3.131312518250573),
            (-3.779310253377747, -3.2831859912861696),
            (3.5844283403304917, -1.8481265269644036),
        ),
    ),
    GalleryEntry(
        "rastrigin", "Rastrigin", "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
        Box(-5.12, 5.12, -5.12, 5.12), (3.2, 2.3), (0.0, 0.0),
    ),
    GalleryEntry(
        "ackley", "Ackley",
        "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
        Box(-5.0, 5.0, -5.0, 5.0), (3.6, -2.7), (0.0, 0.0),
    ),
    GalleryEntry(
        "goldstein-price", "Goldstein-Price",
        "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
        "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))",
        Box(-2.0, 2.0, -2.0, 2.0), (-1.5, 1.5), (0.0, -1.0),
    ),
    GalleryEntry(
        "six-hump-camel", "Six-hump camel", "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
        Box(-3.0, 3.0, -2.0, 2.0), (-2.2, 1.4), (_CAMEL_X, -_CAMEL_Y), ((-_CAMEL_X, _CAMEL_Y),),
    ),
    GalleryEntry(
        "styblinski-tang", "Styblinski-Tang", "(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)/2",
        Box(-5.0, 5.0, -5.0, 5.0), (4.2, 4.5), (_TANG, _TANG),
    ),
)
