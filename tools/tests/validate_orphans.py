#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# nstree orphans' JSON against Documentation/nstree-orphans.schema.json and its
# Prometheus output through Debian's python3-prometheus-client text parser: the
# made-up report of nstree-orphans-sample (exact numbers), then the real command on
# this host (--format prometheus, -J, and --textfile's file).
#   validate_orphans.py SCHEMA SAMPLE_BINARY NSTREE_BINARY
import json
import os
import subprocess
import sys
import tempfile

import jsonschema
from prometheus_client.parser import text_string_to_metric_families

schema = json.load(open(sys.argv[1]))
sample_json, sample_prom, empty_json = subprocess.run(
    [sys.argv[2]], check=True, capture_output=True, text=True).stdout.split("\x1e")


def metrics(text):
    """{(name, frozenset(labels)): value}, every family typed and documented."""
    out = {}
    for fam in text_string_to_metric_families(text):
        assert fam.documentation, f"{fam.name} has no HELP"
        assert fam.type == "gauge", f"{fam.name} is {fam.type}"
        assert fam.name.startswith("nstree_"), fam.name
        for s in fam.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


for doc in (sample_json, empty_json):
    jsonschema.validate(json.loads(doc), schema)
doc = json.loads(sample_json)
assert [o["kind"] for o in doc["orphans"]] == ["superblock", "namespace", "superblock", "superblock", "mount"], doc
seed = doc["orphans"][0]
assert seed["used_bytes"] == 64 << 20 and seed["pinned_memory_bytes"] == 64 << 20, seed
assert seed["holders"][0] == {**seed["holders"][0], "what": "fd", "pid": 812, "fd": 7, "path": "/small"}
assert seed["holders"][1]["what"] == "map" and seed["holders"][1]["end"] - seed["holders"][1]["start"] == 4096
assert [h["what"] for h in seed["holders"][2:]] == ["inflight", "io_uring", "unix_bound"], seed
assert seed["holders"][2]["fd"] == 7 and seed["holders"][2]["inode"] == 12 and seed["holders"][2]["path"] == ""
assert seed["holders"][3]["index"] == 2 and seed["holders"][3]["access"] == "rw"
assert seed["holders"][4]["path"] == "/run/app/sock" and seed["holders"][4]["access"] is None
swapped = doc["orphans"][3]
assert swapped["holders"][0]["what"] == "swap" and swapped["holders"][0]["path"] == "/swapfile", swapped
assert swapped["at_risk"] and not swapped["unexplained"], swapped
assert any("swapoff needs a path to the file: mount /dev/loop1 again" in r for r in swapped["remedies"]), swapped
assert doc["orphans"][2]["at_risk"] and doc["orphans"][2]["unexplained"]
assert any("data at risk" in r for r in doc["orphans"][2]["remedies"])
assert any("unmount /run/ns/a" in r for r in doc["orphans"][1]["remedies"]), doc["orphans"][1]
assert doc["orphans"][1]["source"] == "we\"ird\\name\nline"

m = metrics(sample_prom)
seed_labels = frozenset({"kind": "superblock", "dev": "0:52", "fstype": "tmpfs", "source": "tmpfs"}.items())
odd_labels = frozenset({"kind": "namespace", "dev": "0:60", "fstype": "tmpfs", "source": "we\"ird\\name\nline"}.items())
disk_labels = frozenset({"kind": "superblock", "dev": "7:0", "fstype": "ext4", "source": "loop0"}.items())
assert m[("nstree_orphan_pinned_memory_bytes", seed_labels)] == 64 << 20
assert m[("nstree_orphan_used_bytes", odd_labels)] == 4096
assert m[("nstree_orphans_pinned_memory_bytes", frozenset())] == (64 << 20) + 4096
assert m[("nstree_orphans", frozenset({"kind": "superblock"}.items()))] == 3
assert m[("nstree_orphans", frozenset({"kind": "mount"}.items()))] == 1
assert m[("nstree_orphan_holders", seed_labels)] == 5
assert m[("nstree_orphan_data_at_risk", disk_labels)] == 1
assert m[("nstree_orphan_unexplained", disk_labels)] == 1
assert m[("nstree_orphans_scan_duration_seconds", frozenset())] == 0.25
print(f"sample: {len(m)} samples parsed, values as planted")

# The real command on this host.
run = subprocess.run([sys.argv[3], "orphans", "-J"], capture_output=True, text=True)
assert run.returncode in (0, 2), run
jsonschema.validate(json.loads(run.stdout), schema)
run = subprocess.run([sys.argv[3], "orphans", "--format", "prometheus"], capture_output=True, text=True)
assert run.returncode in (0, 2), run
host = metrics(run.stdout)
assert ("nstree_orphans_partial", frozenset()) in host
with tempfile.TemporaryDirectory() as d:
    run = subprocess.run([sys.argv[3], "orphans", "--textfile", d], capture_output=True, text=True)
    assert run.returncode in (0, 2), run
    assert os.listdir(d) == ["nstree_orphans.prom"], os.listdir(d)
    metrics(open(os.path.join(d, "nstree_orphans.prom")).read())
    bad = subprocess.run([sys.argv[3], "orphans", "--textfile", os.path.join(d, "missing")],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "--textfile" in bad.stderr, bad
print(f"host: {len(host)} samples parsed; textfile written atomically")
