#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The commands of Documentation/admin-guide.md that run where WHERE says.

    guide-blocks.py GUIDE WHERE      print them, block after block, as a script

A block runs when the line before its ```sh fence is "<!-- run: WHERE -->"
(host-install, guest, host-remove). The test command runs them word for word
(scripts/test-packages.sh); nothing else is changed in them.
"""
import re
import sys


def blocks(path, where):
    out, want, inside = [], False, False
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^<!-- run: ([\w-]+) -->\s*$", line)
        if m:
            want = m.group(1) == where
            continue
        if line.startswith("```sh") and want:
            inside = True
            out.append(f"# --- {path} ---\n")
            continue
        if line.startswith("```") and inside:
            inside = want = False
            continue
        if inside:
            out.append(line)
        elif line.strip():
            want = False
    return out


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    found = blocks(sys.argv[1], sys.argv[2])
    if not found:
        sys.exit(f"{sys.argv[1]}: no block runs on {sys.argv[2]}")
    sys.stdout.writelines(found)
