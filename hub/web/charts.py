"""Small server-rendered SVG charts for the dashboard: no script, no CDN, legible when printed."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

INK, MUTED, GRID = "#1C1B1F", "#45413A", "#D9D2C5"
SERIES = ("#A4161A", "#1B5E20", "#0D47A1")  # each ≥ 7:1 on white as text, clearly apart as bars
FONT = 'font-family="Noto Sans CJK SC,sans-serif"'


def bars(rows: Sequence[tuple[str, float]], *, title: str, unit: str = "", width: int = 640) -> Markup:
    """Horizontal bars, one row per label, the value written at the bar's end."""
    row_h, label_w, top = 28, 150, 34
    height = top + row_h * max(1, len(rows)) + 8
    top_value = max((v for _, v in rows), default=0) or 1
    span = width - label_w - 70
    parts = [_head(width, height, title)]
    if not rows:
        parts.append(f'<text x="{label_w}" y="{top + 18}" fill="{MUTED}" font-size="15" {FONT}>暂无数据</text>')
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        w = max(1.0, span * value / top_value) if value else 0
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" fill="{INK}" font-size="15" {FONT}>'
            f"{escape(_clip(label, 10))}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" fill="{SERIES[0]}"/>')
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + 18}" fill="{INK}" font-size="15" {FONT}>'
            f"{_number(value)}{escape(unit)}</text>"
        )
    return Markup("".join(parts) + "</svg>")


def columns(days: Sequence[str], series: dict[str, Sequence[float]], *, title: str, width: int = 640) -> Markup:
    """Grouped columns per day (applications and placements), with a legend and a value scale."""
    height, left, top, bottom = 240, 40, 40, 28
    plot_h, plot_w = height - top - bottom, width - left - 10
    top_value = max((v for values in series.values() for v in values), default=0) or 1
    slot = plot_w / max(1, len(days))
    bar_w = max(1.0, slot * 0.8 / max(1, len(series)))
    parts = [_head(width, height, title)]
    for i, name in enumerate(series):
        x = width - 120 * (len(series) - i)
        parts.append(
            f'<rect x="{x}" y="10" width="12" height="12" fill="{SERIES[i % 3]}"/>'
            f'<text x="{x + 16}" y="21" fill="{INK}" font-size="14" {FONT}>{escape(name)}</text>'
        )
    for frac in (0, 0.5, 1) if top_value >= 4 else (0, 1):
        y = top + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 4}" y="{y + 5:.1f}" text-anchor="end" fill="{MUTED}" font-size="12" {FONT}>'
            f"{_number(top_value * frac)}</text>"
        )
    for d, day in enumerate(days):
        for i, (name, values) in enumerate(series.items()):
            h = plot_h * values[d] / top_value
            x = left + d * slot + slot * 0.1 + i * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{SERIES[i % 3]}"><title>{escape(day)} {escape(name)} {_number(values[d])}</title></rect>'
            )
        if d % max(1, len(days) // 6) == 0:
            parts.append(
                f'<text x="{left + d * slot + slot / 2:.1f}" y="{height - 8}" text-anchor="middle" '
                f'fill="{MUTED}" font-size="12" {FONT}>{escape(day)}</text>'
            )
    return Markup("".join(parts) + "</svg>")


def _head(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<text x="0" y="20" fill="{INK}" font-size="17" font-weight="700" {FONT}>{escape(title)}</text>'
    )


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() or value >= 10 else f"{value:.1f}"
