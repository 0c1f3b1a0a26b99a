#!/usr/bin/env python3
"""Hostile input: damaged, crafted and enormous records and files.

For every case the run must end with the exact exit status, print one
"FILE:LINE: error:" message for each rejected record (and save it with
--rejects), write every written record as one JSON object in valid UTF-8,
and account for every record: read = written + skipped + rejected. Each
case runs with -j 1 and -j 2, which must give the same output and
messages. The faults at the end (unreadable inputs, signals, --rejects
that cannot be written; a full disk and a closed pipe are in cli.py)
check the exit status, the message and that no partial file is left.

Cases run as they are defined (the @test decorator); main() reports.

Usage: hostile.py SYSMON2QQL SAMPLES_DIR
"""
import atexit
import base64
import glob
import gzip
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(sys.argv[1])
SAMPLES = os.path.abspath(sys.argv[2])
TMP = tempfile.mkdtemp(prefix="s2q-hostile-")
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
RESULTS = []


def sample_records():
    """The first record of every samples/events file, as dicts."""
    recs = []
    for path in sorted(glob.glob(os.path.join(SAMPLES, "events", "*.json"))):
        with open(path, encoding="utf-8") as f:
            recs.append(json.loads(f.readline()))
    return recs


RECORDS = sample_records()
PROCESS = RECORDS[0]          # event 1, process creation


def text(rec):
    return json.dumps(rec, ensure_ascii=False)


def with_data(rec=PROCESS, **data):
    """A copy of rec with EventData members replaced or added."""
    rec = json.loads(json.dumps(rec))
    rec["Event"]["EventData"].update(data)
    return rec


GOOD = (text(PROCESS) + "\n").encode()


class Run:
    def __init__(self, status, out, err, stats, rejects):
        self.status, self.out, self.err = status, out, err
        self.stats, self.rejects = stats, rejects

    def objects(self):
        return [json.loads(x) for x in self.out.decode().splitlines()]


def run(data, args=(), jobs=1, name="input.json"):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data)
    rej = os.path.join(TMP, "rejects.jsonl")
    p = subprocess.run([BIN, "--stats=json", "--rejects", rej, "-j",
                        str(jobs)] + list(args) + [path],
                       capture_output=True, cwd=TMP, timeout=300)
    err = p.stderr.decode("utf-8")
    stats = json.loads(err.splitlines()[-1])
    with open(rej, "rb") as f:
        rejects = [json.loads(x) for x in f.read().splitlines()]
    return Run(p.returncode, p.stdout, err, stats, rejects)


def check(data, status, rejected=None, args=()):
    """Run data with -j 1 and -j 2 and check everything the suite promises.

    rejected is the list of the lines of the rejected records, in order
    (None: not known in advance). Returns the -j 1 run."""
    r = run(data, args, jobs=1)
    r2 = run(data, args, jobs=2)
    assert r.out == r2.out, "-j 2 output differs"
    strip = re.compile(r'"seconds":[0-9.]+')
    assert strip.sub("", r.err) == strip.sub("", r2.err), \
        "-j 2 messages differ"
    assert r.status == status, "status %d, want %d\n%s" % (
        r.status, status, r.err[-2000:])
    st = r.stats
    assert st["read"] == st["written"] + st["skipped"] + st["rejected"], st
    r.out.decode("utf-8")        # valid UTF-8, or UnicodeDecodeError
    lines = r.out.splitlines()
    assert len(lines) == st["written"], (len(lines), st)
    for x in lines:
        assert isinstance(json.loads(x), dict), x[:200]
    path = re.escape(os.path.join(TMP, "input.json"))
    errors = [int(m) for m in re.findall(
        r"^sysmon2qql: %s:(\d+): error: " % path, r.err, re.M)]
    assert len(errors) == st["rejected"], (errors, st, r.err[-2000:])
    if rejected is not None:
        assert errors == rejected, (errors, rejected, r.err[-2000:])
    assert [x["line"] for x in r.rejects] == errors, "rejects file lines"
    return r


def test(fn):
    try:
        fn()
        RESULTS.append((fn.__name__, None))
    except Exception as e:    # a failure of the case, reported as such
        RESULTS.append((fn.__name__, "%s: %s" % (type(e).__name__,
                                                 str(e)[:3000])))
    return fn


# ---- truncated records and files ----

