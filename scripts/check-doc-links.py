#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Broken references in README.md and Documentation/*.md, for the test command.

Checked: every relative Markdown link [text](target) (the file, and a #heading in
a Markdown file), and every path of this tree written in backquotes (`module/x.c`,
`scripts/run-vm.sh`, `Documentation/orphans.md`...): each must exist. Exits 1 and
names each broken one.
"""
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TOP_DIRS = ("module/", "tools/", "scripts/", "selftests/", "Documentation/", "debian/", "packaging/", "bench/",
            ".ci/")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|!\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\s]+)`")


def anchors(path):
    """GitHub-style anchors of the headings of a Markdown file."""
    out = set()
    in_code = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        text = line.lstrip("#").strip().lower()
        text = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
        out.add(text)
    return out


def check(doc):
    bad = []
    base = os.path.dirname(doc)
    in_code = False
    for n, line in enumerate(open(doc, encoding="utf-8"), 1):
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        for m in LINK.finditer(line):
            target = m.group(1) or m.group(2)
            if re.match(r"^[a-z]+:", target):
                continue  # http:, https:, mailto:
            path, _, anchor = target.partition("#")
            full = os.path.normpath(os.path.join(base, path)) if path else doc
            if not os.path.exists(full):
                bad.append(f"{doc}:{n}: link to {target}: no such file")
            elif anchor and full.endswith(".md") and anchor not in anchors(full):
                bad.append(f"{doc}:{n}: link to {target}: no such heading")
        for m in CODE.finditer(line):
            word = m.group(1).rstrip(".,;:")
            if not word.startswith(TOP_DIRS) or any(c in word for c in "*?$<>{}[]|"):
                continue
            path = word.split(":")[0]  # file.c:123
            if not os.path.exists(os.path.join(ROOT, path)):
                bad.append(f"{doc}:{n}: `{word}`: no such path in the tree")
    return bad


def main():
    docs = [os.path.join(ROOT, "README.md")]
    ddir = os.path.join(ROOT, "Documentation")
    docs += sorted(os.path.join(ddir, f) for f in os.listdir(ddir) if f.endswith(".md"))
    bad = [b for d in docs for b in check(d)]
    for b in bad:
        print(os.path.relpath(b.split(":")[0], ROOT) + ":" + b.split(":", 1)[1])
    print(f"{len(docs)} documents, {len(bad)} broken references", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
