#!/usr/bin/env python3
"""Small PDFs that a reader must refuse with one clear line (tests/pdf.rs), and a
whole issue in one file: two pages of the page corpus bound together (issue.pdf).

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


if __name__ == "__main__":
    main()
