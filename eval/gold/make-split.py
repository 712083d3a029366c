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

Usage: eval/gold/make-split.py [--shared-gold DIR]   (prints the split too)
"""
import argparse
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


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
    groups = sorted({d["group"] for d in docs}, key=lambda g: hashlib.sha256(g.encode()).hexdigest())
    half_of = {g: ("tuning" if i % 2 == 0 else "held-back") for i, g in enumerate(groups)}
    for d in docs:
        d["half"] = half_of[d["group"]]
    docs.sort(key=lambda d: (d["half"], d["origin"], d["file"]))
    split = {
        "method": "group key = file name without extensions; groups ordered by SHA-256 of the key and dealt "
                  "alternately to tuning and held-back, starting with tuning (eval/gold/make-split.py)",
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
