"""Plain-text rendering for people: CJK-width-aware tables wrapped to the terminal. Imports nothing of kaohe's."""

from textview.table import column_widths, display_width, format_cell, render_table, terminal_width, wrap

__all__ = ["column_widths", "display_width", "format_cell", "render_table", "terminal_width", "wrap"]
