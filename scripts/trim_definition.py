"""Write likes_tui/sandbox/x_openapi.json: X's API definition for the endpoints the sandbox
serves (../shared/reference/x-openapi-likes.json), without its prose and examples.

    uv run python scripts/trim_definition.py [SOURCE]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

PROSE = {"description", "example", "externalDocs", "summary", "tags", "operationId", "title"}
"""Keys that only explain (dropped), except where they name a property or a parameter."""
TARGET = Path(__file__).resolve().parents[1] / "likes_tui" / "sandbox" / "x_openapi.json"


def trim(node: Any, *, names: bool = False) -> Any:
    """`names`: the keys here are names (of properties, say), not schema keywords."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if not names and key in PROSE and not isinstance(value, dict | list):
                continue
            if not names and key in ("externalDocs", "example"):
                continue
            out[key] = trim(value, names=key in ("properties", "schemas", "parameters", "paths"))
        return out
    if isinstance(node, list):
        return [trim(item) for item in node]
    return node


def main() -> None:
    default = Path(__file__).resolve().parents[2] / "shared" / "reference" / "x-openapi-likes.json"
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    definition = json.loads(source.read_text())
    trimmed = trim(definition)
    trimmed["info"]["note"] = (
        f"Trimmed from {source.name} by scripts/trim_definition.py: prose and examples removed."
    )
    TARGET.write_text(json.dumps(trimmed, indent=1, sort_keys=True) + "\n")
    print(f"{TARGET}: {TARGET.stat().st_size:,} bytes (from {source.stat().st_size:,})")


if __name__ == "__main__":
    main()
