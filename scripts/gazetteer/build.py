#!/usr/bin/env python3
"""Compile the shipped agency gazetteer for SluiceExtract.

Reads the FOIA.gov agency and component lists, the 18F FOIA contact files, the
congressional committee list under corpus/gazetteer/, and the agencies the
corpus's Federal Register and CFR XML name (AGENCY/SUBAGY elements, chapter
headings), and writes
Sources/SluiceExtract/Resources/agencies.tsv in the user-gazetteer format
(see Sources/SluiceExtract/Gazetteer.swift):

    kind <TAB> name <TAB> acronym <TAB> parent <TAB> variants (separated by "|")

kind is "agency" or "program"; empty columns mean none. Rows are sorted, so
re-running on the same input gives the same file.

Usage: scripts/gazetteer/build.py [CORPUS_GAZETTEER_DIR] [OUTPUT_TSV]
Needs PyYAML for the 18F and committee files.
"""
import html
import json
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared", "corpus", "gazetteer")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, "Sources", "SluiceExtract", "Resources", "agencies.tsv")

# Bodies the FOIA lists leave out (legislative and judicial branch, the
# Executive Office of the President) and short names in common use. Each is
# general knowledge, not tied to any document.
EXTRA = [
    ("Congress", "", "", ["U.S. Congress", "United States Congress"]),
    ("U.S. Senate", "", "Congress", ["United States Senate", "Senate"]),
    ("U.S. House of Representatives", "", "Congress", ["United States House of Representatives", "House of Representatives"]),
    ("Government Accountability Office", "GAO", "Congress", ["General Accounting Office"]),
    ("Congressional Budget Office", "CBO", "Congress", []),
    ("Library of Congress", "LOC", "Congress", []),
    ("Government Publishing Office", "GPO", "Congress", ["Government Printing Office"]),
    ("Congressional Research Service", "CRS", "Library of Congress", []),
    ("White House", "", "", []),
    ("Executive Office of the President", "EOP", "", []),
    ("Supreme Court", "", "", ["U.S. Supreme Court", "United States Supreme Court", "Supreme Court of the United States"]),
    ("Federal Reserve System", "FRB", "", ["Federal Reserve", "Federal Reserve Board", "Board of Governors of the Federal Reserve System"]),
    ("Department of State", "DOS", "", ["State Department", "U.S. Department of State"]),
    ("Department of Labor", "DOL", "", []),
    ("Consumer Product Safety Commission", "CPSC", "", []),
    ("Railroad Retirement Board", "RRB", "", []),
    ("U.S. African Development Foundation", "USADF", "", []),
    ("Immigration and Naturalization Service", "INS", "Department of Justice", []),
]
# Short names of the military departments, and acronyms in wider use than the
# FOIA list's own abbreviation.
EXTRA_VARIANTS = {
    "Department of the Navy": ["Navy", "U.S. Navy"],
    "Department of the Army": ["Army", "U.S. Army"],
    "Department of the Air Force": ["Air Force", "U.S. Air Force"],
    "Department of the Treasury": ["Treasury", "Treasury Department"],
    "Department of Veterans Affairs": ["Veterans Administration", "DVA"],
    "Bureau of Alcohol, Tobacco, Firearms, and Explosives": ["Bureau of Alcohol, Tobacco and Firearms"],
}
EXTRA_ACRONYMS = {
    "U.S. Patent and Trademark Office": "USPTO",
    "Department of Veterans Affairs": "VA",
    "Department of the Navy": "",
    "Department of the Army": "",
    "Department of the Air Force": "",
}

def clean(name):
    name = html.unescape(name or "").replace("\u2019", "'").strip()
    name = re.sub(r"\s*\((formerly|also)[^)]*\)", "", name)
    name = re.sub(r"\s+", " ", name).replace(" & ", " and ")
    # "Internal Revenue Service - Headquarters Office": the body is the part before the dash.
    # "The Authority, Office of the Solicitor": the office, named without "the".
    if name.startswith("The ") and ", " in name:
        name = name.split(", ", 1)[1]
    if name.startswith("The "):
        name = name[4:]
    m = re.match(r"^(.+?)\s+[-\u2013]\s+.+$", name)
    if m and len(m.group(1).split()) >= 3:
        name = m.group(1)
    return name

def real_acronym(acr, name):
    """The list's abbreviation where it is a real acronym, else empty."""
    acr = html.unescape(acr or "").strip()
    if not acr or " " in acr or len(acr) > 12 or acr.lower().startswith("select"):
        return ""
    if sum(1 for c in acr if c.isupper()) < 2:
        return ""
    words = set(w.lower() for w in re.findall(r"[A-Za-z]+", name))
    if acr.lower() in words:           # "TAX" for Tax Division, "NAVY"
        return ""
    return acr

def junk(name):
    return (not name or name.lower().startswith("select ") or "component for me" in name
            or len(name.split()) < 2 and name not in ("Congress",))

def variants(name):
    out = set()
    for pre in ("U.S. ", "United States ", "US "):
        if name.startswith(pre) and len(name.split()) > 2:
            out.add(name[len(pre):])
    m = re.match(r"^Department of (the )?([A-Z][a-z]+)$", name)
    if m:
        out.add(m.group(2) + " Department")
    return out

rows = {}   # (name, parent) -> [acronym, variants]

def fold(name):
    s = re.sub(r"^(the |u\.s\. |us |united states )+", "", name.lower())
    return " ".join(re.findall(r"[a-z0-9]+", s))

seen = {}  # (folded name, parent) -> (name, parent): "US Marine Corps" is "U.S. Marine Corps"

