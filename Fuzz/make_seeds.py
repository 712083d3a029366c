#!/usr/bin/env python3
"""Builds the seed corpora under Fuzz/corpus/<target>/ (issue #12).

Sources: the shared corpus beside the repository (../shared/corpus: real documents and the
hostile set), the repository's own test fixtures, and small archives made here with the
standard library. Seeds are kept small (a real document over MAX bytes is cut to its head,
which is still a useful start for mutation), so the committed corpus stays a few MB.
Deterministic: re-running on the same inputs writes the same files.

    python3 Fuzz/make_seeds.py [SHARED_CORPUS]
    python3 Fuzz/make_seeds.py --dedupe      # only move seeds the repository already keeps to the list
"""
import gzip, hashlib, io, os, shutil, struct, sys, tarfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared", "corpus")
OUT = os.path.join(HERE, "corpus")
MAX = 32 << 10

def read(path, limit=MAX):
    with open(path, "rb") as f:
        return f.read(limit)

def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def files(folder, exts, limit=None):
    folder = os.path.join(SHARED, folder) if not os.path.isabs(folder) else folder
    if not os.path.isdir(folder):
        return []
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith(exts))
    names.sort(key=lambda n: os.path.getsize(os.path.join(folder, n)))
    return [os.path.join(folder, n) for n in names[:limit]]

