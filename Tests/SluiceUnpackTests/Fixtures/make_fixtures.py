#!/usr/bin/env python3
"""Rebuilds the archive fixtures from the real corpus files in the shared fixture corpus
(Tests/Fixtures/corpus) and originals/ (the one CSV only these tests use).

Deterministic: fixed mtimes, gzip mtime 0. Run from this folder:
    python3 make_fixtures.py
"""
import gzip, io, tarfile, zipfile

CORPUS = '../../Fixtures/corpus/'
PLACES = {
    'hres9-112.xml': 'congress-xml/govtrack/', 'hconres74-112.xml': 'congress-xml/govtrack/',
    'hres240-109.xml': 'congress-xml/govtrack/', 'sample_hearing.xml': 'congress-xml/hearings/',
    'sample_witness.xml': 'congress-xml/hearings/', 'oip-100512.html': 'agency-html/doj-oip/',
}
MT = 1700000000


def rd(name):
    path = CORPUS + PLACES[name] + name if name in PLACES else 'originals/' + name
    return open(path, 'rb').read()


def tarinfo(name, data):
    ti = tarfile.TarInfo(name)
    ti.size, ti.mtime, ti.mode, ti.uname, ti.gname = len(data), MT, 0o644, '', ''
    return ti


def tgz(path, members):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode='w', format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            t.addfile(tarinfo(name, data), io.BytesIO(data))
    with open(path, 'wb') as f:
        f.write(gzip.compress(raw.getvalue(), mtime=0))


# 1. a tar.gz of real corpus files, including a CSV that must be skipped
tgz('foia-mix.tar.gz', [('reports/hres9-112.xml', rd('hres9-112.xml')),
                        ('reports/sample_hearing.xml', rd('sample_hearing.xml')),
                        ('pages/oip-100512.html', rd('oip-100512.html')),
                        ('data/subsection-c-used.csv', rd('subsection-c-used.csv'))])

# 2. one real XML split over three gzip members
d = rd('sample_witness.xml')
a = len(d) // 3
with open('split.xml.gz', 'wb') as f:
    for part in (d[:a], d[a:2 * a], d[2 * a:]):
        f.write(gzip.compress(part, mtime=0))

# 3. a tgz holding a zip (deflated + stored members), a .xml.gz and a loose XML
zb = io.BytesIO()
with zipfile.ZipFile(zb, 'w') as z:
    zi = zipfile.ZipInfo('inner/hconres74-112.xml', (2020, 1, 1, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(zi, rd('hconres74-112.xml'))
    zi = zipfile.ZipInfo('inner/oip-100512.html', (2020, 1, 1, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_STORED
    z.writestr(zi, rd('oip-100512.html'))
tgz('nested.tgz', [('bundle/inner.zip', zb.getvalue()),
                   ('bundle/hres240-109.xml.gz', gzip.compress(rd('hres240-109.xml'), mtime=0)),
                   ('top.xml', rd('sample_hearing.xml'))])

# 4. a zip whose ASCII name carries an Info-ZIP Unicode Path extra field (0x7075)
import struct, zlib
zb = io.BytesIO()
with zipfile.ZipFile(zb, 'w') as z:
    legacy = b'Resume-2019.xml'
    unicode_name = 'Résumé-2019.xml'.encode('utf-8')
    body = b'\x01' + struct.pack('<I', zlib.crc32(legacy)) + unicode_name
    zi = zipfile.ZipInfo(legacy.decode('ascii'), (2020, 1, 1, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.extra = struct.pack('<HH', 0x7075, len(body)) + body
    z.writestr(zi, rd('sample_witness.xml'))
open('unicode-path.zip', 'wb').write(zb.getvalue())
