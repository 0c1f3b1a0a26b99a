#!/usr/bin/env python3
"""The command line of sysmon2qql: options, framing, messages, exit
statuses, output and rejects files, accounting.

Usage: cli.py SYSMON2QQL SAMPLES_DIR
"""
import gzip
import json
import os
import pty
import re
import select
import stat
import subprocess
import sys
import tempfile
import termios
import threading
import time

BIN = os.path.abspath(sys.argv[1])
TMP = tempfile.mkdtemp(prefix="s2q-cli-")
RESULTS = []


def record(eid=1, rid=1, provider="Microsoft-Windows-Sysmon", **data):
    """An evtx-shape record as a dict."""
    ed = {"UtcTime": "2024-01-01 00:00:00.000", "Image": "C:\\x.exe"}
    ed.update(data)
    return {"Event": {"System": {
        "Provider": {"#attributes": {"Name": provider}},
        "EventID": eid, "EventRecordID": rid, "Computer": "ws01",
        "Channel": "Microsoft-Windows-Sysmon/Operational",
        "TimeCreated": {"#attributes": {
            "SystemTime": "2024-01-01T00:00:00.000Z"}}},
        "EventData": ed}}


def line(rec):
    return json.dumps(rec, ensure_ascii=False)


def write(name, content, mode="w"):
    with open(os.path.join(TMP, name), mode) as f:
        f.write(content)
    return name


def run(args, stdin=None):
    p = subprocess.run([BIN] + args, input=stdin, capture_output=True,
                       cwd=TMP)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def test(fn):
    try:
        fn()
        RESULTS.append((fn.__name__, None))
    except AssertionError as e:
        RESULTS.append((fn.__name__, str(e) or "assertion failed"))
    return fn


def eq(got, want, what=""):
    assert got == want, "%s: got %r, want %r" % (what, got, want)


def feed(p, data):
    """Write data to p's standard input, which p may have closed already
    (a run refused at the start does not read it)."""
    try:
        p.stdin.write(data)
        p.stdin.flush()
    except BrokenPipeError:
        pass


def close_input(p):
    """Close p's standard input, which p may have closed already."""
    try:
        p.stdin.close()
    except BrokenPipeError:
        pass


GOOD = "\n".join(line(record(rid=i)) for i in range(1, 4)) + "\n"


@test
def help_and_version_go_to_stdout():
    rc, out, err = run(["--help"])
    eq(rc, 0, "status")
    assert out.startswith("usage: sysmon2qql"), out
    assert "--max-record-size" in out and "Exit status" in out
    eq(err, "", "stderr")
    rc, out, err = run(["-V"])
    eq((rc, err), (0, ""), "version")
    assert re.fullmatch(r"sysmon2qql \d+\.\d+\.\d+\n", out), out


@test
def usage_errors_exit_2():
    for args, msg in [
        (["--bogus"], "unknown option '--bogus'"),
        (["--customer-id=nope"], "--customer-id: 'nope' is not a UUID"),
        (["--stats=xml"], "--stats: 'xml' is not text or json"),
        (["--non-sysmon=keep"], "is not skip, pass or reject"),
        (["--max-record-size=0"], "is not a size"),
        (["--max-record-size=12Q"], "is not a size"),
        (["--received-time=2024-01-01 00:00:00"], "a time with a zone"),
        (["-o"], "needs a value"),
        (["--input-format=xml"], "--input-format: 'xml' is not auto"),
        (["--output-dir=", "a.json"], "--output-dir needs a folder name"),
        (["--output-dir=od", "d1/x.json", "d2/x.json.gz"],
         "'d1/x.json' and 'd2/x.json.gz' would both be written to "
         "'od/x.qql.jsonl'"),
        (["--output-dir=od", "a.jsonl", "a.jsonl"],
         "'a.jsonl' and 'a.jsonl' would both be written"),
    ]:
        rc, out, err = run(args)
        eq(rc, 2, " ".join(args))
        assert err.startswith("sysmon2qql: error: ") and msg in err, err
        eq(out, "", "stdout")


@test
def one_line_per_record_and_quiet_success():
    path = write("good.jsonl", GOOD)
    rc, out, err = run([path])
    eq((rc, err), (0, ""), "run")
    lines = out.splitlines()
    eq(len(lines), 3, "lines")
    eq([json.loads(x)["baseEventId"] for x in lines], [1, 2, 3], "order")


@test
def framing_variants_give_identical_output():
    recs = [record(rid=i, CommandLine="a \"b\" {c} [d]") for i in range(3)]
    jsonl = "".join(line(r) + "\n" for r in recs)
    want = run([write("f.jsonl", jsonl)])[1]
    variants = {
        "array.json": json.dumps(recs),
        "pretty-array.json": json.dumps(recs, indent=2),
        "concat.json": "".join(json.dumps(r, indent=4) for r in recs),
        "bom-crlf.json": "\ufeff" + jsonl.replace("\n", "\r\n"),
        "blank.json": "\n\n" + jsonl.replace("\n", "\n\n  \n"),
        "mixed.json": json.dumps(recs[:1]) + "\n" + line(recs[1]) +
                      json.dumps(recs[2], indent=1),
    }
    for name, text in variants.items():
        rc, out, err = run([write(name, text)])
        eq((rc, err), (0, ""), name)
        eq(out, want, name)
    rc, out, err = run(["-"], stdin=jsonl.encode())
    eq((rc, out, err), (0, want, ""), "stdin -")
    rc, out, err = run([], stdin=jsonl.encode())
    eq((rc, out, err), (0, want, ""), "stdin")


