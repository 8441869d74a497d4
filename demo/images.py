"""Covers for the demo content, drawn locally with Pillow so nothing is downloaded.

Each topic has its own motif and colours, so a listing does not repeat one picture; the
seed varies the composition within a topic. Every cover carries a red seal reading 示例
(drawn stroke by stroke: no font is needed, so the picture is the same on every machine),
because these stand in for the photographs the documents describe and must never pass for them.
"""

import hashlib
import io
import math
from collections.abc import Callable

from PIL import Image, ImageDraw

Colour = tuple[int, int, int]
Point = tuple[float, float]

# The two characters 示 and 例 as strokes on a 100 × 100 grid: (points of one stroke), …
SEAL_GLYPHS: tuple[tuple[tuple[Point, ...], ...], ...] = (
    (  # 示
        ((28, 14), (72, 14)),
        ((10, 36), (90, 36)),
        ((50, 36), (50, 90), (42, 84)),
        ((32, 54), (16, 78)),
        ((68, 54), (84, 76)),
    ),
    (  # 例
        ((26, 6), (8, 44)),
        ((17, 28), (17, 94)),
        ((30, 14), (64, 14)),
        ((46, 14), (34, 44)),
        ((36, 32), (58, 32), (36, 80)),
        ((40, 50), (50, 60)),
        ((72, 24), (72, 66)),
        ((88, 8), (88, 92), (80, 86)),
    ),
)


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(a[i] * (1 - t) + b[i] * t) for i in range(3))


def _star(center: Point, radius: float, turn: float = 0.0) -> list[Point]:
    cx, cy = center
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        angle = math.pi / 2 + turn + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
    return points


def _thick_line(draw: ImageDraw.ImageDraw, points, width: float, fill: Colour) -> None:
    draw.line(points, fill=fill, width=round(width), joint="curve")
    for x, y in (points[0], points[-1]):
        r = width / 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)


def _seal(draw: ImageDraw.ImageDraw, left: float, top: float, size: float) -> None:
    """A red square seal with 示例 in white, as on a stamped sample."""
    red, white = (178, 24, 30), (255, 250, 240)
    draw.rounded_rectangle((left, top, left + size * 2.2, top + size * 1.2), size * 0.12, red)
    stroke = size * 0.085
    for index, glyph in enumerate(SEAL_GLYPHS):
        x0, y0 = left + size * (0.15 + index * 1.0), top + size * 0.1
        for points in glyph:
            scaled = [(x0 + x * size / 100, y0 + y * size / 100) for x, y in points]
            _thick_line(draw, scaled, stroke, white)


# Motifs: each draws one emblem centred at (cx, cy) with radius r, in the given colour.


def _medal(draw, cx, cy, r, colour, turn):
    ribbon = _mix(colour, (0, 0, 0), 0.25)
    draw.polygon(
        [
            (cx - r * 0.55, cy - r * 1.5),
            (cx - r * 0.1, cy - r * 1.5),
            (cx + r * 0.25, cy - r * 0.6),
            (cx - r * 0.2, cy - r * 0.6),
        ],
        ribbon,
    )
    draw.polygon(
        [
            (cx + r * 0.55, cy - r * 1.5),
            (cx + r * 0.1, cy - r * 1.5),
            (cx - r * 0.25, cy - r * 0.6),
            (cx + r * 0.2, cy - r * 0.6),
        ],
        ribbon,
    )
    draw.ellipse((cx - r * 0.75, cy - r * 0.75, cx + r * 0.75, cy + r * 0.75), colour)
    draw.polygon(_star((cx, cy), r * 0.55, turn * 0.1), _mix(colour, (255, 255, 255), 0.55))


def _flag(draw, cx, cy, r, colour, turn):
    pole = _mix(colour, (255, 255, 255), 0.6)
    draw.rectangle((cx - r * 0.9, cy - r * 1.2, cx - r * 0.82, cy + r * 1.2), pole)
    wave = [
        (cx - r * 0.82 + i * r * 0.09, cy - r * 1.15 + math.sin(i / 3 + turn) * r * 0.08)
        for i in range(20)
    ]
    lower = [(x, y + r * 1.05) for x, y in reversed(wave)]
    draw.polygon(wave + lower, colour)
    draw.polygon(_star((cx - r * 0.45, cy - r * 0.8), r * 0.2), _mix(colour, (255, 215, 0), 0.8))


def _rings(draw, cx, cy, r, colour, turn):
    width = max(4, round(r * 0.16))
    offset = r * (0.45 + 0.05 * math.sin(turn))
    draw.ellipse(
        (cx - offset - r * 0.7, cy - r * 0.7, cx - offset + r * 0.7, cy + r * 0.7),
        outline=colour,
        width=width,
    )
    draw.ellipse(
        (cx + offset - r * 0.7, cy - r * 0.7, cx + offset + r * 0.7, cy + r * 0.7),
        outline=_mix(colour, (255, 255, 255), 0.4),
        width=width,
    )


