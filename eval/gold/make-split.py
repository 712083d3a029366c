#!/usr/bin/env python3
"""Write eval/gold/split.json: which gold documents tune the extractors and
which are held back.

The split is made once, before any rule changes, and is deterministic: every
gold document (the 13 of ../shared/corpus/gold and the ones under
eval/gold/annotations) gets a group key, the file name without its
extensions ("hres9-112" for both thomas-loc/hres9-112.html and
govtrack/hres9-112.xml, so two renderings of one bill never straddle the
halves). Groups are ordered by SHA-256 of the key and dealt alternately to
"tuning" and "held-back", starting with tuning.

Documents annotated after the split was made (issue #18's second, third and fourth
rounds, chosen because they name programs) are added to the tuning half only:
their folders or exact annotation paths are listed in TUNING_ONLY and they take no part in the deal, so the held-back
half stays exactly as it was first drawn.

Usage: eval/gold/make-split.py [--shared-gold DIR]   (prints the split too)
"""
import argparse
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


# Gold added after the first split, for tuning only (annotation paths under eval/gold/annotations):
# a folder (ending in "/") takes every annotation under it, any other entry one exact annotation path.
TUNING_ONLY = (
    "federal-register-xml/daily-issue-notices/",          # second and fourth rounds (#18)
    "congress-xml/govtrack/hr6331-110.xml.json",          # third round (#18)
    "agency-html/thomas-loc/hr6331-110.html.json",
    "agency-html/foia-gov-2011/news-spotlight.html.json",
    "agency-html/doj-oip/oip-100729.html.json",
)


def tuning_only(gold):
    return any(gold.startswith(t) if t.endswith("/") else gold == t for t in TUNING_ONLY)


def group_key(corpus_path):
    base = os.path.basename(corpus_path)
    return base.split(".")[0]


def gold_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            if fn.endswith(".json") and not fn.startswith("."):
                out.append(os.path.join(dirpath, fn))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared-gold", default=os.path.join(REPO, "..", "shared", "corpus", "gold"))
    args = ap.parse_args()
    docs = []
    for origin, root in (("shared", os.path.normpath(args.shared_gold)), ("eval", os.path.join(HERE, "annotations"))):
        for path in gold_files(root):
            with open(path) as fh:
                file = json.load(fh)["file"]
            gold = os.path.relpath(path, root)
            docs.append({"origin": origin, "gold": gold, "file": file, "group": group_key(file)})
    def added(d):
        return d["origin"] == "eval" and tuning_only(d["gold"])

    dealt = {d["group"] for d in docs if not added(d)}
    groups = sorted(dealt, key=lambda g: hashlib.sha256(g.encode()).hexdigest())
    half_of = {g: ("tuning" if i % 2 == 0 else "held-back") for i, g in enumerate(groups)}
    for d in docs:
        if added(d):
            if d["group"] in dealt:
                raise SystemExit("make-split: %s shares its group with a dealt document" % d["file"])
            d["half"] = "tuning"
        else:
            d["half"] = half_of[d["group"]]
    docs.sort(key=lambda d: (d["half"], d["origin"], d["file"]))
    split = {
        "method": "group key = file name without extensions; groups ordered by SHA-256 of the key and dealt "
                  "alternately to tuning and held-back, starting with tuning (eval/gold/make-split.py); gold "
                  "added later under " + ", ".join(TUNING_ONLY) + " is tuning only and not dealt",
        "origins": {"shared": "../shared/corpus/gold (gold files) and ../shared/corpus (documents)",
                    "eval": "eval/gold/annotations (gold files) and eval/gold/docs or ../shared/corpus (documents)"},
        "documents": docs,
    }
    with open(os.path.join(HERE, "split.json"), "w") as fh:
        json.dump(split, fh, indent=1)
        fh.write("\n")
    for half in ("tuning", "held-back"):
        sel = [d for d in docs if d["half"] == half]
        print("%s: %d documents" % (half, len(sel)))
        for d in sel:
            print("  %-6s %s" % (d["origin"], d["file"]))


if __name__ == "__main__":
    main()
