#!/usr/bin/env python3
"""Run sysmon2qql over the public corpus in ../shared/corpus.

Usage: corpus.py SYSMON2QQL CORPUS_DIR

For every *.jsonl file in every folder of CORPUS_DIR (one record per
line), read as a file and again gzip-compressed on standard input:
- the run exits 0 with no error on standard error;
- it writes exactly one line per input record, each a JSON object, and
  the two runs write the same; so do runs with 2 and 3 worker threads
  (-j), messages included;
- nothing is lost: every EventData value that is not a placeholder
  appears in the output record, as a token value (converted or not) or as
  a leftover under its own name.
Exits 77 (skipped) when CORPUS_DIR does not exist.
"""
import gzip
import ipaddress
import json
import os
import re
import subprocess
import sys

# Top-level keys of a flat record that are not EventData (SPEC 2.2, 3.1).
FLAT_NOT_DATA = set("""
agent ecs host event log message beat type EventTime EventReceivedTime
SourceModuleName SourceModuleType Severity SeverityValue Opcode OpcodeValue
Task Keywords Category Message ProviderGuid AccountName AccountType Domain
ThreadID ExecutionThreadID ActivityID RelatedActivityID EventTypeOrignal
@timestamp @version port tags TenantId SourceSystem _ResourceId MG
ManagementGroupName EventOriginId RawEventData EventLevelName SystemThreadId
TimeGenerated Correlation SourceName ProviderName Provider EventID Hostname
Computer Channel RecordNumber EventRecordId ProcessID ExecutionProcessID
SystemProcessId UserID SystemUserId Level EventLevel TimeCreated
""".split())
NXLOG_EVENT_TYPES = {"INFO", "WARNING", "ERROR", "CRITICAL", "VERBOSE",
                     "AUDIT_SUCCESS", "AUDIT_FAILURE"}
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


WAZUH_JSON_ESCAPE = re.compile(
    r'\\(?:([\\"/bfnrt])|u([dD][89abAB][0-9a-fA-F]{2})'
    r'\\u([dD][c-fC-F][0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))')
XML_ENTITY = re.compile(r"&(lt|gt|amp|quot|apos|#[0-9]+|#[xX][0-9a-fA-F]+);")


def json_unescape(m):
    simple, hi, lo, single = m.groups()
    if simple:
        return {"b": "\b", "f": "\f", "n": "\n", "r": "\r",
                "t": "\t"}.get(simple, simple)
    if hi:
        return chr(0x10000 + ((int(hi, 16) - 0xD800) << 10) +
                   int(lo, 16) - 0xDC00)
    cp = int(single, 16)
    return m.group(0) if cp == 0 or 0xD800 <= cp <= 0xDFFF else chr(cp)


def xml_unescape(m):
    name = m.group(1)
    named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
    if name in named:
        return named[name]
    cp = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
    if cp == 0 or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
        return m.group(0)
    return chr(cp)


def wazuh_unescape(v):
    """Wazuh escapes values as XML text, then as a JSON string, beyond the
    JSON of the record itself: undo both once."""
    if isinstance(v, str):
        v = WAZUH_JSON_ESCAPE.sub(json_unescape, v)
        return XML_ENTITY.sub(xml_unescape, v)
    return v


def flat_data(record):
    data = {}
    for k, v in record.items():
        if k in FLAT_NOT_DATA:
            continue
        if k == "EventType" and v in NXLOG_EVENT_TYPES:
            continue
        if k == "Version" and (isinstance(v, int) or
                               (isinstance(v, str) and v.isdigit())):
            continue
        data[k] = v
    return data


def event_data(folder, record):
    """The EventData of a corpus record, as name -> value."""
    if folder == "evtx":
        data = record.get("Event", {}).get("EventData") or {}
        if isinstance(data, dict) and isinstance(data.get("Data"), list):
            data = {d.get("@Name") or d.get("Name"): d.get("#text")
                    for d in data["Data"]}
        return data
    if folder == "winlogbeat":
        return (record.get("winlog", {}).get("event_data") or
                record.get("event_data") or {})
    if folder == "wazuh":
        win = record.get("win") or record.get("data", {}).get("win", {})
        return {k[:1].upper() + k[1:]: wazuh_unescape(v)
                for k, v in (win.get("eventdata") or {}).items()}
    if folder == "flat":
        return flat_data(record)
    raise ValueError("no EventData rule for folder %s" % folder)


def lost_values(folder, record, out):
    data = event_data(folder, record)
    values = {as_text(x) for x in out.values()}
    lost = []
    for name, v in data.items():
        if is_placeholder(v):
            continue
        if name in out and out[name] in forms(name, v):
            continue
        if forms(name, v) & values:
            continue
        if name == "ClientInfo" and isinstance(v, str):
            parts = [p.strip(" \t") for p in
                     re.split(r"(?:^|\s)[A-Za-z]+:(?=\s|$)", v)]
            if all(p in values or not p for p in parts):
                continue
        if isinstance(v, str):
            parts = hash_parts(v)
            if parts and all(p in values or set(p) == {"0"} for p in parts):
                continue
        lost.append("%s=%r" % (name, v))
    return lost


def check_file(binary, folder, path):
    with open(path, "rb") as f:
        raw = f.read()
    records = [json.loads(x) for x in raw.splitlines() if x.strip()]
    p = subprocess.run([binary, path], capture_output=True)
    errors = []
    if p.returncode != 0:
        errors.append("exit status %d" % p.returncode)
    if b"error:" in p.stderr:
        errors.append("errors: %s" % p.stderr.decode()[:500])
    z = subprocess.run([binary], input=gzip.compress(raw),
                       capture_output=True)
    if z.returncode != 0 or b"error:" in z.stderr or z.stdout != p.stdout:
        errors.append("gzip on standard input: status %d, %d bytes out "
                      "instead of %d, %s" % (z.returncode, len(z.stdout),
                                             len(p.stdout),
                                             z.stderr.decode()[:300]))
    for jobs in ("2", "3"):
        j = subprocess.run([binary, "-j", jobs, path], capture_output=True)
        if (j.returncode, j.stdout, j.stderr) != \
                (p.returncode, p.stdout, p.stderr):
            errors.append("-j %s differs from -j 1" % jobs)
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
        lost = lost_values(folder, rec, out)
        if lost:
            errors.append("line %d lost %s" % (n, ", ".join(lost)))
    return errors, len(records)


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    if not os.path.isdir(corpus):
        print("corpus %s not found: skipped" % corpus)
        return 77
    passed = failed = 0
    for folder in sorted(os.listdir(corpus)):
        d = os.path.join(corpus, folder)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            if not name.endswith(".jsonl"):
                continue
            errors, n = check_file(binary, folder, os.path.join(d, name))
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