def _book(draw, cx, cy, r, colour, turn):
    page = _mix(colour, (255, 255, 255), 0.75)
    draw.polygon(
        [
            (cx, cy - r * 0.55),
            (cx - r * 1.1, cy - r * 0.8),
            (cx - r * 1.1, cy + r * 0.6),
            (cx, cy + r * 0.85),
        ],
        page,
    )
    draw.polygon(
        [
            (cx, cy - r * 0.55),
            (cx + r * 1.1, cy - r * 0.8),
            (cx + r * 1.1, cy + r * 0.6),
            (cx, cy + r * 0.85),
        ],
        _mix(page, colour, 0.15),
    )
    for line in range(4):
        y = cy - r * 0.45 + line * r * 0.28
        draw.line(
            (cx - r * 0.9, y - r * 0.1, cx - r * 0.15, y + r * 0.05),
            _mix(colour, page, 0.4),
            max(2, round(r * 0.04)),
        )
        draw.line(
            (cx + r * 0.15, y + r * 0.05, cx + r * 0.9, y - r * 0.1),
            _mix(colour, page, 0.4),
            max(2, round(r * 0.04)),
        )


def _shield(draw, cx, cy, r, colour, turn):
    outline = [
        (cx - r * 0.8, cy - r * 0.9),
        (cx + r * 0.8, cy - r * 0.9),
        (cx + r * 0.8, cy),
        (cx, cy + r * 1.0),
        (cx - r * 0.8, cy),
    ]
    draw.polygon(outline, colour)
    draw.polygon(_star((cx, cy - r * 0.15), r * 0.45), _mix(colour, (255, 215, 0), 0.75))


def _calendar(draw, cx, cy, r, colour, turn):
    paper = _mix(colour, (255, 255, 255), 0.8)
    draw.rounded_rectangle((cx - r, cy - r * 0.8, cx + r, cy + r * 0.9), r * 0.1, paper)
    draw.rectangle((cx - r, cy - r * 0.8, cx + r, cy - r * 0.4), colour)
    for row in range(3):
        for column in range(4):
            x = cx - r * 0.75 + column * r * 0.5
            y = cy - r * 0.2 + row * r * 0.35
            draw.rectangle(
                (x - r * 0.12, y - r * 0.1, x + r * 0.12, y + r * 0.1), _mix(colour, paper, 0.5)
            )


def _mountain_star(draw, cx, cy, r, colour, turn):
    draw.polygon(_star((cx, cy), r * 0.8, turn * 0.1), (255, 215, 0))


MOTIFS: dict[str, tuple[Callable, Colour, Colour]] = {
    # motif: (drawing, dark colour, light colour)
    "rings": (_rings, (140, 20, 28), (246, 196, 120)),
    "medal": (_medal, (28, 48, 96), (236, 200, 110)),
    "flag": (_flag, (120, 14, 20), (232, 120, 90)),
    "book": (_book, (22, 84, 80), (226, 214, 170)),
    "shield": (_shield, (52, 74, 40), (214, 204, 150)),
    "calendar": (_calendar, (150, 60, 20), (250, 224, 180)),
    "star": (_mountain_star, (122, 15, 18), (255, 236, 200)),
}


def draw_demo_image(seed: str, size: tuple[int, int] = (1200, 675), motif: str = "star") -> bytes:
    """A PNG cover: the motif's colours as a gradient, ridges, the emblem and the 示例 seal.

    The same seed and motif give the same picture.
    """
    drawing, dark, light = MOTIFS[motif]
    digest = hashlib.sha256(f"{motif}/{seed}".encode()).digest()
    width, height = size
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_mix(light, dark, (y / height) ** 1.3))
    # Soft ridges in the lower third, a different skyline per seed.
    for ridge in range(2 + digest[1] % 2):
        base = height * (0.7 + 0.1 * ridge)
        points = [(0, height)]
        for step in range(13):
            wobble = (digest[(ridge * 13 + step) % 32] / 255 - 0.5) * height * 0.12
            points.append((width * step / 12, base + wobble))
        points.append((width, height))
        draw.polygon(points, _mix(dark, (0, 0, 0), 0.1 + ridge * 0.12))
    # The emblem, placed left or right of centre by the seed.
    side = 0.3 if digest[2] % 2 else 0.7
    radius = height * (0.2 + digest[3] / 255 * 0.05)
    drawing(draw, width * side, height * 0.42, radius, _mix(dark, light, 0.15), digest[4] / 40)
    _seal(draw, width * 0.04, height * 0.06, height * 0.1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
