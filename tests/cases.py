#!/usr/bin/env python3
"""Run the cases from public bug reports through sysmon2qql.

Usage: cases.py SYSMON2QQL CASES_DIR

Every *.jsonl file in CASES_DIR holds one case per line:
  name         what the case is about
  input        the record (written as one JSON line)
  must         tokens the output must contain with exactly these values
               (JSON types count: 3 is not "3")
  no           keys the output must not contain
  escaped_too  also feed the record with every non-ASCII character as a
               \\uXXXX escape; the output must be byte-identical
  id, same_as  the output must be byte-identical to the case with that id
  args         extra command-line arguments
  status       the exit status (default 0)
  stderr       substrings standard error must hold (default: it must be
               empty)
  lines        the number of output lines (default 1)
  rejects      true: run with --rejects and check that the record is saved
               there verbatim
  stats        values --stats=json must report (e.g. {"skipped": 1})
"""
import json
import os
import subprocess
import sys
import tempfile


def run(binary, text, args):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".json",
                                     delete=False) as f:
        f.write(text + "\n")
        path = f.name
    try:
        p = subprocess.run([binary] + args + [path], capture_output=True)
    finally:
        os.unlink(path)
    return p


def check_stderr(case, err, errors):
    """Standard error holds what the case expects (nothing by default);
    the --stats=json line, when asked for, is checked and taken out."""
    lines = err.splitlines()
    if "stats" in case:
        stats = json.loads(lines.pop()) if lines else {}
        for key, want in case["stats"].items():
            if stats.get(key) != want:
                errors.append("stats %s = %r, want %r" %
                              (key, stats.get(key), want))
    rest = "\n".join(lines)
    for want in case.get("stderr", []):
        if want not in rest:
            errors.append("stderr lacks %r: %r" % (want, rest))
    if not case.get("stderr") and rest:
        errors.append("stderr: %r" % rest)


def check_rejects(case, raw, path, errors):
    with open(path, encoding="utf-8") as f:
        saved = [json.loads(x) for x in f]
    if [r.get("record") for r in saved] != [raw]:
        errors.append("rejects file holds %r" % saved)


def check(binary, case, outputs):
    args = list(case.get("args", []))
    raw = json.dumps(case["input"], ensure_ascii=False)
    rejects = None
    if case.get("rejects"):
        fd, rejects = tempfile.mkstemp(suffix=".rejects")
        os.close(fd)
        args += ["--rejects", rejects]
    if "stats" in case:
        args.append("--stats=json")
    p = run(binary, raw, args)
    errors = []
    if p.returncode != case.get("status", 0):
        errors.append("exit status %d" % p.returncode)
    check_stderr(case, p.stderr.decode("utf-8", "replace"), errors)
    if rejects:
        check_rejects(case, raw, rejects, errors)
        os.unlink(rejects)
    lines = p.stdout.splitlines()
    if len(lines) != case.get("lines", 1):
        return errors + ["%d output lines, expected %d" %
                         (len(lines), case.get("lines", 1))]
    if not lines:
        return errors
    out = json.loads(lines[0])
    for key, want in case.get("must", {}).items():
        if key not in out:
            errors.append("missing %s (want %r)" % (key, want))
        elif out[key] != want or type(out[key]) is not type(want):
            errors.append("%s = %r, want %r" % (key, out[key], want))
    for key in case.get("no", []):
        if key in out:
            errors.append("unexpected %s = %r" % (key, out[key]))
    if case.get("escaped_too"):
        esc = run(binary, json.dumps(case["input"], ensure_ascii=True), args)
        if esc.stdout != p.stdout:
            errors.append("escaped input gives other output: %r" %
                          esc.stdout)
    if "same_as" in case:
        if outputs.get(case["same_as"]) != p.stdout:
            errors.append("output differs from case %s:\n%s\n%s" %
                          (case["same_as"], outputs.get(case["same_as"]),
                           p.stdout))
    if "id" in case:
        outputs[case["id"]] = p.stdout
    return errors


def main():
    binary, folder = sys.argv[1], sys.argv[2]
    passed = failed = 0
    outputs = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                case = json.loads(line)
                errors = check(binary, case, outputs)
                label = "%s:%d %s" % (name, n, case["name"])
                if errors:
                    failed += 1
                    print("FAIL " + label)
                    for e in errors:
                        print("     " + e)
                else:
                    passed += 1
                    print("ok   " + label)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