@test
def file_cut_inside_its_last_record():
    last = text(RECORDS[2]).encode()
    for cut in range(1, len(last), 97):
        r = check(GOOD * 3 + last[:cut], 1, [4])
        assert r.stats["written"] == 3, r.stats


@test
def record_cut_in_the_middle_of_a_file():
    cut = text(RECORDS[1])[:300] + "\n"
    r = check(GOOD + cut.encode() + GOOD, 1, [2])
    assert r.stats["written"] == 2, r.stats
    assert r.rejects[0]["record"] == cut.strip(), r.rejects[0]


@test
def array_file_cut_inside_a_string_then_another_array_file():
    first = ("[" + text(PROCESS) + ",\n" + text(RECORDS[1]))
    cut = first[:first.index('"Image"') + 12]        # inside a string
    second = "[" + ",\n".join(text(r) for r in RECORDS[2:5]) + "]\n"
    r = check((cut + "\n" + second).encode(), 1, [1])
    assert r.stats["written"] == 3, r.stats


@test
def gzip_file_cut_short():
    whole = gzip.compress(GOOD * 200, mtime=0)
    r = check(whole[:len(whole) // 2], 3)
    assert 0 < r.stats["written"] < 200, r.stats
    assert "gzip data ends before the end of its stream" in r.err, r.err


# ---- JSON Lines mixed with what only the framer reads ----

@test
def json_lines_mixed_with_other_framing():
    """Megabytes of JSON Lines with, here and there, lines that are not
    one record each: with worker threads those lines go back from the
    workers to the input's framer, which must give the records -j 1
    gives, whatever the number of threads and whether the input is a
    file or a pipe."""
    rnd = random.Random(7)
    lines, rejected = [], []
    recs = [text(with_data(rec, Marker="n%d" % i))
            for i, rec in enumerate(RECORDS)]

    def add(*new):
        lines.extend(new)

    while len(lines) < 9000:
        k = rnd.randrange(40) if rnd.random() < 0.5 else 1500
        for _ in range(k):
            add(rnd.choice(recs) + ("\r" if rnd.random() < 0.1 else ""))
        kind = rnd.randrange(11)
        if kind == 0:          # pretty-printed
            add(*json.dumps(rnd.choice(RECORDS), indent=1).split("\n"))
        elif kind == 1:        # not JSON
            add("{oops}")
            rejected.append(len(lines))
        elif kind == 2:        # cut short, then the next record
            add(rnd.choice(recs)[:rnd.randrange(1, 300)])
            rejected.append(len(lines))
        elif kind == 3:        # an array over three lines
            add("[" + recs[0] + ",", recs[1], "]")
        elif kind == 4:        # byte order mark, commas, blanks
            add("\ufeff" + recs[2], ",", "", " \t")
        elif kind == 5:        # two records on a line
            add(recs[3] + " " + recs[4])
        elif kind == 6:        # a stray closing bracket
            add("]")
            rejected.append(len(lines))
        elif kind == 7:        # over --max-record-size
            add(text(with_data(CommandLine="x" * 5000)))
            rejected.append(len(lines))
        elif kind == 8:        # one value, but not an object
            add('"text"')
            rejected.append(len(lines))
        elif kind == 9:        # ends with '}' yet is two values
            add("{}{}")
            rejected.extend([len(lines)] * 2)
        else:                  # an array in an array: one value
            add("[[" + rnd.choice(recs) + "]]")
            rejected.append(len(lines))
    # A cut record, a whole line (framed by a worker with -j 2), then an
    # array in an array: the first '[' opens the array, the second is its
    # element, whoever framed the line before.
    cut = recs[0][:100] + "\n" + recs[1] + "\n[[" + recs[2] + "]]\n"
    check((cut + recs[3] + "\n").encode(), 1, [1, 3])
    # ... and the same with a blank line in place of the whole line.
    check(('{"a":"tru\n\n[[' + recs[0] + "]]\n" + recs[1] + "\n").encode(),
          1, [1, 3])
    data = ("\n".join(lines) + "\n").encode()
    assert len(data) > 8_000_000, len(data)
    args = ("--max-record-size", "4000")
    r = check(data, 1, rejected, args)
    strip = re.compile(r'"seconds":[0-9.]+')
    r3 = run(data, args, jobs=3)
    assert (r3.out, strip.sub("", r3.err)) == (r.out, strip.sub("", r.err))
    path = os.path.join(TMP, "input.json")
    for jobs in ("1", "2"):
        p = subprocess.run([BIN, "-j", jobs] + list(args), input=data,
                           capture_output=True, timeout=300)
        assert p.stdout == r.out, "-j %s from a pipe" % jobs
        eq_lines = [x.replace("<stdin>", path)
                    for x in p.stderr.decode().splitlines()]
        assert eq_lines == r.err.splitlines()[:-1], "-j %s messages" % jobs


# ---- random damage ----

@test
def random_byte_flips():
    rng = random.Random(20261204)
    lines = []
    for i in range(400):
        rec = bytearray(text(RECORDS[i % len(RECORDS)]).encode())
        for _ in range(rng.randint(1, 4)):
            rec[rng.randrange(len(rec))] = rng.randrange(256)
        lines.append(bytes(rec).replace(b"\n", b" "))
    r = check(b"\n".join(lines) + b"\n", 1)
    assert r.stats["rejected"] > 0 and r.stats["written"] > 0, r.stats


@test
def random_bytes_only():
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(200000))
    r = check(data, 1)
    assert r.stats["written"] == 0, r.stats


# ---- encodings ----

@test
def invalid_utf8_in_names_and_values():
    rec = text(with_data(CommandLine="cmd \udcff", Extra="x")).encode(
        "utf-8", "surrogateescape")
    rec = rec.replace(b'"Extra"', b'"Ex\xfftra"')
    rec = rec.replace(b'"ws', b'"\xc0\xafws')        # overlong, in System
    rec = rec.replace(b'"x"', b'"\xe2\x82"')         # cut sequence
    r = check(rec + b"\n", 0, [])
    obj = r.objects()[0]
    assert obj["command"] == "cmd \ufffd", obj["command"]
    assert obj["Ex\ufffdtra"] == "\ufffd\ufffd", obj
    # Replaced bytes: 1 + 1 in the value and name, 2 + 2 in the others.
    assert r.stats["warnings"]["utf8"] == 6, r.stats
    # A rejected record keeps its bytes in the rejects file: as base64
    # when they are not UTF-8, which a JSON string cannot hold.
    unread = rec.replace(b'"EventID"', b'"EventId"')
    r = check(b"\n".join([GOOD.strip(), unread, GOOD.strip()]) + b"\n", 1,
              [2])
    entry = r.rejects[0]
    assert base64.b64decode(entry["record_base64"]) == unread, entry
    assert "\ufffd" in entry["record"], entry
    assert "record_base64" not in check(b"{oops}\n", 1, [1]).rejects[0]


@test
def nul_characters_in_values_are_carried_whole():
    rec = with_data(CommandLine="before\u0000after", Extra="\u0000")
    rec["Event"]["System"]["Computer"] = "ws\u000001"
    r = check((text(rec) + "\n").encode(), 0, [])
    obj = r.objects()[0]
    assert obj["command"] == "before\x00after", obj["command"]
    assert obj["Extra"] == "\x00", obj
    assert obj["deviceHost"] == "ws\x0001", obj["deviceHost"]


@test
def nul_characters_in_names_reject_the_record():
    bad_key = text(with_data(**{"Comm\u0000and": "x"}))
    item = ('{"Event":{"System":{"Provider":{"#attributes":{"Name":'
            '"Microsoft-Windows-Sysmon"}},"EventID":1},"EventData":{"Data":'
            '[{"@Name":"Image","#text":"a"},{"@Name":"Im\\u0000age",'
            '"#text":"b"}]}}}')
    r = check((text(PROCESS) + "\n" + bad_key + "\n" + item + "\n").encode(),
              1, [2, 3])
    assert "member name holds a NUL character" in r.err, r.err
    assert "the Name of EventData item 2 holds a NUL character" in r.err


@test
def lone_surrogates_become_replacement_characters():
    lines = []
    for s in ("\\ud800", "\\udfff", "\\ude00\\ud83d", "a\\ud83db"):
        lines.append(text(with_data(CommandLine="X")).replace(
            '"CommandLine": "X"', '"CommandLine": "%s"' % s))
    lines.append(text(with_data(Extra="y")).replace('"Extra"',
                                                    '"Ex\\udc00tra"'))
    r = check(("\n".join(lines) + "\n").encode(), 0, [])
    cmds = [o.get("command") for o in r.objects()[:4]]
    assert cmds == ["\ufffd" * 3, "\ufffd" * 3, "\ufffd" * 6,
                    "a\ufffd\ufffd\ufffdb"], cmds
    assert "Ex\ufffd\ufffd\ufffdtra" in r.objects()[4], r.objects()[4]
    assert r.stats["warnings"]["utf8"] == 18, r.stats


# ---- nesting and size ----

@test
def deep_nesting_is_rejected_not_followed():
    deep = b'{"a":' + b"[" * 300000 + b"]" * 300000 + b"}"
    r = check(GOOD + deep + b"\n" + GOOD, 1, [2])
    assert "nested deeper than 1000 levels" in r.err, r.err[-500:]
    open_only = b'{"a":' * 300000
    check(GOOD + open_only, 1, [2])
    check(b"[" * 300000 + b"\n" + GOOD, 1, [1])


@test
def record_over_the_size_limit_is_rejected_and_saved_whole():
    big = text(with_data(CommandLine="x" * 5000))
    r = check(GOOD + big.encode() + b"\n" + GOOD, 1, [2],
              ["--max-record-size", "2000"])
    assert "larger than --max-record-size" in r.err, r.err
    assert r.rejects[0]["record"] == big, len(r.rejects[0]["record"])


@test
def ten_megabyte_value_under_the_limit_is_written_whole():
    cmd = "A\\" * (5 * 1024 * 1024)
    r = check((text(with_data(CommandLine=cmd)) + "\n").encode(), 0, [])
    assert r.objects()[0]["command"] == cmd


# ---- types and numbers ----

BAD_VALUES = ['1e400', '18446744073709551616', '-1', '0.5', 'true', 'false',
              'null', '[]', '{"a":[1,{"b":null}]}', '""', '"\\u0000"']


def replace_json(rec, path, raw):
    """rec as text with the value at path (keys) replaced by raw JSON."""
    marker = "@@VALUE@@"
    rec = json.loads(json.dumps(rec))
    node = rec
    for k in path[:-1]:
        if not isinstance(node.get(k), dict):
            node[k] = {}
        node = node[k]
    node[path[-1]] = marker
    return text(rec).replace('"%s"' % marker, raw)


@test
def wrong_types_and_huge_numbers_in_every_field():
    system = [("EventID",), ("Version",), ("Level",), ("Task",),
              ("EventRecordID",), ("Channel",), ("Computer",),
              ("Provider", "#attributes", "Name"),
              ("Execution", "#attributes", "ProcessID"),
              ("Security", "#attributes", "UserID"),
              ("TimeCreated", "#attributes", "SystemTime")]
    lines, rejected, exact = [], [], []
    for rec in RECORDS:
        fields = [("System",) + p for p in system]
        fields += [("EventData", k) for k in rec["Event"]["EventData"]]
        for f in fields:
            for raw in BAD_VALUES:
                marked = with_data(rec, Marker="line %d" % (len(lines) + 1))
                lines.append(replace_json(marked, ("Event",) + f, raw))
                if f == ("System", "EventID"):
                    rejected.append(len(lines))
                elif f[0] == "EventData" and raw == BAD_VALUES[1]:
                    exact.append((len(lines), f))
    r = check(("\n".join(lines) + "\n").encode(), 1, rejected)
    assert "EventID is not a whole number" in r.err
    # An EventData number too large for a double to hold exactly is kept,
    # written as the contract says (%.17g).
    by_line = {}
    for x in r.out.decode().splitlines():
        by_line[int(json.loads(x)["Marker"].split()[1])] = x
    for n, f in exact:
        assert "1.8446744073709552e+19" in by_line[n], (f, by_line[n][:300])


@test
def objects_in_system_fields_and_tiny_numbers_are_reported():
    rec = json.loads(text(PROCESS))
    rec["Event"]["System"]["Version"] = {"a": 1}
    rec["Event"]["System"]["Level"] = {}
    tiny = replace_json(PROCESS, ("Event", "EventData", "ProcessId"),
                        "1e-400")
    r = check((text(rec) + "\n" + tiny + "\n").encode(), 0, [])
    assert "field 'Version' is of the wrong type or form" in r.err, r.err
    assert r.stats["warnings"]["system"] == 1, r.stats
    obj = r.objects()[1]
    assert "processId" not in obj and obj["ProcessId"] == "0", obj
    assert r.stats["warnings"]["number"] == 1, r.stats


@test
def duplicate_keys_keep_the_first():
    rec = text(with_data(Image="C:\\first.exe"))
    rec = rec.replace('"Image": "C:\\\\first.exe"',
                      '"Image": "C:\\\\first.exe", "Image": "C:\\\\2.exe"')
    rec = rec.replace('"EventID": 1,', '"EventID": 1, "EventID": 3,')
    assert rec.count('"Image"') == 2 and rec.count('"EventID"') == 2
    r = check((rec + "\n").encode(), 0, [])
    obj = r.objects()[0]
    assert obj["processName"] == "C:\\first.exe", obj
    assert obj["deviceEventId"] == "Microsoft-Windows-Sysmon:1", obj


@test
def values_that_are_not_objects_are_rejected():
    data = ('1\n"text"\nnull\ntrue\nfalse\n-3.5\n[%s, 7]\n'
            % text(PROCESS)).encode()
    r = check(data, 1, [1, 2, 3, 4, 5, 6, 7])
    assert r.stats["written"] == 1, r.stats
    assert r.err.count("not a JSON object") == 7, r.err


# ---- empty input ----

@test
def empty_blank_and_bom_only_inputs():
    for data in (b"", b" \t\r\n\n  \n", b"\xef\xbb\xbf",
                 b"\xef\xbb\xbf\r\n", b"[]", b"[\n]\n"):
        r = check(data, 0, [])
        assert r.stats["read"] == 0 and r.out == b"", (data, r.stats)


# ---- faults ----

def plain(args, **kw):
    p = subprocess.run([BIN] + args, capture_output=True, cwd=TMP, **kw)
    return p.returncode, p.stdout, p.stderr.decode()


@test
def unreadable_input_among_several():
    good = os.path.join(TMP, "good.json")
    with open(good, "wb") as f:
        f.write(GOOD)
    folder = os.path.join(TMP, "a-folder")
    os.makedirs(folder, exist_ok=True)
    rc, out, err = plain([folder, good, "no-such-file", good])
    assert rc == 3, (rc, err)
    assert len(out.splitlines()) == 2, out
    assert "a-folder: error: read error: Is a directory" in err, err
    assert "cannot open 'no-such-file'" in err, err


@test
def rejects_file_that_cannot_be_written():
    bad = os.path.join(TMP, "bad.json")
    with open(bad, "wb") as f:
        f.write(GOOD + b"{oops}\n")
    rc, out, err = plain(["--rejects", "/dev/full", bad])
    assert rc == 3, (rc, err)
    assert "/dev/full: error: cannot write rejected records" in err, err
    assert len(out.splitlines()) == 1, out
    rc, out, err = plain(["--rejects", "no-dir/rejects.jsonl", bad])
    assert rc == 3, (rc, err)
    assert "no-dir/rejects.jsonl" in err, err


@test
def signals_leave_no_partial_output():
    big = os.path.join(TMP, "big.json")
    with open(big, "wb") as f:
        f.write(GOOD * 20000)
    for sig in (signal.SIGINT, signal.SIGTERM):
        for jobs in ("1", "2"):
            out = os.path.join(TMP, "sig-out.jsonl")
            # A FIFO input that never ends keeps the run going.
            fifo = os.path.join(TMP, "fifo")
            if os.path.exists(fifo):
                os.unlink(fifo)
            os.mkfifo(fifo)
            p = subprocess.Popen([BIN, "-j", jobs, "-o", out, big, fifo],
                                 cwd=TMP, stderr=subprocess.PIPE)
            w = os.open(fifo, os.O_WRONLY)
            os.write(w, GOOD)
            time.sleep(0.5)
            p.send_signal(sig)
            err = p.communicate(timeout=30)[1].decode()
            os.close(w)
            assert p.returncode == -sig, (sig, jobs, p.returncode, err)
            left = [n for n in os.listdir(TMP) if "sig-out" in n]
            assert left == [], (sig, jobs, left)


def main():
    for name, failure in RESULTS:
        print("%s %s" % ("ok  " if failure is None else "FAIL", name))
        if failure is not None:
            print("     " + failure.replace("\n", "\n     "))
    failed = sum(1 for _, f in RESULTS if f is not None)
    print("%d passed, %d failed" % (len(RESULTS) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
