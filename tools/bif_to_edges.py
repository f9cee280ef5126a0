#!/usr/bin/env python3
"""bif_to_edges.py: the DAG of a BIF network as an edge list.

Reads the `probability ( X | A, B )` headers of a BIF file and writes one line "A X" per
arc (parent, then child), in the order of the probability blocks and of the parents inside
each block. Only the structure is read; tables are ignored. Standard library only.

    python3 tools/bif_to_edges.py NETWORK.bif > NETWORK.edges
    python3 tools/bif_to_edges.py --all SRC_DIR DEST_DIR   # every *.bif in SRC_DIR
"""
import os
import re
import sys

HEADER = re.compile(r"probability\s*\(\s*([^|)]+?)\s*(?:\|\s*([^)]*?))?\s*\)")


def arcs(text):
    """(parent, child) pairs of a BIF text, in file order."""
    out = []
    for m in HEADER.finditer(text):
        child = m.group(1).strip()
        parents = [p.strip() for p in (m.group(2) or "").split(",") if p.strip()]
        out.extend((p, child) for p in parents)
    return out


def convert(path):
    with open(path, encoding="ascii") as f:
        return "".join(f"{a} {b}\n" for a, b in arcs(f.read()))


def main(argv):
    if len(argv) == 4 and argv[1] == "--all":
        for name in sorted(os.listdir(argv[2])):
            if name.endswith(".bif"):
                dest = os.path.join(argv[3], name[:-4] + ".edges")
                with open(dest, "w", encoding="ascii") as f:
                    f.write(convert(os.path.join(argv[2], name)))
        return 0
    if len(argv) == 2:
        sys.stdout.write(convert(argv[1]))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
