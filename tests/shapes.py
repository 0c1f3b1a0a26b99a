#!/usr/bin/env python3
"""The same events in every export shape give the same output.

Usage: shapes.py SYSMON2QQL SAMPLES_DIR

SAMPLES_DIR/shapes/evtx/X.json holds evtx-shape records copied verbatim
from SAMPLES_DIR/events/X.json, and SAMPLES_DIR/shapes/<shape>/X.json the
same events as another exporter writes them (shapes/render.py made them).
For every X:
- golden: every run below exits 0 with nothing on standard error, and
  each output line of evtx/X.json is the line of events/X.expected.jsonl
  that belongs to the same input record (the reviewed goldens);
- one check per shape: the output is byte-identical to the evtx output,
  except where the exporter cannot carry the value:
  - flat (NXLog): lines are compared as ordered (key, value) lists without
    eventTime (flat exports hold local times, so it comes from UtcTime,
    SPEC 3.2) and, for event 4, without version and Version (Sysmon's own
    Version collides with the System one, SPEC 3.1);
  - wazuh: for events 4, 16 and 255 without sourceUser, as the
    eventchannel decoder never passes the Security UserID on
    (wazuh/wazuh#16254), and it must then be absent.
Prints ok/FAIL per file and shape, ends with "N passed, M failed", and
exits 1 on any failure.
"""
import json
import os
import subprocess
import sys

SHAPES = ("winlogbeat8", "winlogbeat6", "flat", "wazuh", "powershell")

# Keys compared neither way, per shape and event ID (None: every event).
DROPPED = {
    ("flat", None): ("eventTime",),
    ("flat", 4): ("version", "Version"),
    ("wazuh", 4): ("sourceUser",),
    ("wazuh", 16): ("sourceUser",),
    ("wazuh", 255): ("sourceUser",),
}
MAX_DIFF = 12


def run(binary, path):
    """Run sysmon2qql on one file: (output lines, problems)."""
    p = subprocess.run([binary, path], capture_output=True)
    problems = []
    if p.returncode != 0:
        problems.append("exit status %d" % p.returncode)
    if p.stderr:
        problems.append("stderr: %s" %
                        p.stderr.decode("utf-8", "replace").strip())
    return p.stdout.decode("utf-8", "replace").splitlines(), problems


def pairs(line):
    """An output line as its ordered (key, JSON text of value) pairs."""
    obj = json.loads(line, object_pairs_hook=list)
    return [(k, json.dumps(v, ensure_ascii=False)) for k, v in obj]


def event_id(line):
    device = dict(json.loads(line, object_pairs_hook=list))
    return int(device.get("deviceEventId", ":0").rsplit(":", 1)[1])


def dropped(shape, line):
    return (DROPPED.get((shape, None), ()) +
            DROPPED.get((shape, event_id(line)), ()))


def describe(want, got):
    """What differs between two ordered pair lists, key by key."""
    w, g = dict(want), dict(got)
    out = []
    for k, v in want:
        if k not in g:
            out.append("  missing %s: %s" % (k, v))
        elif g[k] != v:
            out.append("  %s: got %s, expected %s" % (k, g[k], v))
    out += ["  extra %s: %s" % (k, v) for k, v in got if k not in w]
    if not out:
        out.append("  same keys and values in another order:")
        out.append("    got      %s" % " ".join(k for k, _ in got))
        out.append("    expected %s" % " ".join(k for k, _ in want))
    return out


def compare(shape, want, got):
    """Compare a rendering's output lines with the evtx ones."""
    if len(got) != len(want):
        return ["%d output lines, expected %d" % (len(got), len(want))]
    errors = []
    for n, (w, g) in enumerate(zip(want, got), 1):
        drop = dropped(shape, w)
        if not drop and w == g:
            continue
        wp = [p for p in pairs(w) if p[0] not in drop]
        gp = pairs(g)
        leaked = [k for k, _ in gp if k in drop and shape == "wazuh"]
        gp = [p for p in gp if p[0] not in drop]
        if drop and wp == gp and not leaked:
            continue
        errors.append("line %d:" % n)
        errors += ["  unexpected %s" % k for k in leaked]
        if wp != gp:
            errors += describe(wp, gp)
        elif not leaked:
            errors += ["  same values written otherwise:",
                       "    got      %.200s" % g, "    expected %.200s" % w]
    return errors


def golden(samples, name, evtx_out):
    """Each evtx line's output against the reviewed golden line of the
    record it was copied from."""
    events = os.path.join(samples, "events", name)
    with open(events, encoding="utf-8") as f:
        sources = [x.rstrip("\n") for x in f]
    with open(events[:-len(".json")] + ".expected.jsonl",
              encoding="utf-8") as f:
        expected = [x.rstrip("\n") for x in f]
    with open(os.path.join(samples, "shapes", "evtx", name),
              encoding="utf-8") as f:
        copied = [x.rstrip("\n") for x in f if x.strip()]
    if len(evtx_out) != len(copied):
        return ["%d output lines for %d records" %
                (len(evtx_out), len(copied))]
    errors = []
    for n, (line, out) in enumerate(zip(copied, evtx_out), 1):
        if line not in sources:
            errors.append("line %d is no line of events/%s" % (n, name))
        elif out != expected[sources.index(line)]:
            errors.append("line %d differs from events/%s line %d:" %
                          (n, name[:-5] + ".expected.jsonl",
                           sources.index(line) + 1))
            errors += describe(pairs(expected[sources.index(line)]),
                               pairs(out))
    return errors


def report(label, errors, counts):
    if errors:
        counts[1] += 1
        print("FAIL " + label)
        for e in errors[:MAX_DIFF]:
            print("     " + e)
        if len(errors) > MAX_DIFF:
            print("     ... %d more" % (len(errors) - MAX_DIFF))
    else:
        counts[0] += 1
        print("ok   " + label)


def check_file(binary, samples, name, counts):
    """The golden check and one check per shape for one sample file."""
    shapes = os.path.join(samples, "shapes")
    evtx_out, problems = run(binary, os.path.join(shapes, "evtx", name))
    report("%s golden" % name,
           problems + golden(samples, name, evtx_out), counts)
    for shape in SHAPES:
        path = os.path.join(shapes, shape, name)
        if not os.path.exists(path):
            report("%s %s" % (name, shape), ["no rendering"], counts)
            continue
        out, problems = run(binary, path)
        report("%s %s" % (name, shape),
               problems + compare(shape, evtx_out, out), counts)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, samples = sys.argv[1], sys.argv[2]
    counts = [0, 0]
    evtx = os.path.join(samples, "shapes", "evtx")
    for name in sorted(os.listdir(evtx)):
        if name.endswith(".json"):
            check_file(binary, samples, name, counts)
    print("%d passed, %d failed" % tuple(counts))
    return 1 if counts[1] or not counts[0] else 0


if __name__ == "__main__":
    sys.exit(main())
