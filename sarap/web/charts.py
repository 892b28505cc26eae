"""Small SVG charts drawn on the server: the template gets numbers (rectangles, labels), never markup."""
from __future__ import annotations

from collections import defaultdict

# Colour-blind-safe palette (Okabe & Ito, 2008) for sources; the entity-type colours live in the CSS.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
WIDTH, HEIGHT = 760, 220
MAX_BAR = 48   # px: one or two days should not fill the whole width with two slabs
# Above this many distinct days the bars are months: a bar narrower than ~6 px is unreadable at 760 px.
MAX_DAY_BARS = 120
TOP_SOURCES = 7


def bucket_rows(rows: list, by_month: bool) -> dict[str, dict[str, int]]:
    """{bucket: {source: documents}}; undated documents are left out of a chart over time."""
    buckets: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for source, day, count in rows:
        if day:
            buckets[day[:7] if by_month else day][source or "(no source)"] += count
    return buckets


def bar_box(i: int, step: float) -> dict:
    """x and width of bar ``i`` of bars ``step`` apart: 80% of the step, at most MAX_BAR, centred."""
    width = max(min(step * 0.8, MAX_BAR), 1)
    return {"x": round(i * step + (step - width) / 2, 2), "w": round(width, 2)}


def edge_labels(keys: list[str], step: float) -> list[dict]:
    """Labels for the first, middle and last bars, anchored so that none runs off the chart."""
    labels = []
    for i in sorted({0, len(keys) // 2, len(keys) - 1}):
        anchor = "start" if i == 0 and len(keys) > 1 else "end" if i == len(keys) - 1 and len(keys) > 1 else "middle"
        x = i * step + (0 if anchor == "start" else step if anchor == "end" else step / 2)
        labels.append({"x": round(x, 2), "text": keys[i], "anchor": anchor})
    return labels


def attention_chart(rows: list) -> dict:
    """Documents per source per day (or month) as stacked bars; the biggest sources get their own colour."""
    days = {day for _, day, _ in rows if day}
    buckets = bucket_rows(rows, by_month=len(days) > MAX_DAY_BARS)
    if not buckets:
        return {"bars": [], "legend": [], "width": WIDTH, "height": HEIGHT, "labels": [], "max": 0}
    totals: dict[str, int] = defaultdict(int)
    for counts in buckets.values():
        for source, n in counts.items():
            totals[source] += n
    named = [s for s, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_SOURCES]]
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(named)}
    keys = sorted(buckets)
    peak = max(sum(c.values()) for c in buckets.values())
    step = WIDTH / len(keys)
    bars = []
    for i, key in enumerate(keys):
        y = HEIGHT
        for source in named + ["other sources"]:
            n = buckets[key].get(source, 0) if source in colour else \
                sum(v for s, v in buckets[key].items() if s not in colour) if source == "other sources" else 0
            if not n:
                continue
            h = n / peak * (HEIGHT - 10)
            y -= h
            bars.append({**bar_box(i, step), "y": round(y, 2), "h": round(h, 2), "fill": colour.get(source, "#999999"),
                         "title": f"{key} · {source}: {n}"})
    legend = [{"source": s, "fill": colour[s], "documents": totals[s]} for s in named]
    if len(totals) > len(named):
        legend.append({"source": "other sources", "fill": "#999999",
                       "documents": sum(v for s, v in totals.items() if s not in colour)})
    labels = edge_labels(keys, step)
    return {"bars": bars, "legend": legend, "width": WIDTH, "height": HEIGHT, "labels": labels, "max": peak}


def tone_by_bucket(tone: list[dict]) -> list[dict]:
    """Days folded into months when there are more than MAX_DAY_BARS of them."""
    days = [t for t in tone if t["day"]]
    if len(days) <= MAX_DAY_BARS:
        return days
    months: dict[str, dict] = {}
    for t in days:
        month = months.setdefault(t["day"][:7], {"day": t["day"][:7], "positive": 0, "neutral": 0, "negative": 0})
        for label in ("positive", "neutral", "negative"):
            month[label] += t[label]
    return [months[m] for m in sorted(months)]


def tone_chart(tone: list[dict]) -> dict:
    """Per day (or month), the share of documents where the entity's tone was positive, neutral or negative."""
    days = tone_by_bucket(tone)
    if not days:
        return {"bars": [], "width": WIDTH, "height": 120, "labels": []}
    step, height, bars = WIDTH / len(days), 120, []
    for i, t in enumerate(days):
        total = t["positive"] + t["neutral"] + t["negative"] or 1
        y = 0.0
        for label, fill in (("positive", "#009E73"), ("neutral", "#BBBBBB"), ("negative", "#D55E00")):
            h = t[label] / total * height
            if h:
                bars.append({**bar_box(i, step), "y": round(y, 2), "h": round(h, 2), "fill": fill,
                             "title": f"{t['day']} · {label}: {t[label]}"})
            y += h
    return {"bars": bars, "width": WIDTH, "height": height, "labels": edge_labels([t["day"] for t in days], step)}
