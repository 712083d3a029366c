#!/usr/bin/env python3
"""Text PDFs for the PDF benchmark, from the corpus's own text: every DOJ OIP news page's
text (as `sluice inspect` reads it) typeset by reportlab, 40 lines a page.

    make_pdfs.py SLUICE CORPUS OUT_DIR
"""
import json
import os
import subprocess
import sys
import textwrap

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

sluice, corpus, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
folder = os.path.join(corpus, "agency-html", "doj-oip")
for name in sorted(os.listdir(folder)):
    record = json.loads(subprocess.run([sluice, "inspect", os.path.join(folder, name)], capture_output=True, check=True).stdout)
    lines = []
    for paragraph in record.get("text", "").split("\n"):
        lines += textwrap.wrap(paragraph, 90) or [""]
    lines = lines * 4  # a few pages each
    c = canvas.Canvas(os.path.join(out, name.replace(".html", ".pdf")), pagesize=letter, invariant=1)
    c.setTitle(record.get("title") or name)
    for start in range(0, len(lines), 40):
        y = 740
        for line in lines[start:start + 40]:
            c.drawString(54, y, line.encode("latin-1", "replace").decode("latin-1"))
            y -= 17
        c.showPage()
    c.save()
