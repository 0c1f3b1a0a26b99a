#!/usr/bin/env python3
"""The man page's OPTIONS section must name every long option that
`sysmon2qql --help` prints, and no other.

Usage: manpage.py SYSMON2QQL docs/sysmon2qql.1
Each long option is one check: it passes when both sides name it.
"""
import re
import subprocess
import sys

LONG_OPT = re.compile(r"--[a-z][a-z-]*")


def long_options(text):
    """The set of --long-option tokens in text, without trailing dashes."""
    return {m.group(0).rstrip("-") for m in LONG_OPT.finditer(text)}


def roff_to_text(src):
    """Roff source as plain text: comments dropped, escapes that matter
    to option names (\\-, \\%, \\&, \\fX, \\e) undone."""
    out = []
    for ln in src.splitlines():
        if ln.startswith(".\\\""):
            continue
        ln = ln.replace("\\-", "-").replace("\\%", "").replace("\\&", "")
        ln = re.sub(r"\\f(\[[^]]*\]|\(..|.)", "", ln)
        out.append(ln.replace("\\e", "\\"))
    return "\n".join(out)


def options_section(text):
    """The lines between `.SH OPTIONS` and the next `.SH`."""
    m = re.search(r"^\.SH\s+\"?OPTIONS\"?\s*$(.*?)(?=^\.SH\s)", text,
                  re.M | re.S)
    return m.group(1) if m else None


def main():
    binary, page = sys.argv[1], sys.argv[2]
    passed = failed = 0
    p = subprocess.run([binary, "--help"], capture_output=True, text=True)
    if p.returncode != 0 or not p.stdout:
        print("FAIL --help: status %d, stderr %r" % (p.returncode, p.stderr))
        print("0 passed, 1 failed")
        return 1
    with open(page, encoding="utf-8") as f:
        section = options_section(roff_to_text(f.read()))
    if section is None:
        print("FAIL %s: no .SH OPTIONS section" % page)
        print("0 passed, 1 failed")
        return 1
    in_help = long_options(p.stdout)
    in_page = long_options(section)
    for opt in sorted(in_help | in_page):
        if opt in in_help and opt in in_page:
            passed += 1
            continue
        failed += 1
        if opt in in_help:
            print("FAIL %s: in --help, not in the man page's OPTIONS" % opt)
        else:
            print("FAIL %s: in the man page's OPTIONS, not in --help" % opt)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
