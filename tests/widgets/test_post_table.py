"""The post list under many updates: what it draws and where its cursor lands."""

from __future__ import annotations

from textual.app import App, ComposeResult

from likes_tui.core.posts import PostRow
from likes_tui.domain import RowStatus
from likes_tui.widgets.post_table import PostTable


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield PostTable(id="table")


def drawn(table: PostTable) -> str:
    """The table's lines as it draws them now."""
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_updated_rows_draw_their_new_state_and_the_cursor_finds_every_row() -> None:
    """Updates keep the table's row order and line offsets (see PostTable.update_cell): the
    new values must still be drawn, and moving down must still land on each row in turn."""
    app = OneTable()
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(PostTable)
        ids = [str(1_900_000_000_000_000_000 + i) for i in range(100)]
        for post_id in ids:
            table.upsert(PostRow(post_id))
        await pilot.pause()
        assert "looking up" in str(table.get_cell(ids[2], "text"))
        for post_id in ids[:5]:
            table.upsert(PostRow(post_id, status=RowStatus.MISSING, error=f"gone {post_id[-3:]}"))
        table.focus()
        await pilot.pause()
        assert "gone 002" in drawn(table) and "gone 004" in drawn(table)
        for n in range(1, 16):
            await pilot.press("down")
            assert table.selected_key == ids[n]
        table.upsert(PostRow(ids[15], status=RowStatus.MISSING, error="gone here"))
        await pilot.pause()
        assert table.selected_key == ids[15] and "gone here" in drawn(table)


async def test_one_batch_updates_known_rows_and_adds_new_ones_in_order() -> None:
    """A batch of answers (upsert_many) mixes rows already listed with new ones: the known
    rows keep their places and show their new state, the new ones follow in the batch's
    order, once each, and the cursor still walks every row."""
    app = OneTable()
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(PostTable)
        ids = [str(1_900_000_000_000_000_000 + i) for i in range(8)]
        table.upsert_many(PostRow(post_id) for post_id in ids[:4])
        await pilot.pause()
        batch = [
            PostRow(ids[5]),
            PostRow(ids[1], status=RowStatus.MISSING, error="gone one"),
            PostRow(ids[4]),
            PostRow(ids[5], status=RowStatus.MISSING, error="gone five"),
            PostRow(ids[3], status=RowStatus.MISSING, error="gone three"),
        ]
        table.upsert_many(batch)
        await pilot.pause()
        order = [row.key.value for row in table.ordered_rows]
        assert order == [ids[0], ids[1], ids[2], ids[3], ids[5], ids[4]]
        lines = drawn(table)
        assert "gone one" in lines and "gone three" in lines and "gone five" in lines
        assert lines.count("looking up") == 3  # ids 0, 2 and 4
        table.focus()
        for post_id in order[1:]:
            await pilot.press("down")
            assert table.selected_key == post_id
