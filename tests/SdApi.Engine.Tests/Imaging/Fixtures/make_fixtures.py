#!/usr/bin/env python3
"""Regenerates the image fixtures for the Imaging tests (run from this folder).

PNGs are written with Python's own zlib/crc32 (independent of the engine's encoder); their pixels follow the
formulas repeated in PngDecoderTests. JPEGs come from libjpeg-turbo's cjpeg (apt: libjpeg-turbo-progs), and the
expected pixels from djpeg -nosmooth (box upsampling, like the engine's decoder)."""
import binascii, struct, subprocess, zlib

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", binascii.crc32(kind + data) & 0xFFFFFFFF)

def png(width, height, depth, color, rows, extra=b"", interlace=0):
    """rows: list of packed scanlines (without filter byte) for non-interlaced, or a function for Adam7."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, interlace)
    if interlace:
        raw = rows
    else:
        raw = b"".join(b"\x00" + r for r in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")

def pack(values, depth):
    if depth == 8:
        return bytes(values)
    if depth == 16:
        return b"".join(struct.pack(">H", v) for v in values)
    out, acc, n = bytearray(), 0, 0
    for v in values:
        acc = (acc << depth) | v
        n += depth
        if n == 8:
            out.append(acc); acc, n = 0, 0
    if n:
        out.append(acc << (8 - n))
    return bytes(out)

W, H = 7, 5
# grey 1-bit: (x + y) % 2
open("gray1.png", "wb").write(png(W, H, 1, 0, [pack([(x + y) % 2 for x in range(W)], 1) for y in range(H)]))
# palette 2-bit with tRNS: index (x + 2y) % 4, palette red/green/blue/white, alpha 255/128/0/255
plte = chunk(b"PLTE", bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]))
trns = chunk(b"tRNS", bytes([255, 128, 0]))
open("palette2_trns.png", "wb").write(png(W, H, 2, 3, [pack([(x + 2 * y) % 4 for x in range(W)], 2) for y in range(H)], plte + trns))
# grey+alpha 8-bit: grey 30x+y, alpha 255-40y
open("gray_alpha8.png", "wb").write(png(W, H, 8, 4, [bytes(v for x in range(W) for v in (30 * x + y, 255 - 40 * y)) for y in range(H)]))
# RGB 16-bit: r = 1000x*9+y, g = 65535 - r, b = 257y
def rgb16(x, y):
    r = 9000 * x + y
    return [r, 65535 - r, 257 * y]
open("rgb16.png", "wb").write(png(W, H, 16, 2, [pack([v for x in range(W) for v in rgb16(x, y)], 16) for y in range(H)]))
# grey 8-bit with tRNS grey 60: value 20x + 10y (60 at x=3,y=0 and x=1,y=4 ... is transparent)
open("gray8_trns.png", "wb").write(png(W, H, 8, 0, [bytes(20 * x + 10 * y for x in range(W)) for y in range(H)], chunk(b"tRNS", bytes([0, 60]))))
# RGB 8-bit with tRNS colour (40, 0, 200): pixel (40x, 10y, 200), so x=1,y=0 is transparent
open("rgb8_trns.png", "wb").write(png(W, H, 8, 2, [bytes(v for x in range(W) for v in (40 * x, 10 * y, 200)) for y in range(H)], chunk(b"tRNS", bytes([0, 40, 0, 0, 0, 200]))))
# RGBA 8-bit, Adam7 interlaced, 10x9: (20x, 25y, 3x+7y, 255-10x)
AW, AH = 10, 9
def rgba(x, y):
    return [20 * x, 25 * y, 3 * x + 7 * y, 255 - 10 * x]
passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
raw = b""
for x0, y0, dx, dy in passes:
    xs, ys = range(x0, AW, dx), range(y0, AH, dy)
    if not xs or not ys:
        continue
    for y in ys:
        raw += b"\x00" + bytes(v for x in xs for v in rgba(x, y))
open("rgba8_adam7.png", "wb").write(png(AW, AH, 8, 6, raw, interlace=1))

# JPEG: a smooth colour pattern, 35x21 (partial MCUs on both axes).
JW, JH = 35, 21
def jpix(x, y):
    return [min(255, 40 + 5 * x), min(255, 30 + 8 * y), max(0, 200 - 3 * x - 2 * y)]
ppm = b"P6\n%d %d\n255\n" % (JW, JH) + bytes(v for y in range(JH) for x in range(JW) for v in jpix(x, y))
open("/tmp/aux-source.ppm", "wb").write(ppm)
variants = {
    "baseline444": ["-sample", "1x1", "-quality", "95"],
    "baseline422": ["-sample", "2x1", "-quality", "95"],
    "baseline420_restart": ["-sample", "2x2", "-quality", "95", "-restart", "1"],
    "progressive420": ["-sample", "2x2", "-quality", "95", "-progressive"],
    "grayscale": ["-grayscale", "-quality", "95"],
}
for name, args in variants.items():
    subprocess.run(["cjpeg", *args, "-outfile", f"{name}.jpg", "/tmp/aux-source.ppm"], check=True)
    fmt = "-pnm"
    subprocess.run(["djpeg", "-nosmooth", "-dct", "int", fmt, "-outfile", f"{name}.expected.pnm", f"{name}.jpg"], check=True)
