"""`python -m likes_tui` and the `likes-tui` script: the command line lives in cli/."""

from __future__ import annotations

import sys

from likes_tui.cli.main import main

if __name__ == "__main__":
    sys.exit(main())

__all__ = ["main"]