@test
def gzip_input_is_read_by_its_magic():
    want = run([write("g.jsonl", GOOD)])[1]
    path = "g.data"
    with open(os.path.join(TMP, path), "wb") as f:
        f.write(gzip.compress(GOOD[:300].encode()))
        f.write(gzip.compress(GOOD[300:].encode()))
    rc, out, err = run([path])
    eq((rc, out, err), (0, want, ""), "two members")
    rc, out, err = run([], stdin=gzip.compress(GOOD.encode()))
    eq((rc, out, err), (0, want, ""), "stdin")
    data = gzip.compress(GOOD.encode())
    rc, out, err = run([write("cut.gz", data[:len(data) // 2], "wb")])
    eq(rc, 3, "truncated status")
    assert "sysmon2qql: cut.gz: error: " in err, err


@test
def bad_records_are_reported_counted_and_saved():
    bad_json = '{"Event": {"System": {"EventID": 1}, "EventData": {"A": }}}'
    text = (line(record(rid=1)) + "\n" + bad_json + "\n" + "42\n" +
            '{"foo": 1}\n' + '{"Event": {"System": {"EventID": "x"}}}\n' +
            line(record(rid=2)) + "\n")
    path = write("bad.jsonl", text)
    rc, out, err = run(["--rejects", "rej.jsonl", "--stats=json", path])
    eq(rc, 1, "status")
    eq(len(out.splitlines()), 2, "written")
    msgs = [x for x in err.splitlines() if not x.startswith("{")]
    eq(msgs, [
        "sysmon2qql: bad.jsonl:2: error: invalid JSON at line 2, column 57",
        "sysmon2qql: bad.jsonl:3: error: not a JSON object",
        "sysmon2qql: bad.jsonl:4: error: record matches no known export "
        "shape (tried: evtx, winlogbeat, wazuh, powershell, flat)",
        "sysmon2qql: bad.jsonl:5: error: EventID is not a whole number "
        "from 0 to 65535",
    ], "messages")
    stats = json.loads(err.splitlines()[-1])
    eq((stats["read"], stats["written"], stats["skipped"],
        stats["rejected"]), (6, 2, 0, 4), "stats")
    with open(os.path.join(TMP, "rej.jsonl")) as f:
        rejects = [json.loads(x) for x in f]
    eq([r["line"] for r in rejects], [2, 3, 4, 5], "reject lines")
    eq(rejects[0], {"file": "bad.jsonl", "line": 2,
                    "error": "invalid JSON at line 2, column 57",
                    "record": bad_json}, "reject entry")
    eq(rejects[1]["record"], "42", "scalar record")


@test
def cut_records_do_not_swallow_the_next_ones():
    text = (line(record(rid=1))[:64] + "\n" + line(record(rid=2)) + "\n" +
            '{"Event": {"System": {"EventID": 1}, "EventData": {"A": "x\n' +
            line(record(rid=3)) + "\n")
    rc, out, err = run([write("cut.jsonl", text)])
    eq(rc, 1, "status")
    eq([json.loads(x)["baseEventId"] for x in out.splitlines()], [2, 3],
       "records kept")
    eq(err.count("error: incomplete JSON value"), 2, err)
    assert "cut.jsonl:1: error" in err and "cut.jsonl:3: error" in err, err


@test
def strict_stops_and_leaves_no_output_file():
    text = GOOD + "{oops}\n" + GOOD
    path = write("strict.jsonl", text)
    rc, out, err = run(["--strict", "-o", "out.jsonl", path])
    eq(rc, 1, "status")
    assert not os.path.exists(os.path.join(TMP, "out.jsonl"))
    eq(err.splitlines()[-1], "sysmon2qql: error: 'out.jsonl' was not "
       "written: the run did not complete", "message")
    eq(err.count("error:"), 2, err)
    leftovers = [n for n in os.listdir(TMP) if n.startswith(".out.jsonl")]
    eq(leftovers, [], "temporary files")


@test
def output_file_appears_when_complete():
    path = write("o.jsonl", GOOD)
    rc, out, err = run(["-o", "result.jsonl", path])
    eq((rc, out, err), (0, "", ""), "run")
    with open(os.path.join(TMP, "result.jsonl")) as f:
        eq(f.read(), run([path])[1], "content")
    eq([n for n in os.listdir(TMP) if n.startswith(".result")], [],
       "temporary files")
    rc, out, err = run(["-o", "nodir/x.jsonl", path])
    eq(rc, 3, "unwritable output")
    assert "cannot create 'nodir/x.jsonl'" in err, err


@test
def output_keeps_up_with_a_pausing_input():
    """Each record is written once the input pauses after it, with or
    without worker threads, while the input stays open."""
    for jobs in ("1", "2"):
        p = subprocess.Popen([BIN, "-j", jobs], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, cwd=TMP)
        for i in range(1, 4):
            feed(p, (line(record(rid=i)) + "\n").encode())
            ready = select.select([p.stdout], [], [], 20)[0]
            assert ready, "record %d not written while the input paused" % i
            eq(json.loads(p.stdout.readline())["baseEventId"], i,
               "record %d, -j %s" % (i, jobs))
        close_input(p)
        eq((p.wait(30), p.stdout.read()), (0, b""), "end, -j " + jobs)


@test
def output_keeps_special_files_links_and_modes():
    path = write("sp.jsonl", GOOD)
    want = run([path])[1]
    fifo = os.path.join(TMP, "fifo")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(
        target=lambda: got.append(open(fifo, encoding="utf-8").read()))
    reader.start()
    rc, out, err = run(["-o", "fifo", path])
    reader.join(10)
    eq((rc, err), (0, ""), "fifo run")
    eq(got, [want], "fifo content")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "fifo replaced"
    write("target.jsonl", "old")
    os.chmod(os.path.join(TMP, "target.jsonl"), 0o600)
    os.symlink("target.jsonl", os.path.join(TMP, "link.jsonl"))
    rc, out, err = run(["-o", "link.jsonl", path])
    eq((rc, err), (0, ""), "link run")
    assert os.path.islink(os.path.join(TMP, "link.jsonl")), "link replaced"
    with open(os.path.join(TMP, "target.jsonl"), encoding="utf-8") as f:
        eq(f.read(), want, "link target content")
    eq(stat.S_IMODE(os.stat(os.path.join(TMP, "target.jsonl")).st_mode),
       0o600, "mode kept")


@test
def outputs_never_overwrite_inputs_or_each_other():
    path = write("in.jsonl", GOOD)
    for args in (["--rejects", "in.jsonl"], ["-o", "./in.jsonl"],
                 ["-o", "a.out", "--rejects", "./a.out"]):
        rc, out, err = run(args + [path])
        eq(rc, 2, " ".join(args))
        assert "refusing to overwrite" in err or "cannot share" in err, err
        with open(os.path.join(TMP, "in.jsonl")) as f:
            eq(f.read(), GOOD, "input intact")
    assert not os.path.exists(os.path.join(TMP, "a.out"))
    # The input on standard input, named or not, is an input too.
    full = os.path.join(TMP, path)
    os.link(full, os.path.join(TMP, "in-link.jsonl"))
    for args, target in [(["--rejects", "in.jsonl"], "in.jsonl"),
                         (["-o", "in.jsonl"], "in.jsonl"),
                         (["-o", "in-link.jsonl", "-"], "in-link.jsonl"),
                         (["--rejects=in.jsonl", "-j", "2", "-"],
                          "in.jsonl")]:
        with open(full, "rb") as f:
            p = subprocess.run([BIN] + args, stdin=f, capture_output=True,
                               cwd=TMP)
        eq((p.returncode, p.stdout, p.stderr.decode()),
           (2, b"", "sysmon2qql: error: '%s' is also an input (standard "
                    "input): refusing to overwrite it\n" % target),
           " ".join(args))
        with open(full) as f:
            eq(f.read(), GOOD, "input on standard input intact")
    with open(full, "rb") as f:
        p = subprocess.run([BIN, "-o", "in.jsonl", "a.json"], stdin=f,
                           capture_output=True, cwd=TMP)
    eq(p.returncode, 3, "standard input not read: no refusal")
    # Standard output appended to an input (x >> x) is refused too.
    for args in ([path], ["-"], []):
        with open(full, "rb") as f, open(full, "ab") as out:
            p = subprocess.run([BIN] + args, stdin=f, stdout=out,
                               stderr=subprocess.PIPE, cwd=TMP)
        eq((p.returncode, p.stderr.decode()),
           (2, "sysmon2qql: error: standard output is also an input "
               "(%s): refusing to write to it\n"
            % (path if args == [path] else "standard input")),
           "stdout appended to the input, %r" % args)
        with open(full) as f:
            eq(f.read(), GOOD, "input intact after >>")
    # Standard output and --rejects in one file, named or through a link.
    os.symlink("shared.out", os.path.join(TMP, "shared.link"))
    for rej in ("shared.out", "shared.link", "/dev/stdout"):
        with open(os.path.join(TMP, "shared.out"), "wb") as out:
            p = subprocess.run([BIN, "--rejects=" + rej, path], stdout=out,
                               stderr=subprocess.PIPE, cwd=TMP)
        eq((p.returncode, p.stderr.decode()),
           (2, "sysmon2qql: error: the output and the rejects cannot share "
               "the file '%s'\n" % rej), "stdout and --rejects=" + rej)
    p = subprocess.run([BIN, "--rejects=/dev/stdout", path],
                       capture_output=True, cwd=TMP)
    eq(p.returncode, 0, "--rejects=/dev/stdout into a pipe is allowed")


@test
def messages_escape_what_a_terminal_would_act_on():
    evil = "Evil\x1b[31m\nsysmon2qql: fake.json:1: error: forged\u202e\x85"
    path = write("evil.jsonl", line(record(provider=evil)) + "\n")
    rc, out, err = run(["--non-sysmon=reject", path])
    eq(rc, 1, "status")
    eq(err, "sysmon2qql: evil.jsonl:1: error: not a Sysmon event (provider "
            "'Evil\\x1b[31m\\x0asysmon2qql: fake.json:1: error: forged"
            "\\u202e\\u0085')\n", "message")


@test
def missing_input_is_reported_and_others_processed():
    path = write("m.jsonl", GOOD)
    rc, out, err = run(["missing.json", path])
    eq(rc, 3, "status")
    eq(len(out.splitlines()), 3, "other input written")
    eq(err, "sysmon2qql: error: cannot open 'missing.json': No such file "
            "or directory\n", "message")


@test
def non_sysmon_records_skip_pass_reject():
    text = (line(record(rid=1)) + "\n" +
            line(record(eid=4688, rid=2,
                        provider="Microsoft-Windows-Security-Auditing",
                        NewProcessName="n.exe")) + "\n")
    path = write("mixed.jsonl", text)
    rc, out, err = run(["--stats=json", path])
    eq(rc, 0, "skip status")
    eq(len(out.splitlines()), 1, "skip lines")
    stats = json.loads(err)
    eq((stats["read"], stats["written"], stats["skipped"]), (2, 1, 1),
       "skip stats")
    rc, out, err = run(["--non-sysmon=pass", path])
    eq((rc, err), (0, ""), "pass")
    passed = json.loads(out.splitlines()[1])
    eq(passed["deviceEventId"],
       "Microsoft-Windows-Security-Auditing:4688", "pass id")
    eq(passed["NewProcessName"], "n.exe", "pass field")
    eq(passed["Image"], "C:\\x.exe", "pass Image stays a leftover")
    assert "deviceType" not in passed and "eventName" not in passed
    rc, out, err = run(["--non-sysmon=reject", path])
    eq(rc, 1, "reject status")
    assert "mixed.jsonl:2: error: not a Sysmon event" in err, err


@test
def oversize_record_is_rejected_and_saved_whole():
    big = line(record(rid=2, CommandLine="A" * 5000 + "é"))
    text = line(record(rid=1)) + "\n" + big + "\n" + line(record(rid=3))
    path = write("big.jsonl", text + "\n")
    rc, out, err = run(["--max-record-size=1K", "--rejects", "big-rej.jsonl",
                        path])
    eq(rc, 1, "status")
    eq([json.loads(x)["baseEventId"] for x in out.splitlines()], [1, 3],
       "kept")
    assert ("big.jsonl:2: error: record of %d bytes is larger than "
            "--max-record-size (1024 bytes)" % len(big.encode())) in err, err
    with open(os.path.join(TMP, "big-rej.jsonl"), encoding="utf-8") as f:
        rejects = [json.loads(x) for x in f]
    eq(len(rejects), 1, "rejects")
    eq(rejects[0]["record"], big, "verbatim")
    eq(rejects[0]["line"], 2, "line")


@test
def closed_pipe_ends_quietly():
    text = "".join(line(record(rid=i)) + "\n" for i in range(20000))
    path = write("many.jsonl", text)
    p = subprocess.run("'%s' '%s' | head -n 1 >/dev/null; "
                       "echo ${PIPESTATUS[0]}" % (BIN, path),
                       shell=True, executable="/bin/bash",
                       capture_output=True, cwd=TMP)
    eq(p.stdout.decode().strip(), "0", "status")
    eq(p.stderr.decode(), "", "stderr")


@test
def an_array_left_open_is_reported():
    recs = [line(record(rid=i)) for i in range(1, 4)]
    path = write("open.json", "[" + ",\n".join(recs) + "\n")
    for jobs in ("1", "2"):
        rc, out, err = run(["-j", jobs, path])
        eq((rc, len(out.splitlines())), (0, 3), "records, -j " + jobs)
        eq(err, "sysmon2qql: open.json: warning: the input ends inside a "
                "top-level array (no closing ']'): it may be cut short\n",
           "message, -j " + jobs)
    path = write("closed.json", "[" + ",\n".join(recs) + "]\n")
    eq(run([path])[0::2], (0, ""), "a closed array")


@test
def full_disk_is_an_output_error():
    path = write("full.jsonl", GOOD)
    with open("/dev/full", "w") as full:
        p = subprocess.run([BIN, path], stdout=full, capture_output=False,
                           stderr=subprocess.PIPE, cwd=TMP)
    eq(p.returncode, 3, "status")
    eq(p.stderr.decode(), "sysmon2qql: error: cannot write output: No "
                          "space left on device\n", "message")
    # The records counted, and their messages, are those up to the one
    # being written when the output failed, whatever the batches: here the
    # first, with its warning, and not the rejected one after it.
    warned = line(record(rid=1, ProcessId="x")) + "\n{oops}\n"
    path = write("full2.jsonl", warned + GOOD * 2000)
    want = None
    for jobs in ("1", "2", "3"):
        with open("/dev/full", "w") as full:
            p = subprocess.run([BIN, "-j", jobs, "--stats=json", path],
                               stdout=full, stderr=subprocess.PIPE, cwd=TMP)
        lines = p.stderr.decode().splitlines()
        # What was read ahead of the failure depends on -j (bytes).
        err = re.sub(r'"(seconds|bytes)":[0-9.]+', "", p.stderr.decode())
        eq(p.returncode, 3, "status, -j " + jobs)
        eq(lines[:2], ["sysmon2qql: full2.jsonl:1: warning: field "
                       "'ProcessId' is not a whole number in range",
                       "sysmon2qql: error: cannot write output: No space "
                       "left on device"], "messages, -j " + jobs)
        stats = json.loads(lines[-1])
        eq((stats["read"], stats["written"], stats["rejected"]), (1, 1, 0),
           "counts, -j " + jobs)
        want = want or err
        eq(err, want, "-j %s as -j 1" % jobs)


@test
def help_version_and_listing_to_a_full_disk_fail():
    for args in (["--help"], ["--version"], ["--list-mappings"]):
        with open("/dev/full", "w") as full:
            p = subprocess.run([BIN] + args, stdout=full,
                               stderr=subprocess.PIPE, cwd=TMP)
        eq(p.returncode, 3, " ".join(args))
        eq(p.stderr.decode(), "sysmon2qql: error: cannot write output: No "
                              "space left on device\n", " ".join(args))


@test
def output_dir_never_overwrites_an_input_or_the_rejects():
    os.makedirs(os.path.join(TMP, "od-in"), exist_ok=True)
    src = write("od-src.json", GOOD)
    kept = write("od-in/od-src.qql.jsonl", GOOD)
    for args, msg in [
        (["--output-dir=od-in", src, kept],
         "'od-in/od-src.qql.jsonl' is also an input: refusing to "
         "overwrite it"),
        (["--rejects=od-in/od-src.qql.jsonl", "--output-dir=od-in", src],
         "the output and the rejects cannot share the file"),
    ]:
        rc, out, err = run(args)
        eq(rc, 2, " ".join(args))
        assert msg in err, err
        with open(os.path.join(TMP, kept)) as f:
            eq(f.read(), GOOD, "input kept")


@test
def pretty_mapped_only_and_internal_tokens():
    path = write("p.jsonl", line(record(rid=5, RuleName="r")) + "\n")
    rc, out, err = run(["--pretty", path])
    eq((rc, err), (0, ""), "pretty")
    assert out.startswith('{\n  "deviceType": "Application",\n'), out
    eq(json.loads(out)["RuleName"], "r", "pretty parses")
    rc, out, err = run(["--mapped-only", path])
    assert "RuleName" not in out and "UtcTime" not in out, out
    rc, out, err = run([
        "--customer-id=D656B196-EDB7-45E6-8485-3748A740D002",
        "--collector-id=ae102769-bd05-415d-af3c-2cc59681cbab",
        "--event-source-id=69608d8a-4088-4c6d-be0c-f3d5108f25d6",
        "--received-time=2021-09-14T11:29:00+02:00", path])
    eq((rc, err), (0, ""), "internal")
    o = json.loads(out)
    eq(o["customerId"], "d656b196-edb7-45e6-8485-3748a740d002", "customer")
    eq(o["collectorId"], "ae102769-bd05-415d-af3c-2cc59681cbab", "collector")
    eq(o["eventSourceId"], "69608d8a-4088-4c6d-be0c-f3d5108f25d6", "source")
    eq(o["collectorReceivedTime"], "2021-09-14T09:29:00.000Z", "received")
    keys = list(o)
    eq(keys[3:8], ["customerId", "collectorId", "eventSourceId", "eventId",
                   "collectorReceivedTime"], "order")
    rc, out, err = run(["--received-time=now", path])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",
                        json.loads(out)["collectorReceivedTime"]), out


@test
def warnings_quiet_and_verbose():
    path = write("w.jsonl", line(record(rid=1, SourcePort="http")) + "\n")
    rc, out, err = run([path])
    eq(rc, 0, "status")
    eq(err, "sysmon2qql: w.jsonl:1: warning: field 'SourcePort' is not a "
            "whole number in range\n", "warning")
    eq(json.loads(out)["SourcePort"], "http", "kept")
    rc, out, err = run(["-q", path])
    eq(err, "", "quiet")
    rc, out, err = run(["-v", path])
    assert "1 records read, 1 written, 0 skipped" in err, err


@test
def stats_text_and_json_account_for_every_record():
    text = GOOD + line(record(eid=99, rid=9)) + "\n" + "[1]\n"
    path = write("s.jsonl", text)
    rc, out, err = run(["--stats", "-q", path])
    eq(rc, 1, "status")
    assert "5 records read, 4 written, 0 skipped (0 not Sysmon, 0 filtered "\
        "out), 1 rejected" in err, err
    assert "1 unknown event IDs" in err, err
    assert "per event ID: 1:3 99:1" in err, err
    rc, out, err = run(["--stats=json", "-q", path])
    stats = json.loads(err.splitlines()[-1])
    eq(stats["event_ids"], {"1": 3, "99": 1}, "per id")
    eq(stats["unknown_event_ids"], 1, "unknown")
    eq(stats["shapes"]["evtx"], 4, "shapes")
    eq(stats["read"], stats["written"] + stats["skipped"] +
       stats["rejected"], "accounting")
    eq(stats["bytes"], len(text.encode()), "bytes")


@test
def jobs_give_the_same_output_messages_and_counts():
    recs = []
    for i in range(30000):
        if i % 997 == 5:
            recs.append('{"Event": {"System": {"EventID": 1}, "EventData": ')
        elif i % 1499 == 7:
            recs.append(line(record(rid=i, SourcePort="http")))
        else:
            recs.append(line(record(rid=i, CommandLine="x" * (i % 300))))
    path = write("jobs.jsonl", "\n".join(recs) + "\n")
    base = run(["--rejects", "r1.jsonl", "--stats=json", path])
    eq(base[0], 1, "status")
    with open(os.path.join(TMP, "r1.jsonl")) as f:
        rejects = f.read()
    for jobs in ("2", "4"):
        got = run(["-j", jobs, "--rejects", "r2.jsonl", "--stats=json",
                   path])
        eq(got[0], base[0], "status -j " + jobs)
        eq(got[1], base[1], "output -j " + jobs)
        eq(re.sub(r'"seconds":[0-9.]+', "", got[2]),
           re.sub(r'"seconds":[0-9.]+', "", base[2]), "stderr -j " + jobs)
        with open(os.path.join(TMP, "r2.jsonl")) as f:
            eq(f.read(), rejects, "rejects -j " + jobs)
    rc, out, err = run(["-j", "2", "--strict", path])
    eq(rc, 1, "strict status")
    eq(len(out.splitlines()), 5, "strict output stops at the reject")
    eq(err.count("error:"), 1, "strict messages")
    big = line(record(rid=1, CommandLine="B" * 3000))
    text = GOOD + big + "\n" + GOOD
    path = write("jbig.jsonl", text)
    base = run(["--max-record-size=2K", "--rejects", "b1.jsonl", path])
    got = run(["-j", "2", "--max-record-size=2K", "--rejects", "b2.jsonl",
               path])
    eq(got, base, "oversize with -j")
    for bad in ("0", "x", "2000"):
        rc, out, err = run(["-j", bad, path])
        eq(rc, 2, "-j " + bad)


@test
def utf16_input_is_named_not_misread():
    path = write("u16.json", "\ufeff" + GOOD, "w")
    with open(os.path.join(TMP, path), "wb") as f:
        f.write(("\ufeff" + GOOD).encode("utf-16-le"))
    rc, out, err = run([path])
    eq((rc, out), (3, ""), "status and output")
    assert "u16.json: error: the input is UTF-16 text" in err, err
    eq(err.count("\n"), 1, "one message")


@test
def event_id_keeps_only_the_listed_events():
    recs = [record(eid=e, rid=i) for i, e in
            enumerate([1, 3, 5, 10, 11, 12, 13, 14, 22, 255])]
    recs.append(record(eid=4688, rid=99,
                       provider="Microsoft-Windows-Security-Auditing"))
    path = write("ids.jsonl", "".join(line(r) + "\n" for r in recs))
    for jobs in ("1", "2"):
        rc, out, err = run(["-j", jobs, "--event-id", "1,3,10-13",
                            "--stats=json", path])
        eq(rc, 0, "status")
        got = [json.loads(x)["deviceEventId"] for x in out.splitlines()]
        eq(got, ["Microsoft-Windows-Sysmon:%d" % e
                 for e in (1, 3, 10, 11, 12, 13)], "kept")
        stats = json.loads(err)
        eq((stats["read"], stats["written"], stats["skipped"],
            stats["filtered"]), (11, 6, 5, 4), "stats")
    for bad in ("", "1,", "a", "3-1", "1-70000", "-1"):
        rc, out, err = run(["--event-id", bad, path])
        eq(rc, 2, "--event-id " + repr(bad))
    rc, out, err = run(["--event-id", "1", "--event-id", "10-12", path])
    eq(len(out.splitlines()), 4, "several --event-id options add up")


@test
def fields_writes_only_the_names_asked_for_in_order():
    wlb = {"@timestamp": "2024-03-04T07:00:00.000Z", "winlog": {
        "event_id": "1", "provider_name": "Microsoft-Windows-Sysmon",
        "channel": "Microsoft-Windows-Sysmon/Operational",
        "computer_name": "ws03", "record_id": 12, "event_data": {
            "Image": "C:\\a.exe", "RuleName": "r1",
            "UtcTime": "2024-03-04 07:00:00.000"}}}
    path = write("f.jsonl", line(record(rid=7, RuleName="r0")) + "\n" +
                 json.dumps(wlb) + "\n")
    rc, out, err = run(["--fields", "RuleName,processName,nosuch,eventTime",
                        path])
    eq((rc, err), (0, ""), "run")
    eq(out.splitlines(), [
        '{"RuleName":"r0","processName":"C:\\\\x.exe",'
        '"eventTime":"2024-01-01T00:00:00.000Z"}',
        '{"RuleName":"r1","processName":"C:\\\\a.exe",'
        '"eventTime":"2024-03-04T07:00:00.000Z"}'], "lines")
    rc, out, err = run(["--fields", "baseEventId", "--pretty", path])
    eq(out, '{\n  "baseEventId": 7\n}\n{\n  "baseEventId": 12\n}\n',
       "pretty")
    rc, out, err = run(["--fields", "nosuch", path])
    eq(out, "{}\n{}\n", "nothing asked for is there")
    rc, out, err = run(["--fields", "a,,b", path])
    eq(rc, 2, "empty name")
    rc, out, err = run(["--fields", "command,eventTime,command", path])
    eq(rc, 2, "a name twice")


@test
def compressed_output_with_dot_gz_or_compress():
    path = write("c.jsonl", GOOD)
    want = run([path])[1]
    rc, out, err = run(["-o", "c.out.gz", path])
    eq((rc, out, err), (0, "", ""), "-o .gz")
    with open(os.path.join(TMP, "c.out.gz"), "rb") as f:
        eq(gzip.decompress(f.read()).decode(), want, "-o .gz content")
    p = subprocess.run([BIN, "--compress", "-j", "2", path],
                       capture_output=True, cwd=TMP)
    eq((p.returncode, p.stderr), (0, b""), "--compress")
    eq(gzip.decompress(p.stdout).decode(), want, "--compress content")
    with open("/dev/full", "w") as full:
        p = subprocess.run([BIN, "--compress", path], stdout=full,
                           stderr=subprocess.PIPE, cwd=TMP)
    eq(p.returncode, 3, "full disk")
    eq(p.stderr.decode().count("error:"), 1, p.stderr.decode())


@test
def output_dir_writes_one_complete_file_per_input():
    os.mkdir(os.path.join(TMP, "od"))
    write("da.json", GOOD)
    with open(os.path.join(TMP, "db.jsonl.gz"), "wb") as f:
        f.write(gzip.compress(GOOD.encode()))
    write("dc.ndjson", GOOD + "{oops\n")
    with open(os.path.join(TMP, "dd.json.gz"), "wb") as f:
        f.write(gzip.compress(GOOD.encode())[:60])
    want = run(["da.json"])[1]
    rc, out, err = run(["-v", "-j", "2", "--output-dir", "od", "da.json",
                        "db.jsonl.gz", "dc.ndjson", "dd.json.gz",
                        "nosuch.json"])
    eq((rc, out), (3, ""), "status, nothing on stdout")
    eq(sorted(os.listdir(os.path.join(TMP, "od"))),
       ["da.qql.jsonl", "db.qql.jsonl", "dc.qql.jsonl"], "files")
    for name in ("da", "db", "dc"):
        with open(os.path.join(TMP, "od", name + ".qql.jsonl")) as f:
            eq(f.read(), want, name)
    assert "da.json: 3 records read, 3 written, 0 skipped, 0 rejected; " \
        "output 'od/da.qql.jsonl'" in err, err
    assert "'od/dd.qql.jsonl' was not written" in err, err
    rc, out, err = run(["--output-dir", "od", "--compress", "da.json"])
    eq(rc, 0, "compress status")
    with open(os.path.join(TMP, "od", "da.qql.jsonl.gz"), "rb") as f:
        eq(gzip.decompress(f.read()).decode(), want, "compressed")
    for args in (["--output-dir", "od", "-o", "x", "da.json"],
                 ["--output-dir", "od"], ["--output-dir", "od", "-"]):
        eq(run(args)[0], 2, " ".join(args))
    # A missing folder is created; a missing parent is an error.
    rc, out, err = run(["--output-dir=od-new", "da.json"])
    eq((rc, err), (0, ""), "new folder")
    with open(os.path.join(TMP, "od-new", "da.qql.jsonl")) as f:
        eq(f.read(), want, "in the new folder")
    rc, out, err = run(["--output-dir=od-none/sub", "da.json"])
    eq((rc, err), (3, "sysmon2qql: error: cannot create 'od-none/sub': "
                      "No such file or directory\n"), "missing parent")


def read_terminal(master):
    """Everything the pseudo-terminal received until its other end closed;
    closes master."""
    got = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        got += data
    os.close(master)
    return got


def run_on_terminal(args, pieces, pause):
    """Run with standard error on a pseudo-terminal, feeding standard
    input in pieces with a pause between them; return (status, stderr)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([BIN] + args, stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=slave, cwd=TMP)
    os.close(slave)
    for i, piece in enumerate(pieces):
        if i > 0:
            time.sleep(pause)
        feed(p, piece.encode())
    close_input(p)
    p.wait(30)
    return p.returncode, read_terminal(master).decode()


@test
def progress_line_on_a_terminal_only():
    pieces = [GOOD, GOOD, GOOD]
    # The line is first drawn after a second: feed for well over that,
    # even when sysmon2qql starts slowly (under valgrind, say).
    rc, err = run_on_terminal([], pieces + [GOOD, GOOD], 0.8)
    eq(rc, 0, "status")
    assert re.search(r"\r\x1b\[Ksysmon2qql: [0-9.]+ MB, [0-9]+ records, "
                     r"[0-9.]+ MB/s", err), repr(err)
    assert err.endswith("\r\x1b[K"), "line erased at the end: %r" % err
    rc, err = run_on_terminal(["--no-progress"], pieces, 0.8)
    eq((rc, err), (0, ""), "--no-progress")
    rc, err = run_on_terminal(["-q"], pieces, 0.8)
    eq((rc, err), (0, ""), "-q")
    p = subprocess.Popen([BIN], stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for piece in pieces:
        feed(p, piece.encode())
        time.sleep(0.8)
    close_input(p)
    eq((p.wait(30), p.stderr.read()), (0, b""), "not a terminal")


def stdout_on_terminal(args, stdin):
    """Run with standard output on a pseudo-terminal; return (status,
    what the terminal received)."""
    master, slave = pty.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST          # no LF to CRLF on the way
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    p = subprocess.Popen([BIN] + args, stdin=subprocess.PIPE, stdout=slave,
                         stderr=subprocess.DEVNULL, cwd=TMP)
    os.close(slave)
    feed(p, stdin.encode())
    close_input(p)
    got = read_terminal(master)
    p.wait(30)
    return p.returncode, got.decode()


@test
def output_on_a_terminal_escapes_what_it_would_act_on():
    cmd = "a\u202eb\u0085c\x7fd\u2028e\u2066f\u061cg\u200fh\x1bi"
    text = line(record(CommandLine=cmd)) + "\n"
    escaped = ('"command":"a\\u202eb\\u0085c\\u007fd\\u2028e\\u2066f'
               '\\u061cg\\u200fh\\u001bi"')
    for args in ([], ["--pretty"], ["-j", "2"]):
        rc, got = stdout_on_terminal(args, text)
        eq(rc, 0, "status")
        got = got.replace('": "', '":"')
        assert escaped in got, (args, got)
        obj = json.loads(got)
        eq(obj["command"], cmd, "same value")
    rc, out, err = run([], text.encode())
    eq(json.loads(out)["command"], cmd, "not a terminal")
    assert "\u202e" in out and "\\u202e" not in out, "raw when piped"


@test
def compressed_output_is_not_sent_to_a_terminal():
    rc, got = stdout_on_terminal(["--compress"], GOOD)
    eq((rc, got), (2, ""), "refused")


def children_of(pid):
    """The PIDs of the processes whose parent is pid (from /proc)."""
    kids = []
    for name in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % name) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            kids.append(int(name))
    return kids


@test
def output_dir_with_jobs_converts_files_at_once():
    os.mkdir(os.path.join(TMP, "pj"))
    names = []
    for i in range(5):
        names.append(write("pj%d.jsonl" % i, "".join(
            line(record(rid=i * 100 + k)) + "\n" for k in range(50))))
    names.append(write("pjbad.jsonl", GOOD + "{oops\n"))
    rc, out, err = run(["-j", "3", "--stats=json", "--output-dir", "pj"] +
                       names)
    eq(rc, 1, "status")
    stats = json.loads(err.splitlines()[-1])
    eq((stats["read"], stats["written"], stats["rejected"]), (254, 253, 1),
       "merged counts")
    for name in names:
        base = name.rsplit(".", 1)[0]
        with open(os.path.join(TMP, "pj", base + ".qql.jsonl")) as f:
            eq(f.read(), run([name])[1], base)
    fifo = os.path.join(TMP, "pj.fifo")
    os.mkfifo(fifo)
    p = subprocess.Popen([BIN, "-q", "-j", "2", "--output-dir", "pj",
                          names[0], "pj.fifo"], cwd=TMP)
    with open(fifo, "w") as f:
        f.write(GOOD)
        f.flush()
        time.sleep(0.5)
        kids = children_of(p.pid)
        p.terminate()
        eq(p.wait(10), -15, "ended by the signal")
    assert kids, "the run had child processes"
    eq([k for k in kids if os.path.exists("/proc/%d" % k)], [],
       "every child ended and was reaped")
    time.sleep(0.2)
    eq([n for n in os.listdir(os.path.join(TMP, "pj")) if n.startswith(".")],
       [], "no temporary file left")


@test
def empty_and_blank_inputs():
    for name, content in [("empty.json", ""), ("ws.json", " \n\r\n\t"),
                          ("bom.json", "\ufeff")]:
        rc, out, err = run([write(name, content)])
        eq((rc, out, err), (0, "", ""), name)


def main():
    failed = [r for r in RESULTS if r[1]]
    for name, error in RESULTS:
        print(("FAIL " if error else "ok   ") + name)
        if error:
            print("     " + error.replace("\n", "\n     "))
    print("%d passed, %d failed" % (len(RESULTS) - len(failed),
                                    len(failed)))
    subprocess.run(["rm", "-rf", TMP])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
