#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Checks JSON documents against Documentation/nstree.schema.json: those that
# nstree-json-sample prints, and `nstree ls -J --output-all` on this host.
#   validate_json.py SCHEMA SAMPLE_BINARY NSTREE_BINARY
import json
import subprocess
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
docs = []
sample = subprocess.run([sys.argv[2]], check=True, capture_output=True, text=True).stdout
docs += [d for d in sample.split("\x1e") if d.strip()]
for args in (["ls", "-J", "--output-all"], ["ls", "-J", "-T", "-o", "NS,TYPE"]):
    run = subprocess.run([sys.argv[3]] + args, capture_output=True, text=True)
    if run.returncode not in (0, 2):
        sys.exit(f"nstree {' '.join(args)} exited {run.returncode}: {run.stderr}")
    docs.append(run.stdout)
for i, d in enumerate(docs):
    doc = json.loads(d)
    jsonschema.validate(doc, schema)
    print(f"document {i}: {len(doc['namespaces'])} namespaces, valid")
# The sample's fixed points: null for missing, [] for empty lists, quoting intact.
first = json.loads(docs[0])
ghost = first["namespaces"][2]
assert ghost["ns"] is None and ghost["pid"] is None and ghost["holder"] == [], ghost
assert first["namespaces"][0]["command"] == "/sbin/init [null]", first["namespaces"][0]
assert first["notices"] == ['a "quoted" notice']
owner_tree = json.loads(docs[1])
assert owner_tree["namespaces"][0]["children"][0]["id"] == 4100, owner_tree