def fixed_zip(members, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = compression
            z.writestr(info, data)
    return buf.getvalue()

def fixed_tar(members, fmt=tarfile.USTAR_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.mtime = 1577836800
            if data is None:
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            else:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()

def gz(data):
    return gzip.compress(data, mtime=0)

def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    hostile = os.path.join(SHARED, "hostile", "releases")
    small_doc = b'<?xml version="1.0"?><doc><p>The Department of Justice received 1,234 requests in FY2013 (October 1, 2012).</p></doc>'
    small_html = b"<html><head><title>FOIA</title></head><body><p>U.S. Immigration and Customs Enforcement (ICE), March 3, 2011.</p></body></html>"

    # Archives: the hostile set's small ones, and members of each kind made here.
    made = {
        "zip": {
            "deflated.zip": fixed_zip([("a.xml", small_doc), ("dir/b.html", small_html)]),
            "stored.zip": fixed_zip([("a.xml", small_doc)], zipfile.ZIP_STORED),
            "directories-only.zip": fixed_zip([("docs/", b""), ("docs/sub/", b"")], zipfile.ZIP_STORED),
            "nested.zip": fixed_zip([("inner.zip", fixed_zip([("a.xml", small_doc)]))]),
        },
        "tar": {
            "ustar.tar": fixed_tar([("docs", None), ("docs/a.xml", small_doc), ("docs/b.html", small_html)]),
            "gnu.tar": fixed_tar([("x" * 120 + ".xml", small_doc)], tarfile.GNU_FORMAT),
            "pax.tar": fixed_tar([("p" * 120 + ".html", small_html)], tarfile.PAX_FORMAT),
            "directories-only.tar": fixed_tar([("a", None), ("a/b", None)]),
        },
        "gzip": {
            "doc.xml.gz": gz(small_doc),
            "release.tar.gz": gz(fixed_tar([("a.xml", small_doc), ("b.html", small_html)])),
            "two-members.gz": gz(small_doc) + gz(small_html),
        },
    }
    for kind, exts in (("zip", (".zip",)), ("tar", (".tar",)), ("gzip", (".gz", ".tgz"))):
        for path in files(hostile, exts):
            if os.path.getsize(path) <= 64 << 10:
                put(kind, os.path.basename(path), read(path, 64 << 10))
        for name, data in made[kind].items():
            put(kind, name, data)
    fixtures = os.path.join(REPO, "Tests", "SluiceUnpackTests", "Fixtures")
    for path in files(fixtures, (".zip", ".tgz", ".gz", ".tar")):
        kind = "zip" if path.endswith(".zip") else "gzip"
        put(kind, "fixture-" + os.path.basename(path), read(path, 64 << 10))

    # The whole session: every archive seed, e-mail, loose documents and an archive holding an e-mail.
    for kind in ("zip", "tar", "gzip"):
        for name in sorted(os.listdir(os.path.join(OUT, kind))):
            put("unpack", kind + "-" + name, read(os.path.join(OUT, kind, name), 64 << 10))
    eml = read(os.path.join(REPO, "Tests", "Fixtures", "productions", "message.eml"), 64 << 10)
    put("unpack", "message.eml", eml)
    put("unpack", "mail-in.tar.gz", gz(fixed_tar([("m/message.eml", eml), ("m/a.xml", small_doc)])))
    put("unpack", "loose.xml", small_doc)

    # Documents.
    xml_sources = [
        ("federal-register-xml/documents", 3), ("congress-xml/billstatus", 2), ("congress-xml/govtrack", 3),
        ("congress-xml/hearings", 2), ("cfr-xml/annual", 1), ("agency-feeds", 1),
        ("foia-annual-xml/agency-submissions/2010", 1),
    ]
    for folder, n in xml_sources:
        for path in files(folder, (".xml",), n):
            put("xml", os.path.basename(path), read(path))
    for path in files(hostile, (".xml",)):
        put("xml", "hostile-" + os.path.basename(path), read(path))
    for path in files(os.path.join(REPO, "Tests", "SluiceParseTests", "Fixtures"), (".xml",)):
        put("xml", "fixture-" + os.path.basename(path), read(path))

    for folder, n in (("agency-html/doj-oip", 4), ("agency-html/thomas-loc", 3), ("agency-html/foia-gov-2011", 2),
                      ("agency-html/gpo-bill-xhtml", 1)):
        for path in files(folder, (".html", ".htm"), n):
            put("html", os.path.basename(path), read(path))
    for path in files(hostile, (".html",)):
        put("html", "hostile-" + os.path.basename(path), read(path))
    put("html", "fixture-html-cp1252-nocharset.html",
        read(os.path.join(REPO, "Tests", "SluiceParseTests", "Fixtures", "html-cp1252-nocharset.html")))

    for path in files(os.path.join(REPO, "Tests", "SluiceExtractTests", "Fixtures"), (".txt",)):
        put("text", os.path.basename(path), read(path, 16 << 10))
    for name, text in {
        "dates.txt": "On March 3, 2011, in FY 2013 and fiscal year 2014, from 10/01/2012 to 9/30/2013; 2011-03-04; the 1990s; June 2010.",
        "counts.txt": "It received 1,234 requests, processed 98.6 percent, $4.5 million, 12 days, 3 weeks and 1,000,000,000,000,000,000,000 pages.",
        "agencies.txt": "The Minerals Management Service (MMS), U.S. Immigration & Customs Enforcement and the Department of Homeland Security's Secure Communities program.",
        "early-years.txt": "In 999 and 0999, on January 1, 0001, March 5, 999, FY999, 9/30/0099.",
    }.items():
        put("text", name, text.encode())

    formats = {
        "foia": [("foia-annual-xml/agency-submissions/2010", 3), ("foia-annual-xml/agency-submissions/2008", 2)],
        "fedreg": [("federal-register-xml/documents", 4), ("federal-register-xml/daily-issue", 1)],
        "cfr": [("cfr-xml/annual", 3), ("cfr-xml/ecfr", 1)],
        "billstatus": [("congress-xml/billstatus", 4)],
    }
    for target, sources in formats.items():
        for folder, n in sources:
            for path in files(folder, (".xml",), n):
                put(target, os.path.basename(path).replace(" ", "_"), read(path))
    formats_fixtures = os.path.join(REPO, "Tests", "SluiceFormatsTests", "Fixtures")
    put("billstatus", "current-format-BILLSTATUS-117s35.xml", read(os.path.join(formats_fixtures, "current-format-BILLSTATUS-117s35.xml")))
    put("foia", "flra-2012.xml", read(os.path.join(formats_fixtures, "flra-2012.xml")))

    for path in files(os.path.join(REPO, "Pipelines"), (".yml", ".yaml")):
        put("pipeline", os.path.basename(path), read(path))
    put("pipeline", "stages.yml", b"name: x\nstages:\n  parse: { workers: 2, queue: 8, timeout: 1.5, attempts: 1 }\nunpack:\n  max_ratio: 1e300\n")

    for path in files(os.path.join(REPO, "Tests", "SluiceFormatsTests", "Fixtures"), (".json",)):
        put("json", os.path.basename(path), read(path))
    put("json", "record.schema.json", read(os.path.join(REPO, "schema", "record.schema.json")))
    for i, line in enumerate(read(os.path.join(REPO, "Tests", "SluiceExportTests", "Fixtures", "outbox", "records",
                                                   "2013-FOIASetFull.zip.ndjson"), 1 << 20).splitlines()[:3]):
        put("json", "record-%d.json" % i, line[:MAX])
    for name, text in {"numbers.json": b'[0,-0,1e308,-1.5E-10,123456789012345678901234567890,"\\ud83d\\ude00",true,null]',
                       "nested.json": b'{"a":{"b":[[[[{}]]]]},"":""}'}.items():
        put("json", name, text)

    for name, text in {
        "words": "secure communities", "phrase": '"Secure Communities" ICE', "prefix": "immigr* foia",
        "operators": "NEAR(a b) AND -c:d ^e", "combining-quote": 'a"\u0301b "x\u0301"', "dates": "2013-02-28",
        "fy": "FY2013", "month": "2012-02", "nul": "a\u0000b",
    }.items():
        put("query", name, text.encode())

    put("mime", "message.eml", eml)
    put("mime", "multipart.eml", (b"From: a@b.gov\r\nTo: c@d.gov\r\nSubject: =?utf-8?q?FOIA_request?=\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: text/plain; charset=windows-1252\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\nThe FBI =E2=80=94 March 3, 2011.\r\n--XX\r\n"
        b"Content-Type: application/xml; name=a.xml\r\nContent-Disposition: attachment; filename=\"a.xml\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + __import__("base64").encodebytes(small_doc) + b"--XX--\r\n"))

    dedupe()
    total = 0
    for target in sorted(os.listdir(OUT)):
        names = os.listdir(os.path.join(OUT, target))
        size = sum(os.path.getsize(os.path.join(OUT, target, n)) for n in names)
        total += size
        print("%-12s %3d seeds %8d bytes" % (target, len(names), size))
    print("total %d bytes" % total)

SHARED_SEEDS = os.path.join(HERE, "corpus-from-repo.tsv")

def dedupe():
    """Seeds that are byte-for-byte a file the repository already keeps (a test fixture, a gold
    document) are not stored twice: each becomes a line `target<TAB>seed name<TAB>repository path`
    in corpus-from-repo.tsv, and Fuzz/run.sh copies them into its seed folder before a campaign or
    a replay."""
    import subprocess
    tracked = subprocess.run(["git", "-C", REPO, "ls-files", "-z"], capture_output=True, check=True).stdout
    by_hash = {}
    for path in sorted(tracked.decode().split("\0")):
        full = os.path.join(REPO, path)
        if path and not path.startswith("Fuzz/corpus/") and os.path.isfile(full):
            by_hash.setdefault(hashlib.sha256(read(full, None)).hexdigest(), path)
    lines = []
    for target in sorted(os.listdir(OUT)):
        for name in sorted(os.listdir(os.path.join(OUT, target))):
            seed = os.path.join(OUT, target, name)
            source = by_hash.get(hashlib.sha256(read(seed, None)).hexdigest())
            if source:
                lines.append("%s\t%s\t%s\n" % (target, name, source))
                os.remove(seed)
    with open(SHARED_SEEDS, "w") as f:
        f.write("# Seeds kept elsewhere in the repository (Fuzz/make_seeds.py writes this; Fuzz/run.sh reads it)\n")
        f.writelines(lines)

if __name__ == "__main__":
    if sys.argv[1:] == ["--dedupe"]:
        dedupe()
    else:
        main()
