#!/usr/bin/env python3
"""Draws the Teams app icons (appPackage/color.png 192x192, appPackage/outline.png 32x32) with the
standard library only, so they can be regenerated anywhere: a key on the brand colour, and the same
key as a white outline on a transparent background (Teams' rules for the two icons)."""
import math
import os
import struct
import zlib

BRAND = (0x2B, 0x57, 0x9A)
WHITE = (255, 255, 255)


def write_png(path, size, pixel):
    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            rows.extend(pixel(x + 0.5, y + 0.5))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def key_distance(x, y, s):
    """Signed distance (negative inside) to a key: a ring bow, a shaft and two teeth, in a unit square of side s."""
    u, v = x / s, y / s
    bow = math.hypot(u - 0.32, v - 0.5) - 0.17
    shaft = max(abs(v - 0.5) - 0.05, u - 0.86, 0.45 - u)
    tooth1 = max(abs(u - 0.74) - 0.04, v - 0.68, 0.5 - v)
    tooth2 = max(abs(u - 0.83) - 0.03, v - 0.64, 0.5 - v)
    hole = 0.075 - math.hypot(u - 0.32, v - 0.5)
    solid = min(bow, shaft, tooth1, tooth2)
    return max(solid, hole) * s


def color_pixel(x, y):
    size = 192
    d = key_distance(x, y, size)
    inside = min(1.0, max(0.0, 0.5 - d))
    r, g, b = (round(BRAND[i] * (1 - inside) + WHITE[i] * inside) for i in range(3))
    return (r, g, b, 255)


def outline_pixel(x, y):
    size = 32
    d = key_distance(x, y, size)
    alpha = min(1.0, max(0.0, 1.0 - abs(d + 0.4)))
    return (255, 255, 255, round(alpha * 255))


root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "appPackage")
write_png(os.path.join(root, "color.png"), 192, color_pixel)
write_png(os.path.join(root, "outline.png"), 32, outline_pixel)
print("wrote appPackage/color.png and appPackage/outline.png")
