#!/usr/bin/env python3
"""Small PDFs that a reader must refuse with one clear line (tests/pdf.rs), a whole
issue in one file: two pages of the page corpus bound together (issue.pdf), and a page
whose headline is set down the page, 竖排, right of its two columns (vertical.pdf).

    python3 tests/pdf/make_pdfs.py     # needs reportlab and pikepdf (pip)

Deterministic but for encrypted.pdf (its key is drawn at random each run).
"""
import io
import os
import pikepdf
from reportlab.pdfgen import canvas

HERE = os.path.dirname(os.path.abspath(__file__))


def page(draw):
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(300, 400), invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def text(c):
    c.setFont("Helvetica", 12)
    c.drawString(40, 350, "A page with a text layer.")


def scanned(c):
    # A grey picture standing for a scanned page: an inline image, no text.
    from reportlab.lib.utils import ImageReader
    try:
        from PIL import Image
    except ImportError:
        Image = None
    if Image is not None:
        img = Image.new("L", (32, 32), 128)
        c.drawImage(ImageReader(img), 20, 20, 260, 360)
    else:
        c.rect(20, 20, 260, 360, fill=1)


VERTICAL_HEAD = "山城秋色分外浓"
VERTICAL_BODY = [
    "本报讯　入秋以来，城北山区层林尽染，红叶与古村相映成趣，吸引了大批市民前往观赏。",
    "据景区管理处介绍，今年红叶观赏期预计持续到十一月中旬，周末游客量比平日多出三倍。",
    "为方便游客出行，公交公司加开了两条直达线路，沿途设置临时停靠站点六处。",
]


def vertical(c):
    """A 竖排 headline right of two columns of body text, each glyph placed by itself."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    pdfmetrics.registerFont(TTFont("Zen", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"))
    pdfmetrics.registerFont(TTFont("Ming", "/usr/share/fonts/truetype/arphic/uming.ttc"))
    size, body, lead = 22, 9, 12.5
    x, y = 250, 360
    c.setFont("Zen", size)
    for ch in VERTICAL_HEAD:
        c.drawString(x, y - size, ch)
        y -= size * 1.1
    # Two columns of 11 characters, text flowing from the first into the second.
    chars = []
    for para in VERTICAL_BODY:
        text = "　　" + para
        chars.append([text[i:i + 11] for i in range(0, len(text), 11)])
    lines = [ln for para in chars for ln in para]
    c.setFont("Ming", body)
    half = (len(lines) + 1) // 2
    for col, chunk in enumerate([lines[:half], lines[half:]]):
        for i, ln in enumerate(chunk):
            c.drawString(20 + col * 112, 350 - i * lead, ln)


def main():
    with open(os.path.join(HERE, "scanned.pdf"), "wb") as f:
        f.write(page(scanned))
    plain = pikepdf.open(io.BytesIO(page(text)))
    plain.save(os.path.join(HERE, "encrypted.pdf"), static_id=True,
               encryption=pikepdf.Encryption(owner="owner", user="secret", R=4))
    full = page(text)
    with open(os.path.join(HERE, "truncated.pdf"), "wb") as f:
        f.write(full[: len(full) // 2])
    issue = pikepdf.new()
    for layout in ["two_line_heads", "long_article"]:
        one = pikepdf.open(os.path.join(HERE, "..", "pages", "tune", layout, "p01.pdf"))
        issue.pages.extend(one.pages)
    issue.save(os.path.join(HERE, "issue.pdf"), static_id=True, deterministic_id=True)
    with open(os.path.join(HERE, "vertical.pdf"), "wb") as f:
        f.write(page(vertical))


if __name__ == "__main__":
    main()
