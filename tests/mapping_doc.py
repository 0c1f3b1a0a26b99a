#!/usr/bin/env python3
"""docs/mapping.md must be exactly what `sysmon2qql --list-mappings` prints.

Usage: mapping_doc.py SYSMON2QQL docs/mapping.md
Regenerate with: sysmon2qql --list-mappings > docs/mapping.md
"""
import difflib
import subprocess
import sys

binary, doc = sys.argv[1], sys.argv[2]
p = subprocess.run([binary, "--list-mappings"], capture_output=True,
                   text=True)
if p.returncode != 0 or p.stderr:
    print("--list-mappings failed: %d %s" % (p.returncode, p.stderr))
    sys.exit(1)
with open(doc, encoding="utf-8") as f:
    want = f.read()
if want != p.stdout:
    sys.stdout.writelines(difflib.unified_diff(
        want.splitlines(True), p.stdout.splitlines(True), doc,
        "--list-mappings"))
    print("0 passed, 1 failed")
    sys.exit(1)
print("1 passed, 0 failed")
