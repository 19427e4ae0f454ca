"""Accessible bar charts drawn on the server as SVG, from the same rows as the table beside them."""
from markupsafe import Markup, escape

from .suppression import SUPPRESSED, THRESHOLD

WIDTH = 360
LABEL_HEIGHT = 16
BAR_HEIGHT = 14
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 10
VALUE_ROOM = 120  # space at the right of the longest bar for its number ("fewer than 3" included)


def describe(table):
    """Say in words what the chart shows: the same numbers as its table."""
    parts = "; ".join(f"{label}: {figure}" for label, figure in table.rows)
    return f"Bar chart of {table.title.lower()}. {parts}."


def _bar(i, label, figure, scale):
    y = i * ROW_HEIGHT
    bar_y = y + LABEL_HEIGHT + 2
    parts = [f'<text x="0" y="{y + 12}">{escape(label)}</text>']
    if figure.suppressed and figure.text != SUPPRESSED:
        width = 0  # "not shown": no bar at all, since its length would give the figure away
    elif figure.suppressed:
        # Drawn as an outline "up to 3", the same for 1 and 2, so the chart tells no more than the words.
        width = THRESHOLD * scale
        parts.append(f'<rect class="bar-suppressed" x="0.5" y="{bar_y}" width="{width:.1f}" height="{BAR_HEIGHT}"/>')
    else:
        width = figure.value * scale
        if figure.value:
            parts.append(f'<rect class="bar" x="0" y="{bar_y}" width="{width:.1f}" height="{BAR_HEIGHT}"/>')
    text = figure.text
    parts.append(f'<text class="value" x="{width + 6:.1f}" y="{bar_y + 11}">{escape(text)}</text>')
    return "".join(parts)


def bar_chart(table):
    """Return an SVG bar chart (role img, with a title and a description) of a table of counts."""
    largest = max([THRESHOLD] + [f.value or 0 for _, f in table.rows])
    scale = (WIDTH - VALUE_ROOM) / largest
    height = max(ROW_HEIGHT, ROW_HEIGHT * len(table.rows))
    title_id, desc_id = f"chart-{table.key}-title", f"chart-{table.key}-desc"
    bars = "".join(_bar(i, label, figure, scale) for i, (label, figure) in enumerate(table.rows))
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" aria-labelledby="{title_id}" aria-describedby="{desc_id}">'
        f'<title id="{title_id}">{escape(table.title)}</title>'
        f'<desc id="{desc_id}">{escape(describe(table))}</desc>{bars}</svg>')
