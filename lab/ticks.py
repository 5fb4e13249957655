"""Labels for a log axis that read as a scale.

Plotly's own labels on a log axis spanning about a decade put a digit at every 2 ... 9: a column of
numbers beside a small plot. Whole decades where the values span two or more (a few labels, no 2 and 5
between them), else 1, 2 and 5 of each decade; over too little of a decade for two of those, Plotly's own.
"""

from __future__ import annotations

import math

import numpy as np


def log_ticks(values, labels: int = 4) -> dict:
    """Plotly axis settings (``dtick`` or ``tickvals``/``ticktext``) for a log axis over ``values``'
    positive finite part, with about ``labels`` labels where they span many decades; {} (Plotly's labels) for
    no values or a span too small to hold two of 1, 2, 5."""
    values = np.asarray(values, float).ravel()
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return {}
    low, high = float(values.min()), float(values.max())
    decades = math.log10(high / low)
    if decades >= 2:
        return dict(dtick=max(1, math.ceil(decades / labels)))
    ticks = [m * 10.0**e for e in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1)
             for m in (1, 2, 5)]
    if sum(low <= t <= high for t in ticks) < 2:  # a fraction of a decade: Plotly's finer labels
        return {}
    ticks = [t for t in ticks if low / 2 <= t <= high * 2]
    return dict(tickvals=ticks, ticktext=[f"{t:g}" for t in ticks])
