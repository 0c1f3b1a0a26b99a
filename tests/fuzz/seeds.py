#!/usr/bin/env python3
"""Write the fuzz targets' seed inputs, made from the samples.

Usage: seeds.py SAMPLES_DIR OUT_DIR

OUT_DIR/record: every sample input file, with option bytes in front (see
fuzz_record.c), plain and gzip-compressed; OUT_DIR/json: every record of
those files; OUT_DIR/value: every distinct string and number value of
those records, once for each value parser (see fuzz_value.c);
OUT_DIR/lines: every sample input file, and its records as JSON Lines
with one of them pretty-printed, with option bytes in front (see
fuzz_lines.c).
"""
import gzip
import hashlib
import json
import os
import struct
import sys

# fuzz_record.c option bytes: none; lines offered to the parser; pretty,
# non-Sysmon passed and rejects saved; a forced shape and a small limit.
RECORD_OPTIONS = (0x00, 0x80, 0x87, 0x48)
# fuzz_lines.c option bytes: takes of 1, 64, 4096 and 1 MiB bytes; a
# small limit, with a short stretch framed alone after lines given back.
LINES_OPTIONS = (0x00, 0x01, 0x02, 0x03, 0x0E)
# fuzz_value.c parsers, in the order of its selector byte, and the sample
# values that look like their input.
VALUE_PARSERS = (
    lambda v: v.isdigit(),                                   # whole number
    lambda v: v.lower().startswith('0x'),                    # hex
    lambda v: ':' in v and '-' in v and v[:1].isdigit(),     # time
    lambda v: '=' in v and len(v) > 30,                      # hashes
    lambda v: (v.count('.') == 3 or v.count(':') >= 2) and
    all(c in '0123456789abcdefABCDEF.:%' for c in v),        # IP address
    lambda v: v.startswith('{') and v.endswith('}'),         # GUID
    lambda v: v.startswith('S-1-'),                          # SID
    lambda v: v.isalpha() and len(v) < 16,                   # severity
    lambda v: 'logonid' in v.lower(),                        # ClientInfo
    lambda v: v.replace('.', '', 1).lstrip('-').isdigit(),   # JSON number
)


def inputs(samples):
    for root, _, files in sorted(os.walk(samples)):
        for name in sorted(files):
            if name.endswith(('.json', '.jsonl')) and \
                    not name.endswith('.expected.jsonl'):
                yield os.path.join(root, name)


def records(data):
    decoder = json.JSONDecoder()
    text = data.decode('utf-8')
    at = 0
    while True:
        while at < len(text) and text[at] in ' \t\r\n,[]':
            at += 1
        if at >= len(text):
            return
        try:
            value, at = decoder.raw_decode(text, at)
        except ValueError:
            return
        yield value


def scalars(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from scalars(v)
    elif isinstance(value, list):
        for v in value:
            yield from scalars(v)
    elif isinstance(value, bool) or value is None:
        return
    else:
        yield value


def save(folder, data):
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), 'wb') as f:
        f.write(data)


def main():
    samples, out = sys.argv[1], sys.argv[2]
    values = set()
    for path in inputs(samples):
        with open(path, 'rb') as f:
            data = f.read()
        for opt in RECORD_OPTIONS:
            save(os.path.join(out, 'record'), bytes([opt]) + data)
        save(os.path.join(out, 'record'),
             bytes([0x80]) + gzip.compress(data, mtime=0))
        lines = []
        for rec in records(data):
            text = json.dumps(rec, ensure_ascii=False).encode('utf-8')
            save(os.path.join(out, 'json'), text)
            values.update(scalars(rec))
            lines.append(text)
        if len(lines) > 2:
            lines[len(lines) // 2] = json.dumps(
                json.loads(lines[len(lines) // 2]), indent=1).encode()
        mixed = b'\n'.join(lines) + b'\n'
        for opt in LINES_OPTIONS:
            save(os.path.join(out, 'lines'), bytes([opt]) + data)
            save(os.path.join(out, 'lines'), bytes([opt]) + mixed)
    for parser, wanted in enumerate(VALUE_PARSERS):
        for v in sorted(values, key=repr):
            if parser == 9 and not isinstance(v, str):
                raw = struct.pack('<d', float(v))
            else:
                raw = str(v).encode('utf-8')
            if wanted(str(v)):
                save(os.path.join(out, 'value'), bytes([parser]) + raw)
    return 0


if __name__ == '__main__':
    sys.exit(main())
