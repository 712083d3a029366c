#!/usr/bin/env python3
"""Makes the PDF fixtures of a FOIA production from the corpus's own text (see SOURCES.md).

Needs reportlab, pillow and img2pdf (PyPI) and qpdf (Debian). Run from anywhere:
    python3 Tests/Fixtures/productions/make_fixtures.py
The outputs are committed; this script says how they were made.
"""
import io
import os
import subprocess

import img2pdf
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

HERE = os.path.dirname(os.path.abspath(__file__))

# Sentences of ../shared/corpus/agency-html/doj-oip/oip-100512.html ("OIP Convening Two FOIA
# Working Groups", DOJ Office of Information Policy, May 12, 2010; public domain).
PAGE_ONE = [
    "OIP Convening Two FOIA Working Groups",
    "To facilitate the exchange of ideas and information between agencies,",
    "OIP is convening two FOIA Working Groups.",
]
PAGE_TWO = [
    "The first working group will address the critical area of use of technology.",
    "The Technology Working Group will be a forum for agencies to exchange ideas",
    "and experiences in utilizing technology to improve administration of the FOIA.",
]
SCANNED = [
    "The second working group will address FOIA best practices.",
    "Attorney General Holder stressed his FOIA Guidelines.",
]


def text_pdf(path):
    c = canvas.Canvas(path, pagesize=letter, invariant=1)
    c.setTitle("OIP Convening Two FOIA Working Groups")
    c.setAuthor("Office of Information Policy")
    for page in (PAGE_ONE, PAGE_TWO):
        y = 720
        for line in page:
            c.drawString(72, y, line)
            y -= 18
        c.showPage()
    c.save()


def scanned_pdf(path):
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 36)
    image = Image.new("L", (1700, 600), 255)
    draw = ImageDraw.Draw(image)
    y = 80
    for line in SCANNED:
        draw.text((80, y), line, fill=0, font=font)
        y += 70
    png = io.BytesIO()
    image.save(png, format="PNG")
    layout = img2pdf.get_fixed_dpi_layout_fun((200, 200))
    with open(path, "wb") as out:
        out.write(img2pdf.convert(png.getvalue(), layout_fun=layout, nodate=True))


def main():
    text = os.path.join(HERE, "letter.pdf")
    text_pdf(text)
    scanned_pdf(os.path.join(HERE, "scanned.pdf"))
    subprocess.run(["qpdf", "--encrypt", "withheld", "withheld", "256", "--",
                    text, os.path.join(HERE, "encrypted.pdf")], check=True)
    with open(text, "rb") as f:
        head = f.read(400)
    with open(os.path.join(HERE, "truncated.pdf"), "wb") as f:
        f.write(head)


if __name__ == "__main__":
    main()


def email_fixture():
    """An e-mail as a production holds it: a Latin-1 quoted-printable text body, an HTML
    alternative, an encoded-word subject, and letter.pdf attached (Python's email package)."""
    from email.message import EmailMessage
    from email.policy import SMTP
    msg = EmailMessage(policy=SMTP)
    msg["From"] = "Office of Information Policy <oip@example.gov>"
    msg["To"] = "FOIA Liaisons <liaisons@example.gov>"
    msg["Cc"] = "Melanie Pustay <director@example.gov>"
    msg["Date"] = "Wed, 12 May 2010 14:05:00 -0400"
    msg["Subject"] = "Re: OIP Convening Two FOIA Working Groups \u2014 r\u00e9sum\u00e9"
    msg["Message-ID"] = "<production-1@example.gov>"
    body = ("Agency FOIA professionals typically find that working collaboratively can be quite beneficial.\n"
            "OIP is convening two FOIA Working Groups; the caf\u00e9 meeting is on June 15, 2010.\n")
    msg.set_content(body, charset="iso-8859-1", cte="quoted-printable")
    msg.add_alternative("<html><body><p>HTML copy of the announcement.</p></body></html>", subtype="html")
    with open(os.path.join(HERE, "letter.pdf"), "rb") as f:
        msg.add_attachment(f.read(), maintype="application", subtype="pdf", filename="working-groups.pdf")
    with open(os.path.join(HERE, "message.eml"), "wb") as f:
        f.write(msg.as_bytes())


def production_zip():
    """The production as it arrives: the PDFs, the e-mail and a real DOJ OIP news page, zipped."""
    import zipfile
    page = os.path.join(HERE, "..", "..", "..", "..", "shared", "corpus", "agency-html", "doj-oip", "oip-100512.html")
    with zipfile.ZipFile(os.path.join(HERE, "production.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for name in ["letter.pdf", "scanned.pdf", "encrypted.pdf", "message.eml"]:
            info = zipfile.ZipInfo("production/" + name, date_time=(2010, 5, 12, 0, 0, 0))
            with open(os.path.join(HERE, name), "rb") as f:
                z.writestr(info, f.read(), zipfile.ZIP_DEFLATED)
        with open(page, "rb") as f:
            z.writestr(zipfile.ZipInfo("production/oip-100512.html", date_time=(2010, 5, 12, 0, 0, 0)), f.read(),
                       zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    email_fixture()
    production_zip()
