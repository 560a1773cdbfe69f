#!/usr/bin/env python3
"""Render a terminal screen captured with SGR colour escapes as an SVG picture.

    tmux capture-pane -e -p -N -t s | ansi2svg.py --cols 120 --rows 32 > screen.svg

Reads text with SGR escapes (as `tmux capture-pane -e` prints them: attributes carry
over from one line to the next) and lays it out on a monospace grid: a background
rect per run of cells of one colour, text per run of one style, every word placed at
its own cell so glyph widths never drift. Box-drawing and block characters are drawn
as shapes, so borders join without gaps whatever the font's line height. Wide
characters take two cells. Standard library only.
"""

import argparse
import re
import sys
import unicodedata
from xml.sax.saxutils import escape

FONT_SIZE = 14
# DejaVu Sans Mono advances 1233/2048 em: the cell width that keeps text on the grid.
CELL_W = FONT_SIZE * 1233 / 2048
CELL_H = 17
BASELINE = 13  # from a cell's top
PAD = 12
DEFAULT_FG = "#d0d0d0"
DEFAULT_BG = "#1c1c1c"
FONT = "DejaVu Sans Mono, monospace"

XTERM16 = [
    "#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
    "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff",
]


def xterm256(n):
    if n < 16:
        return XTERM16[n]
    if n < 232:
        n -= 16
        levels = [0, 95, 135, 175, 215, 255]
        r, g, b = levels[n // 36], levels[(n // 6) % 6], levels[n % 6]
        return "#%02x%02x%02x" % (r, g, b)
    v = 8 + 10 * (n - 232)
    return "#%02x%02x%02x" % (v, v, v)


class Style:
    __slots__ = ("fg", "bg", "bold", "dim", "italic", "underline", "reverse", "strike", "hidden")

    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = self.bg = None  # None: the terminal's default; else "#rrggbb"
        self.bold = self.dim = self.italic = self.underline = False
        self.reverse = self.strike = self.hidden = False

    def key(self):
        return tuple(getattr(self, s) for s in self.__slots__)


def parse_colour(params, i):
    """Extended colour at params[i] (after 38/48): returns (colour, next index)."""
    if i < len(params) and params[i] == 5 and i + 1 < len(params):
        return xterm256(max(0, min(255, params[i + 1]))), i + 2
    if i < len(params) and params[i] == 2 and i + 3 < len(params):
        r, g, b = (max(0, min(255, v)) for v in params[i + 1:i + 4])
        return "#%02x%02x%02x" % (r, g, b), i + 4
    return None, len(params)


def apply_sgr(st, raw):
    # Colon sub-parameters (4:3, 38:2::r:g:b) are read as their plain equivalents.
    groups = raw.split(";") if raw else ["0"]
    params = []
    for g in groups:
        if ":" in g:
            sub = [int(x) if x.isdigit() else 0 for x in g.split(":")]
            if sub[0] in (38, 48, 58) and len(sub) > 1:
                if sub[1] == 2 and len(sub) >= 6:  # 38:2:<colourspace>:r:g:b
                    sub = [sub[0], 2] + sub[-3:]
                params.extend(sub)
            else:
                params.append(sub[0] if sub[0] != 4 or len(sub) < 2 or sub[1] else 24)
        else:
            params.append(int(g) if g.isdigit() else 0)
    i = 0
    while i < len(params):
        p = params[i]
        i += 1
        if p == 0:
            st.reset()
        elif p == 1:
            st.bold = True
        elif p == 2:
            st.dim = True
        elif p == 3:
            st.italic = True
        elif p in (4, 21):
            st.underline = True
        elif p == 7:
            st.reverse = True
        elif p == 8:
            st.hidden = True
        elif p == 9:
            st.strike = True
        elif p == 22:
            st.bold = st.dim = False
        elif p == 23:
            st.italic = False
        elif p == 24:
            st.underline = False
        elif p == 27:
            st.reverse = False
        elif p == 28:
            st.hidden = False
        elif p == 29:
            st.strike = False
        elif 30 <= p <= 37:
            st.fg = XTERM16[p - 30]
        elif 90 <= p <= 97:
            st.fg = XTERM16[p - 90 + 8]
        elif p == 39:
            st.fg = None
        elif 40 <= p <= 47:
            st.bg = XTERM16[p - 40]
        elif 100 <= p <= 107:
            st.bg = XTERM16[p - 100 + 8]
        elif p == 49:
            st.bg = None
        elif p in (38, 48):
            colour, i = parse_colour(params, i)
            if colour is not None:
                if p == 38:
                    st.fg = colour
                else:
                    st.bg = colour
        elif p == 58:  # underline colour: not drawn, but skip its arguments
            _, i = parse_colour(params, i)
        # others (blink, fonts, overline...) are ignored


ESC = re.compile(r"\x1b(?:\[([0-9;:?<=>]*)([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def char_width(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def parse(text, cols, rows):
    """The screen as rows of cells: (char, style key), or None for a wide char's 2nd cell."""
    blank = Style().key()
    grid = []
    st = Style()
    for line in text.split("\n")[:rows] if rows else text.split("\n"):
        row = []
        pos = 0
        for m in ESC.finditer(line + "\x1b[0X"):  # sentinel flushes the tail
            for ch in line[pos:m.start()]:
                if ch == "\t":
                    while True:
                        row.append((" ", st.key()))
                        if len(row) % 8 == 0:
                            break
                    continue
                if ord(ch) < 32 or ord(ch) == 127:
                    continue
                w = char_width(ch)
                if w == 0:
                    if row:
                        c, k = row[-1] if row[-1] is not None else row[-2]
                        idx = -1 if row[-1] is not None else -2
                        row[idx] = (c + ch, k)
                    continue
                row.append((ch, st.key()))
                if w == 2:
                    row.append(None)
            pos = m.end()
            if m.group(2) == "m":
                apply_sgr(st, m.group(1))
        grid.append(row[:cols] if cols else row)
    while grid and rows is None and not grid[-1]:
        grid.pop()
    width = cols or max((len(r) for r in grid), default=0)
    height = rows or len(grid)
    while len(grid) < height:
        grid.append([])
    for r in grid:
        if r and r[-1] is None and len(r) > width:
            r[width - 1] = (" ", r[width - 1][1])
        r.extend([(" ", blank)] * (width - len(r)))
        del r[width:]
    return grid, width, height


def resolve(key):
    """(fg, bg) as drawn, after reverse, dim and hidden."""
    fg, bg, bold, dim, italic, underline, reverse, strike, hidden = key
    fg = fg or DEFAULT_FG
    bg = bg or DEFAULT_BG
    if reverse:
        fg, bg = bg, fg
    if dim:
        fg = mix(fg, bg, 0.5)
    if hidden:
        fg = bg
    return fg, bg


def mix(a, b, t):
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#%02x%02x%02x" % tuple(round(x * (1 - t) + y * t) for x, y in zip(ca, cb))


# Box drawing: each char as arms (up, right, down, left), 0 none / 1 light / 2 heavy / 3 double.
def _box_table():
    t = {}
    light = {
        "─": (0, 1, 0, 1), "│": (1, 0, 1, 0), "┌": (0, 1, 1, 0), "┐": (0, 0, 1, 1),
        "└": (1, 1, 0, 0), "┘": (1, 0, 0, 1), "├": (1, 1, 1, 0), "┤": (1, 0, 1, 1),
        "┬": (0, 1, 1, 1), "┴": (1, 1, 0, 1), "┼": (1, 1, 1, 1), "╴": (0, 0, 0, 1),
        "╵": (1, 0, 0, 0), "╶": (0, 1, 0, 0), "╷": (0, 0, 1, 0),
    }
    t.update(light)
    heavy = {
        "━": "─", "┃": "│", "┏": "┌", "┓": "┐", "┗": "└", "┛": "┘", "┣": "├", "┫": "┤",
        "┳": "┬", "┻": "┴", "╋": "┼",
    }
    for h, l in heavy.items():
        t[h] = tuple(2 * a for a in light[l])
    double = {
        "═": "─", "║": "│", "╔": "┌", "╗": "┐", "╚": "└", "╝": "┘", "╠": "├", "╣": "┤",
        "╦": "┬", "╩": "┴", "╬": "┼",
    }
    for d, l in double.items():
        t[d] = tuple(3 * a for a in light[l])
    return t


BOX = _box_table()
ROUNDED = {"╭": (0, 1, 1, 0), "╮": (0, 0, 1, 1), "╯": (1, 0, 0, 1), "╰": (1, 1, 0, 0)}
BLOCKS = {  # (x0, y0, x1, y1) as fractions of the cell
    "█": (0, 0, 1, 1), "▀": (0, 0, 1, 0.5), "▄": (0, 0.5, 1, 1), "▌": (0, 0, 0.5, 1),
    "▐": (0.5, 0, 1, 1), "▁": (0, 7 / 8, 1, 1), "▂": (0, 6 / 8, 1, 1), "▃": (0, 5 / 8, 1, 1),
    "▅": (0, 3 / 8, 1, 1), "▆": (0, 2 / 8, 1, 1), "▇": (0, 1 / 8, 1, 1),
    "▏": (0, 0, 1 / 8, 1), "▎": (0, 0, 2 / 8, 1), "▍": (0, 0, 3 / 8, 1),
    "▋": (0, 0, 5 / 8, 1), "▊": (0, 0, 6 / 8, 1), "▉": (0, 0, 7 / 8, 1),
}
SHADES = {"░": 0.25, "▒": 0.5, "▓": 0.75}


def f(v):
    return ("%.2f" % v).rstrip("0").rstrip(".")


def box_shapes(ch, x, y, colour):
    """SVG for a box-drawing or block char at cell (x, y) in pixels, or None."""
    w, h = CELL_W, CELL_H
    cx, cy = x + w / 2, y + h / 2
    if ch in BLOCKS:
        x0, y0, x1, y1 = BLOCKS[ch]
        return '<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>' % (
            f(x + x0 * w), f(y + y0 * h), f((x1 - x0) * w), f((y1 - y0) * h), colour)
    if ch in SHADES:
        return '<rect x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="%s"/>' % (
            f(x), f(y), f(w), f(h), colour, SHADES[ch])
    if ch in ROUNDED:
        up, right, down, left = ROUNDED[ch]
        r = min(w, h) / 2
        ey = y if up else y + h
        ex = x + w if right else x
        sx = cx + (r if right else -r)
        sy = cy + (-r if up else r)
        # from the vertical arm's end, down/up to the corner's start, arc, then out.
        d = "M%s %sL%s %sQ%s %s %s %sL%s %s" % (
            f(cx), f(ey), f(cx), f(sy), f(cx), f(cy), f(sx), f(cy), f(ex), f(cy))
        return '<path d="%s" fill="none" stroke="%s" stroke-width="1.2"/>' % (d, colour)
    if ch not in BOX:
        return None
    arms = BOX[ch]
    out = []
    ends = {0: (cx, y), 1: (x + w, cy), 2: (cx, y + h), 3: (x, cy)}
    for i, kind in enumerate(arms):
        if not kind:
            continue
        ex, ey = ends[i]
        vertical = i in (0, 2)
        if kind == 3:
            off = 1.5
            for s in (-off, off):
                if vertical:
                    out.append((cx + s, cy, cx + s, ey, 1.0))
                else:
                    out.append((cx, cy + s, ex, cy + s, 1.0))
            continue
        thick = 1.2 if kind == 1 else 2.4
        # Reach half a stroke past the centre so corners close.
        if vertical:
            sy = cy + (thick / 2 if i == 0 else -thick / 2)
            out.append((cx, sy, cx, ey, thick))
        else:
            sx = cx + (-thick / 2 if i == 1 else thick / 2)
            out.append((sx, cy, ex, cy, thick))
    return "".join(
        '<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"/>' % (
            f(a), f(b), f(c), f(d), colour, f(t)) for a, b, c, d, t in out)


def render(grid, width, height, title=None):
    out = []
    W = PAD * 2 + width * CELL_W
    H = PAD * 2 + height * CELL_H
    out.append('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">'
               % (round(W), round(H), round(W), round(H)))
    if title:
        out.append("<title>%s</title>" % escape(title))
    out.append('<rect width="%d" height="%d" fill="%s"/>' % (round(W), round(H), DEFAULT_BG))
    out.append('<g shape-rendering="crispEdges">')
    # Backgrounds: one rect per run of one colour, the default left as the canvas.
    for r, row in enumerate(grid):
        y = PAD + r * CELL_H
        c = 0
        while c < width:
            cell = row[c]
            key = cell[1] if cell else row[c - 1][1]
            bg = resolve(key)[1]
            start = c
            while c < width:
                cc = row[c]
                k = cc[1] if cc else row[c - 1][1]
                if resolve(k)[1] != bg:
                    break
                c += 1
            if bg != DEFAULT_BG:
                out.append('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>' % (
                    f(PAD + start * CELL_W), f(y), f((c - start) * CELL_W), CELL_H, bg))
    out.append("</g>")
    out.append('<g font-family="%s" font-size="%d" xml:space="preserve">' % (FONT, FONT_SIZE))
    shapes = []
    for r, row in enumerate(grid):
        y = PAD + r * CELL_H
        c = 0
        while c < width:
            cell = row[c]
            if cell is None or cell[0] == " ":
                c += 1
                continue
            ch, key = cell
            fg = resolve(key)[0]
            x = PAD + c * CELL_W
            shape = box_shapes(ch, x, y, fg)
            if shape is not None:
                shapes.append(shape)
                c += 1
                continue
            # A word: cells of one style, no spaces, no shapes, wide chars on their own.
            start = c
            text = ch
            c += 2 if c + 1 < width and row[c + 1] is None else 1
            if c - start == 1:
                while c < width:
                    nxt = row[c]
                    if (nxt is None or nxt[0] == " " or nxt[1] != key or nxt[0] in BOX
                            or nxt[0] in BLOCKS or nxt[0] in SHADES or nxt[0] in ROUNDED
                            or (c + 1 < width and row[c + 1] is None)):
                        break
                    text += nxt[0]
                    c += 1
            _, _, bold, _, italic, underline, _, strike, hidden = key
            if hidden:
                continue
            attrs = ['x="%s"' % f(x), 'y="%s"' % f(y + BASELINE), 'fill="%s"' % fg]
            if bold:
                attrs.append('font-weight="bold"')
            if italic:
                attrs.append('font-style="italic"')
            out.append("<text %s>%s</text>" % (" ".join(attrs), escape(text)))
            span = (c - start) * CELL_W
            if underline:
                shapes.append('<rect x="%s" y="%s" width="%s" height="1" fill="%s"/>' % (
                    f(x), f(y + BASELINE + 2), f(span), fg))
            if strike:
                shapes.append('<rect x="%s" y="%s" width="%s" height="1" fill="%s"/>' % (
                    f(x), f(y + CELL_H / 2), f(span), fg))
    out.append("</g>")
    out.append('<g shape-rendering="crispEdges">%s</g>' % "".join(shapes))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("input", nargs="?", help="captured screen (default: stdin)")
    p.add_argument("-o", "--output", help="SVG file (default: stdout)")
    p.add_argument("--cols", type=int, help="screen width in cells (default: widest line)")
    p.add_argument("--rows", type=int, help="screen height in cells (default: line count)")
    p.add_argument("--title", help="SVG <title>")
    a = p.parse_args()
    if a.input:
        with open(a.input, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    else:
        text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    if text.endswith("\n"):
        text = text[:-1]
    grid, width, height = parse(text, a.cols, a.rows)
    svg = render(grid, width, height, a.title)
    if a.output:
        with open(a.output, "w", encoding="utf-8") as fh:
            fh.write(svg)
    else:
        sys.stdout.write(svg)


if __name__ == "__main__":
    main()
