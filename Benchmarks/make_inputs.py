#!/usr/bin/env python3
"""Builds the end-to-end benchmark's Inbox from the real corpus, deterministically.

    make_inputs.py CORPUS OUT_DIR SCALE

OUT_DIR/inbox gets two releases a user would drop in:
  corpus-docs.tar.gz   the loose XML and HTML documents (foia-annual-xml, federal-register-xml,
                       cfr-xml, congress-xml, agency-html), 2 x SCALE copies under copy-NNN/ folders
  foia-sets.zip        the XML members of the FOIA.gov FOIASetFull bulk zips, 2 x SCALE copies
                       under copy-NNN/<year>/ folders
OUT_DIR/docs gets every document once per copy as a plain file (for the floor's parsers), and
OUT_DIR/manifest.txt the document count and uncompressed bytes. Scale 1 is ~150 MB uncompressed,
scale 10 the same content ten times in releases ten times as large.

Fixed timestamps, modes and member order make the archives byte-identical between builds.
"""
import gzip
import io
import os
import sys
import tarfile
import zipfile

LOOSE = ["foia-annual-xml", "federal-register-xml", "cfr-xml", "congress-xml", "agency-html"]
SUFFIXES = (".xml", ".html", ".htm")
EPOCH = 1700000000
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def loose_documents(corpus):
    out = []
    for folder in LOOSE:
        root = os.path.join(corpus, folder)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.lower().endswith(SUFFIXES):
                    path = os.path.join(dirpath, name)
                    with open(path, "rb") as f:
                        out.append((os.path.relpath(path, corpus), f.read()))
    return out


def foia_set_documents(corpus):
    out = []
    folder = os.path.join(corpus, "archives", "foia-gov")
    for name in sorted(os.listdir(folder)):
        if not name.endswith("FOIASetFull.zip"):
            continue
        year = name.split("-")[0]
        with zipfile.ZipFile(os.path.join(folder, name)) as z:
            for info in sorted(z.infolist(), key=lambda i: i.filename):
                base = info.filename.rsplit("/", 1)[-1]
                if info.is_dir() or info.filename.startswith("__MACOSX") or not base.lower().endswith(".xml"):
                    continue
                out.append((f"{year}/{base}", z.read(info)))
    return out


def main():
    corpus, out_dir, scale = sys.argv[1], sys.argv[2], int(sys.argv[3])
    copies = 2 * scale
    inbox = os.path.join(out_dir, "inbox")
    docs = os.path.join(out_dir, "docs")
    os.makedirs(inbox, exist_ok=True)
    os.makedirs(docs, exist_ok=True)
    loose = loose_documents(corpus)
    sets = foia_set_documents(corpus)
    count = 0
    total = 0

    tar_path = os.path.join(inbox, "corpus-docs.tar.gz")
    with open(tar_path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=EPOCH) as gz:
            with tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as tar:
                for c in range(copies):
                    for rel, data in loose:
                        info = tarfile.TarInfo(f"copy-{c:03d}/{rel}")
                        info.size = len(data)
                        info.mtime = EPOCH
                        info.mode = 0o644
                        tar.addfile(info, io.BytesIO(data))
                        count += 1
                        total += len(data)

    zip_path = os.path.join(inbox, "foia-sets.zip")
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for c in range(copies):
            for rel, data in sets:
                info = zipfile.ZipInfo(f"copy-{c:03d}/{rel}", date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, data)
                count += 1
                total += len(data)

    # Plain copies for the floor's parsers (xmllint for XML, the HTML reference for HTML).
    for c in range(copies):
        for kind, items in (("loose", loose), ("sets", sets)):
            for rel, data in items:
                name = f"{c:03d}-{kind}-" + rel.replace("/", "_")
                sub = "html" if name.lower().endswith((".html", ".htm")) else "xml"
                os.makedirs(os.path.join(docs, sub), exist_ok=True)
                with open(os.path.join(docs, sub, name), "wb") as f:
                    f.write(data)

    with open(os.path.join(out_dir, "manifest.txt"), "w") as f:
        f.write(f"documents {count}\nbytes {total}\n")


if __name__ == "__main__":
    main()