def add(name, acr, parent, extra=()):
    name = clean(name)
    parent = clean(parent) if parent else ""
    if junk(name) or name == parent:
        return
    key = seen.setdefault((fold(name), parent), (name, parent))
    if key[0] != name:
        extra = set(extra) | {name}
    acr = real_acronym(acr, name)
    if key not in rows:
        rows[key] = ["", set()]
    if acr and not rows[key][0]:
        rows[key][0] = acr
    rows[key][1] |= variants(name) | set(extra)

agencies = json.load(open(os.path.join(SRC, "foia-gov-agencies", "drupal-agencies.json")))
top_by_abbr = {}
for a in agencies:
    top_by_abbr[a["field_agency_abbreviation"]] = clean(a["name"])
    add(a["name"], a["field_agency_abbreviation"], "")
for c in json.load(open(os.path.join(SRC, "foia-gov-agencies", "drupal-agency-components.json"))):
    parent = clean(c["name"])
    if clean(c["title"]) == parent:
        continue
    add(c["title"], c["field_agency_comp_abbreviation"], parent)

contacts = os.path.join(SRC, "18f-foia-contacts")
for fn in sorted(os.listdir(contacts)):
    if not fn.endswith(".yaml"):
        continue
    d = yaml.safe_load(open(os.path.join(contacts, fn))) or {}
    top = top_by_abbr.get(d.get("abbreviation")) or clean(d.get("name"))
    if top not in (k[0] for k in rows):
        add(top, d.get("abbreviation"), "")
    for dep in d.get("departments") or []:
        if clean(dep.get("name")) != top:
            add(dep.get("name"), dep.get("abbreviation"), top)

for c in yaml.safe_load(open(os.path.join(SRC, "congress-committees", "committees-current.yaml"))):
    parent = {"house": "U.S. House of Representatives", "senate": "U.S. Senate"}.get(c.get("type"), "Congress")
    add(c["name"], "", parent)

# Agencies the corpus's Federal Register and CFR XML name: <AGENCY> (a department or independent agency)
# and <SUBAGY> (its component, the AGENCY before it being the parent); CFR chapter headings name the
# agency a chapter belongs to. Only names no list above has are added.
SMALL = {"of", "and", "the", "for", "on", "in", "to", "a", "an", "at", "by"}
BODY = re.compile(r"\b(DEPARTMENT|COMMISSION|AGENCY|BUREAU|OFFICE|ADMINISTRATION|SERVICE|BOARD|COUNCIL|CORPORATION|FOUNDATION|AUTHORITY|INSTITUTE)\b")

def title_case(caps):
    words = caps.split()
    out = []
    for i, w in enumerate(words):
        lw = w.lower()
        if i > 0 and lw in SMALL:
            out.append(lw)
        elif "." in w and w.isupper():      # "U.S."
            out.append(w)
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)

known = {fold(name) for (name, _parent) in rows} | {fold(v) for row in rows.values() for v in row[1]}

def add_named(name, parent):
    name = re.sub(r"\s+", " ", html.unescape(name)).strip().rstrip(".")
    if name.isupper():
        name = title_case(name)
    if parent and parent.isupper():
        parent = title_case(parent)
    if not name or fold(name) in known or not BODY.search(name.upper()):
        return
    known.add(fold(name))
    add(name, "", parent or "")

CORPUS = os.path.dirname(os.path.normpath(SRC))
for folder in ("federal-register-xml", "cfr-xml"):
    for dirpath, dirnames, filenames in os.walk(os.path.join(CORPUS, folder)):
        dirnames.sort()
        for fn in sorted(filenames):
            if not fn.endswith(".xml"):
                continue
            text = open(os.path.join(dirpath, fn), encoding="utf-8", errors="replace").read()
            agency = ""
            for m in re.finditer(r"<(AGENCY|SUBAGY)\b[^>]*>([^<]+)</\1>", text):
                if m.group(1) == "AGENCY":
                    agency = m.group(2).strip()
                    add_named(agency, "")
                elif agency:
                    add_named(m.group(2), agency)
            for m in re.finditer(r"<HD[^>]*>\s*CHAPTER [IVXLC]+\s*[\u2014-]+\s*([^<]+)</HD>", text):
                heading = re.sub(r"\s*\(CONTINUED\)\s*$", "", m.group(1).strip())
                # "BUREAU OF ALCOHOL, TOBACCO, FIREARMS, AND EXPLOSIVES, DEPARTMENT OF JUSTICE"
                parts = re.split(r",\s*(?=DEPARTMENT OF )", heading)
                add_named(parts[0], parts[1] if len(parts) > 1 else "")

for name, acr, parent, extra in EXTRA:
    add(name, acr, parent, extra)
top_acronyms = {row[0] for (name, parent), row in rows.items() if not parent}
for (name, parent), row in rows.items():
    if parent and row[0] in top_acronyms:   # "Departmental Offices" listed as "DOC"
        row[0] = ""
for (name, parent), row in rows.items():
    row[1] |= set(EXTRA_VARIANTS.get(name, []))
    if name in EXTRA_ACRONYMS:
        row[0] = EXTRA_ACRONYMS[name]

with open(OUT, "w", encoding="utf-8") as f:
    f.write("# kind\tname\tacronym\tparent\tvariants — generated by scripts/gazetteer/build.py; do not edit\n")
    for (name, parent), (acr, var) in sorted(rows.items()):
        var = sorted(v for v in var if v != name)
        f.write("\t".join(["agency", name, acr, parent, "|".join(var)]) + "\n")
print(f"{len(rows)} agencies -> {OUT}")
