"""Server-rendered charts: inline SVG, no script, no chart library (the console works offline).

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>``; the pages put the
same numbers in a data table next to it, which is what screen readers and printouts use.
Every text from outside (unit names, labels) is escaped. Colours are presentation attributes
(no inline style), from a palette that stays distinguishable for common colour blindness
(Okabe-Ito), and every bar also carries its value as text or in its tooltip ``<title>``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from markupsafe import Markup, escape

from pcip.web.console.data import ChartData

#: Okabe & Ito (2008), "Color Universal Design": safe for the common colour blindness types.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: Outcome colours: in time, late, open and late.
GOOD, LATE, MISSED = "#009E73", "#E69F00", "#D55E00"
_ids = itertools.count(1)


def _fmt(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.1f}"


def _axis(v: float, ticks: int = 5) -> tuple[float, float]:
    """A round axis maximum at or above ``v`` and its tick step (1, 2 or 5 x 10^n, at least 1:
    the charts count things), with at most ``ticks`` steps."""
    step = 1.0
    while True:
        for m in (1, 2, 5):
            if m * step * ticks >= v:
                top = max(m * step, m * step * -(-v // (m * step)))
                return top, m * step
        step *= 10


def _nice_max(v: float) -> float:
    return _axis(v)[0]


def _open(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    n = next(_ids)
    tid, did = f"chart-{n}-t", f"chart-{n}-d"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{tid} {did}" '
        f'preserveAspectRatio="xMinYMin meet" font-size="12" font-family="sans-serif">'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def grouped_bars(
    data: ChartData,
    *,
    title: str,
    desc: str,
    categories: Sequence[str] | None = None,
    width: int = 640,
    height: int = 280,
) -> Markup:
    """Vertical bars: one group per category, one bar per series, a legend below."""
    labels = list(categories) if categories is not None else list(data.categories)
    head, tail = _open(width, height, title, desc)
    left, right, top = 48, 8, 12
    legend_rows = (len(data.series) + 2) // 3
    bottom = 28 + 18 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value, tick = _axis(data.maximum)
    parts = [head]
    for i in range(round(top_value / tick) + 1):  # gridlines and axis values
        v = tick * i
        y = top + plot_h - plot_h * v / top_value
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ccc" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{_fmt(v)}</text>'
        )
    groups = max(1, len(labels))
    group_w = plot_w / groups
    n = max(1, len(data.series))
    bar_w = max(2.0, (group_w * 0.8) / n)
    for g, label in enumerate(labels):
        x0 = left + g * group_w + group_w * 0.1
        for s_index, s in enumerate(data.series):
            v = s.values[g] if g < len(s.values) else 0.0
            h = plot_h * v / top_value
            x = x0 + s_index * bar_w
            y = top + plot_h - h
            colour = PALETTE[s_index % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(s.label)} · {escape(label)}: {_fmt(v)}'
                "</title></rect>"
            )
        parts.append(
            f'<text x="{left + g * group_w + group_w / 2:.1f}" y="{top + plot_h + 16}" '
            f'text-anchor="middle" fill="#333">{escape(label)}</text>'
        )
    for s_index, s in enumerate(data.series):
        row, col = divmod(s_index, 3)
        x = left + col * (plot_w / 3)
        y = top + plot_h + 34 + row * 18
        colour = PALETTE[s_index % len(PALETTE)]
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16:.1f}" y="{y}" fill="#333">{escape(_short(s.label, 28))}</text>'
        )
    parts.append(tail)
    return Markup("".join(parts))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def horizontal_bars(
    pairs: Sequence[tuple[str, float]],
    *,
    title: str,
    desc: str,
    width: int = 640,
    colour: str = PALETTE[0],
) -> Markup:
    """One bar per labelled value, the value written at the bar's end."""
    row_h, label_w, right = 26, 190, 56
    height = max(1, len(pairs)) * row_h + 8
    head, tail = _open(width, height, title, desc)
    top_value = _nice_max(max((v for _, v in pairs), default=0.0))
    plot_w = width - label_w - right
    parts = [head]
    for i, (label, v) in enumerate(pairs):
        y = 4 + i * row_h
        w = plot_w * v / top_value
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" fill="#333">'
            f"{escape(_short(label, 24))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{colour}"><title>{escape(label)}: {_fmt(v)}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" fill="#333">{_fmt(v)}</text>'
        )
    parts.append(tail)
    return Markup("".join(parts))


def stacked_shares(
    rows: Sequence[tuple[str, int, int, int]],
    *,
    title: str,
    desc: str,
    legend: tuple[str, str, str],
    width: int = 640,
) -> Markup:
    """Per step, a 100% bar: done in time, done late, open and late (green, orange, red)."""
    row_h, label_w, right = 28, 150, 60
    height = max(1, len(rows)) * row_h + 30
    head, tail = _open(width, height, title, desc)
    plot_w = width - label_w - right
    parts = [head]
    for i, (label, good, late, missed) in enumerate(rows):
        y = 4 + i * row_h
        total = good + late + missed
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" fill="#333">'
            f"{escape(_short(label, 20))}</text>"
        )
        x = float(label_w)
        for value, colour, name in (
            (good, GOOD, legend[0]),
            (late, LATE, legend[1]),
            (missed, MISSED, legend[2]),
        ):
            if not total or not value:
                continue
            w = plot_w * value / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                f'fill="{colour}"><title>{escape(label)} · {escape(name)}: {value}</title></rect>'
            )
            x += w
        share = f"{100 * good / total:.0f}%" if total else "–"
        parts.append(f'<text x="{label_w + plot_w + 6}" y="{y + 17}" fill="#333">{share}</text>')
    y = 4 + len(rows) * row_h + 8
    for j, (colour, name) in enumerate(zip((GOOD, LATE, MISSED), legend, strict=True)):
        x = label_w + j * (plot_w / 3)
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16:.1f}" y="{y + 10}" fill="#333">{escape(name)}</text>'
        )
    parts.append(tail)
    return Markup("".join(parts))
