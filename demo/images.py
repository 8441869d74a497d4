"""Pictures for the demo content, drawn locally with Pillow so nothing is downloaded."""

import hashlib
import io
import math

from PIL import Image, ImageDraw

PALETTES = [
    ((164, 22, 26), (242, 193, 78)),
    ((122, 15, 18), (255, 236, 200)),
    ((45, 80, 50), (230, 210, 140)),
    ((30, 60, 110), (240, 220, 160)),
    ((150, 60, 20), (250, 230, 190)),
]


def _star(center: tuple[float, float], radius: float) -> list[tuple[float, float]]:
    cx, cy = center
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
    return points


def draw_demo_image(seed: str, size: tuple[int, int] = (1200, 675)) -> bytes:
    """A PNG with a gradient, a five-pointed star and mountain ridges; the same seed, the same picture."""
    digest = hashlib.sha256(seed.encode()).digest()
    dark, light = PALETTES[digest[0] % len(PALETTES)]
    width, height = size
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(int(light[i] * (1 - t) + dark[i] * t) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    ridge_count = 3 + digest[1] % 3
    for ridge in range(ridge_count):
        base = height * (0.55 + 0.12 * ridge)
        points = [(0, height)]
        for step in range(0, 13):
            x = width * step / 12
            wobble = (digest[(ridge * 13 + step) % 32] / 255 - 0.5) * height * 0.18
            points.append((x, base + wobble))
        points.append((width, height))
        shade = tuple(max(0, int(c * (0.8 - ridge * 0.15))) for c in dark)
        draw.polygon(points, fill=shade)
    star_x = width * (0.15 + (digest[2] / 255) * 0.7)
    draw.polygon(_star((star_x, height * 0.3), height * 0.13), fill=(255, 215, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
