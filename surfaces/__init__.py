"""Registry of surfaces by their URL name, and the one way to a scene's surface record.

Built-in surfaces are written by hand with their gradients; the gallery's classic test
functions are formula surfaces (``surfaces.formula``) under a name. A user's own formula
is the pseudo-name FORMULA plus its text: ``surface_record`` builds (and caches) it.
"""

from surfaces import data, formula, landscapes, shifted, valleys
from surfaces.base import Box, Surface

FORMULA = "formula"  # the surface name of a user's own formula

BUILT_IN: dict[str, Surface] = {
    s.name: s for s in (*valleys.SURFACES, *landscapes.SURFACES, *data.SURFACES, *shifted.SURFACES)
}


GALLERY_ENTRIES: dict[str, formula.GalleryEntry] = {e.name: e for e in formula.GALLERY}  # typable formulas
# A gallery function already built in (Beale, Himmelblau) keeps its hand-written gradient.
GALLERY: dict[str, Surface] = {e.name: BUILT_IN.get(e.name) or formula.gallery_surface(e) for e in formula.GALLERY}
SURFACES: dict[str, Surface] = {**BUILT_IN, **GALLERY}


def surface_record(name: str, formula_text: str = "", view: Box | None = None) -> Surface:
    """The Surface a scene names: a registered one, or the user's formula over ``view``.

    Raises ``formula.FormulaError`` (a ValueError) for a formula that cannot be used.
    """
    if name == FORMULA:
        return formula.formula_surface(formula_text, view)
    return SURFACES[name]


__all__ = ["FORMULA", "GALLERY", "GALLERY_ENTRIES", "SURFACES", "Box", "Surface", "surface_record"]
