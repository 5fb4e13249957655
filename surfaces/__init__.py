"""Registry of surfaces by their URL name."""

from surfaces import data, landscapes, shifted, valleys
from surfaces.base import Box, Surface

SURFACES: dict[str, Surface] = {s.name: s for s in (*valleys.SURFACES, *landscapes.SURFACES, *data.SURFACES, *shifted.SURFACES)}

__all__ = ["SURFACES", "Box", "Surface"]
