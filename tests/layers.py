"""Fails when a source file includes a header of a layer above its own (ctest: layers).

Layers, lowest first (docs/ARCHITECTURE.md): a file may include headers of its own layer and
of the layers below it, never above; web and api stand side by side and include neither
each other.

    core < ops < store < stats < text < notify < app < http < video < web, api < main (src/main.cpp)

    /usr/bin/python3 tests/layers.py [source root, default ../src]
"""

import os
import re
import sys

ORDER = [["core"], ["ops"], ["store"], ["stats"], ["text"], ["notify"], ["app"], ["http"],
         ["video"], ["web", "api"], ["main"]]
RANK = {layer: rank for rank, layers in enumerate(ORDER) for layer in layers}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def layer_of(rel):
    """'web/page.cpp' -> 'web'; 'main.cpp' -> 'main'."""
    return rel.split("/", 1)[0] if "/" in rel else "main"


def check(src):
    problems = []
    for folder, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".cpp", ".hpp", ".h")):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, src).replace(os.sep, "/")
            own = layer_of(rel)
            if own not in RANK:
                problems.append("%s: folder %r is in no layer (add it to tests/layers.py and "
                                "docs/ARCHITECTURE.md)" % (rel, own))
                continue
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for included in INCLUDE.findall(text):
                if "/" not in included:
                    continue  # a file beside it, same layer
                target = layer_of(included)
                if target not in RANK:
                    problems.append("%s includes %s: no such layer" % (rel, included))
                elif RANK[target] > RANK[own] or (RANK[target] == RANK[own] and target != own):
                    problems.append("%s (%s) includes %s (%s): a layer %s" % (
                        rel, own, included, target,
                        "above it" if RANK[target] > RANK[own] else "beside it"))
    return problems


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "src")
    problems = check(src)
    for p in problems:
        print(p)
    print("layers: %d problem(s); order: %s" % (
        len(problems), " < ".join(", ".join(layers) for layers in ORDER)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
