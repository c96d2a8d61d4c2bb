"""Regenerate screenshots/*.svg for the README: `uv run python scripts/screenshots.py`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual._doc import take_svg_screenshot  # noqa: E402

from tests.conftest import Apps  # noqa: E402
from tests.snapshots.scenarios import SCENARIOS  # noqa: E402

WANTED = (
    "main_post",
    "main_liked",
    "main_batch",
    "main_errors",
    "main_marked",
    "confirm_bulk",
    "setup_oauth2",
    "history",
    "help",
    "costs",
    "archive_unlike",
)


def main() -> None:
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    for scenario in SCENARIOS:
        if scenario.name not in WANTED:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            apps = Apps(Path(tmp))
            svg = take_svg_screenshot(
                app=scenario.make(apps),
                press=scenario.press,
                terminal_size=scenario.size,
                run_before=scenario.run_before,
            )
            for ctx in apps.opened:
                ctx.close()
        (out / f"{scenario.name}.svg").write_text(svg)
        print(f"screenshots/{scenario.name}.svg")


if __name__ == "__main__":
    main()
