#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print each failed test case of a Catch2 JUnit report: its name, then its failure text.

CI keeps only the test command's output, so a summary line that says "failed=1" must
be followed by which case failed and at which assertion.
"""
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    sys.exit(0)
for case in root.iter("testcase"):
    for bad in list(case.iter("failure")) + list(case.iter("error")):
        print(f"FAILED: {case.get('name')}")
        text = (bad.text or bad.get("message") or "").strip().splitlines()
        for line in text[:12]:
            print(f"    {line}")
