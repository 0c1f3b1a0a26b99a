#!/usr/bin/env python3
"""Run sysmon2qql over the public corpus in ../shared/corpus.

Usage: corpus.py SYSMON2QQL CORPUS_DIR

For every *.jsonl file in CORPUS_DIR/evtx (one record per line):
- the run exits 0 with no error on standard error;
- it writes exactly one line per input record, each a JSON object;
- nothing is lost: every EventData value that is not a placeholder
  appears in the output record, as a token value (converted or not) or as
  a leftover under its own name.
Exits 77 (skipped) when CORPUS_DIR does not exist.
"""
import ipaddress
import json
import os
import re
import subprocess
import sys

FOLDERS = ["evtx"]
HASH_PAIR = re.compile(r"^\s*([A-Za-z0-9]+)\s*=\s*([0-9A-Fa-f]+)\s*$")


def is_placeholder(v):
    return v is None or (isinstance(v, str) and v.strip(" ") in ("", "-"))


def as_text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    return str(v)


def forms(name, v):
    """Every text the value may legitimately appear as in the output."""
    t = as_text(v)
    out = {t, t.upper(), t.lower()}
    m = re.fullmatch(r"\{?([0-9A-Fa-f-]{36})\}?", t)
    if m:
        out.add("{" + m.group(1).lower() + "}")
    if re.fullmatch(r"0[xX][0-9A-Fa-f]+", t):
        out.add("0x%x" % int(t, 16))
    if re.fullmatch(r"[0-9]+", t):
        out.add("0x%x" % int(t))
    m = re.fullmatch(r"(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?Z?", t)
    if m:
        frac = (m.group(3) or ".")[1:4].ljust(3, "0")
        out.add("%sT%s.%sZ" % (m.group(1), m.group(2), frac))
    try:
        ip = ipaddress.ip_address(t)
        out.add(ip.compressed)
        if ip.version == 6 and ip.ipv4_mapped:
            out.add(str(ip.ipv4_mapped))
    except ValueError:
        pass
    return out


def hash_parts(v):
    """The hex parts of a hash list, or None when it is not one."""
    parts = []
    for piece in v.split(","):
        m = HASH_PAIR.match(piece)
        if not m:
            return None
        parts.append(m.group(2).upper())
    return parts


def lost_values(record, out):
    event = record.get("Event", {})
    data = event.get("EventData") or {}
    if isinstance(data, dict) and isinstance(data.get("Data"), list):
        data = {d.get("@Name") or d.get("Name"): d.get("#text")
                for d in data["Data"]}
    values = {as_text(x) for x in out.values()}
    lost = []
    for name, v in data.items():
        if is_placeholder(v):
            continue
        if name in out and out[name] in forms(name, v):
            continue
        if forms(name, v) & values:
            continue
        if isinstance(v, str):
            parts = hash_parts(v)
            if parts and all(p in values or set(p) == {"0"} for p in parts):
                continue
        lost.append("%s=%r" % (name, v))
    return lost


def check_file(binary, path):
    with open(path, "rb") as f:
        records = [json.loads(x) for x in f.read().splitlines() if x.strip()]
    p = subprocess.run([binary, path], capture_output=True)
    errors = []
    if p.returncode != 0:
        errors.append("exit status %d" % p.returncode)
    if b"error:" in p.stderr:
        errors.append("errors: %s" % p.stderr.decode()[:500])
    lines = p.stdout.splitlines()
    if len(lines) != len(records):
        errors.append("%d records in, %d lines out" %
                      (len(records), len(lines)))
        return errors, len(records)
    for n, (rec, line) in enumerate(zip(records, lines), 1):
        out = json.loads(line)
        if not isinstance(out, dict):
            errors.append("line %d: not an object" % n)
            continue
        lost = lost_values(rec, out)
        if lost:
            errors.append("line %d lost %s" % (n, ", ".join(lost)))
    return errors, len(records)


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    if not os.path.isdir(corpus):
        print("corpus %s not found: skipped" % corpus)
        return 77
    passed = failed = 0
    for folder in FOLDERS:
        d = os.path.join(corpus, folder)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            if not name.endswith(".jsonl"):
                continue
            errors, n = check_file(binary, os.path.join(d, name))
            label = "%s/%s (%d records)" % (folder, name, n)
            if errors:
                failed += 1
                print("FAIL " + label)
                for e in errors[:20]:
                    print("     " + e)
            else:
                passed += 1
                print("ok   " + label)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
