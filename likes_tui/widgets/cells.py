"""Text from X as the terminal will lay it out.

An emoji whose base character is one cell wide (🌧, 🖥) becomes an emoji picture when U+FE0F
(VS16) follows it. Rich counts that pair as two cells; many terminals (tmux among them) draw
it in one, so every cell after it on the line lands one to the left and a border is drawn
twice. Without the selector both agree on one cell, whatever the terminal, and the base
character still shows."""

from __future__ import annotations

from rich.cells import get_character_cell_size

VS16 = "\ufe0f"


def as_laid_out(text: str) -> str:
    """`text` without the VS16 that follows a one-cell character (the ambiguous pairs)."""
    if VS16 not in text:
        return text
    out: list[str] = []
    previous = ""
    for ch in text:
        if not (ch == VS16 and previous and get_character_cell_size(previous) == 1):
            out.append(ch)
        previous = ch
    return "".join(out)
