"""Start-up without garbage collection.

Loading Textual and the first screen builds about 50,000 objects the collector tracks, nearly
all of which live as long as the app, and every few hundred allocations trigger a collection: in
--demo about 100 young and 10 middle-generation collections before the first paint, 20 to 30 ms
in all here. `hold_gc()` turns the collector off for the interactive start; `release_gc()`,
at the first paint, moves everything start-up built into the permanent generation
(`gc.freeze`) and turns it back on, so later full collections skip those objects too. The few
cycles start-up leaves behind (under 2,000 objects in --demo) are frozen with them: collecting
them would cost a full collection, about 40 ms, just after the first paint.
"""

from __future__ import annotations

import gc

_held = False


def hold_gc() -> None:
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_gc() -> None:
    """Idempotent, and a no-op unless `hold_gc()` turned the collector off."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
