#!/usr/bin/env python3
"""Render the evtx-shape samples of samples/shapes/evtx/ in the other
export shapes, the way each exporter writes the same events.

Usage:
  render.py [SHAPES_DIR]
      read SHAPES_DIR/evtx/*.json (default: this script's folder) and
      write SHAPES_DIR/{winlogbeat8,winlogbeat6,flat,wazuh,powershell}/
      with one file of the same name per shape
  render.py --select EVENTS_DIR [SHAPES_DIR]
      first rewrite SHAPES_DIR/evtx/ from EVENTS_DIR/*.json: the lines
      of the Windows Sysmon records whose EventData is the complete field
      list of schema 4.90 in its order (the only records that every shape,
      PowerShell's positional one included, can carry), copied verbatim

Python 3 standard library only; the output depends on the input alone, so
the committed files can be regenerated and compared.

What each exporter does to the same event (README.md says more):
- winlogbeat8: Winlogbeat 8 (some records Winlogbeat 7: event_id a
  number, no time_created), ECS envelope, every EventData value a string,
  empty values dropped;
- winlogbeat6: the pre-ECS Winlogbeat 6 document, record_number a string;
- flat: NXLog im_msvistalog as JSON, local EventTime, EventData at top
  level ("-" kept, empty values dropped), some records through Logstash;
  a Sysmon EventType pushes NXLog's to EventTypeOrignal, and event 4's
  Sysmon Version takes the place of the System one (every other record)
  or is lost to it;
- wazuh: the eventchannel decoder's win object (every other record a full
  alert): first letters lower-cased, values XML-escaped and then JSON
  escaped once more than needed, no Security UserID (wazuh/wazuh#16254);
- powershell: Get-WinEvent | ConvertTo-Json (Windows PowerShell 5.1
  layout and escaping, UTF-8 with BOM, CRLF), typed positional values.
"""
import calendar
import json
import os
import random
import re
import sys
import time

SHAPES = ("winlogbeat8", "winlogbeat6", "flat", "wazuh", "powershell")

# EventData field lists of schema 4.90 (SYSMON-SCHEMA.md), in order, with
# their types: plain = UnicodeString, :g GUID, :u UInt32/UInt16,
# :x HexInt32/HexInt64, :b Boolean.
LAYOUTS = {
    1: """RuleName UtcTime ProcessGuid:g ProcessId:u Image FileVersion
        Description Product Company OriginalFileName CommandLine
        CurrentDirectory User LogonGuid:g LogonId:x TerminalSessionId:u
        IntegrityLevel Hashes ParentProcessGuid:g ParentProcessId:u
        ParentImage ParentCommandLine ParentUser""",
    2: """RuleName UtcTime ProcessGuid:g ProcessId:u Image TargetFilename
        CreationUtcTime PreviousCreationUtcTime User""",
    3: """RuleName UtcTime ProcessGuid:g ProcessId:u Image User Protocol
        Initiated:b SourceIsIpv6:b SourceIp SourceHostname SourcePort:u
        SourcePortName DestinationIsIpv6:b DestinationIp
        DestinationHostname DestinationPort:u DestinationPortName""",
    4: "UtcTime State Version SchemaVersion",
    5: "RuleName UtcTime ProcessGuid:g ProcessId:u Image User",
    6: """RuleName UtcTime ImageLoaded Hashes Signed Signature
        SignatureStatus""",
    7: """RuleName UtcTime ProcessGuid:g ProcessId:u Image ImageLoaded
        FileVersion Description Product Company OriginalFileName Hashes
        Signed Signature SignatureStatus User""",
    8: """RuleName UtcTime SourceProcessGuid:g SourceProcessId:u
        SourceImage TargetProcessGuid:g TargetProcessId:u TargetImage
        NewThreadId:u StartAddress StartModule StartFunction SourceUser
        TargetUser""",
    9: "RuleName UtcTime ProcessGuid:g ProcessId:u Image Device User",
    10: """RuleName UtcTime SourceProcessGUID:g SourceProcessId:u
        SourceThreadId:u SourceImage TargetProcessGUID:g
        TargetProcessId:u TargetImage GrantedAccess:x CallTrace
        SourceUser TargetUser""",
    11: """RuleName UtcTime ProcessGuid:g ProcessId:u Image TargetFilename
        CreationUtcTime User""",
    12: """RuleName EventType UtcTime ProcessGuid:g ProcessId:u Image
        TargetObject User""",
    13: """RuleName EventType UtcTime ProcessGuid:g ProcessId:u Image
        TargetObject Details User""",
    14: """RuleName EventType UtcTime ProcessGuid:g ProcessId:u Image
        TargetObject NewName User""",
    15: """RuleName UtcTime ProcessGuid:g ProcessId:u Image TargetFilename
        CreationUtcTime Hash Contents User""",
    16: "UtcTime Configuration ConfigurationFileHash",
    17: """RuleName EventType UtcTime ProcessGuid:g ProcessId:u PipeName
        Image User""",
    18: """RuleName EventType UtcTime ProcessGuid:g ProcessId:u PipeName
        Image User""",
    19: """RuleName EventType UtcTime Operation User EventNamespace Name
        Query""",
    20: "RuleName EventType UtcTime Operation User Name Type Destination",
    21: "RuleName EventType UtcTime Operation User Consumer Filter",
    22: """RuleName UtcTime ProcessGuid:g ProcessId:u QueryName QueryStatus
        QueryResults Image User""",
    23: """RuleName UtcTime ProcessGuid:g ProcessId:u User Image
        TargetFilename Hashes IsExecutable:b Archived""",
    24: """RuleName UtcTime ProcessGuid:g ProcessId:u Image Session:u
        ClientInfo Hashes Archived User""",
    25: "RuleName UtcTime ProcessGuid:g ProcessId:u Image Type User",
    26: """RuleName UtcTime ProcessGuid:g ProcessId:u User Image
        TargetFilename Hashes IsExecutable:b""",
    27: """RuleName UtcTime ProcessGuid:g ProcessId:u User Image
        TargetFilename Hashes""",
    28: """RuleName UtcTime ProcessGuid:g ProcessId:u User Image
        TargetFilename Hashes IsExecutable:b""",
    29: """RuleName UtcTime ProcessGuid:g ProcessId:u User Image
        TargetFilename Hashes""",
    255: "UtcTime ID Description",
}

# The task category as Windows renders it (SYSMON-SCHEMA.md).
TASKS = {
    1: "Process Create (rule: ProcessCreate)",
    2: "File creation time changed (rule: FileCreateTime)",
    3: "Network connection detected (rule: NetworkConnect)",
    4: "Sysmon service state changed",
    5: "Process terminated (rule: ProcessTerminate)",
    6: "Driver loaded (rule: DriverLoad)",
    7: "Image loaded (rule: ImageLoad)",
    8: "CreateRemoteThread detected (rule: CreateRemoteThread)",
    9: "RawAccessRead detected (rule: RawAccessRead)",
    10: "Process accessed (rule: ProcessAccess)",
    11: "File created (rule: FileCreate)",
    12: "Registry object added or deleted (rule: RegistryEvent)",
    13: "Registry value set (rule: RegistryEvent)",
    14: "Registry object renamed (rule: RegistryEvent)",
    15: "File stream created (rule: FileCreateStreamHash)",
    16: "Sysmon config state changed",
    17: "Pipe Created (rule: PipeEvent)",
    18: "Pipe Connected (rule: PipeEvent)",
    19: "WmiEventFilter activity detected (rule: WmiEvent)",
    20: "WmiEventConsumer activity detected (rule: WmiEvent)",
    21: "WmiEventConsumerToFilter activity detected (rule: WmiEvent)",
    22: "Dns query (rule: DnsQuery)",
    23: "File Delete archived (rule: FileDelete)",
    24: "Clipboard changed (rule: ClipboardChange)",
    25: "Process Tampering (rule: ProcessTampering)",
    26: "File Delete logged (rule: FileDeleteDetected)",
    27: "File Block Executable (rule: FileBlockExecutable)",
    28: "File Block Shredding (rule: FileBlockShredding)",
    29: "File Executable Detected (rule: FileExecutableDetected)",
    255: "Error report",
}

# The machines of the samples: minutes east of UTC of their local clock
# (what NXLog writes), and the Wazuh agent each one runs.
HOSTS = {
    "ws01.example.test": (120, "001", "192.0.2.25"),
    "ws02.example.test": (-240, "002", "192.0.2.31"),
    "srv-app01.corp.example.test": (540, "003", "192.0.2.80"),
}

# Well-known SIDs as Windows resolves them: domain, name.
ACCOUNTS = {"S-1-5-18": ("NT AUTHORITY", "SYSTEM")}

LEVEL_NAMES = {2: "Error", 4: "Information"}
GUID = re.compile(r"^\{?([0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})"
                  r"\}?$")
HEX = re.compile(r"^0[xX][0-9A-Fa-f]+$")
KEYWORDS = -9223372036854775808     # 0x8000000000000000 as an Int64
MANAGER = "wazuh-manager"
COLLECTOR = "logstash01.example.test"


class RenderError(Exception):
    pass


def layout(event_id):
    """The 4.90 field list of an event ID as (name, type) pairs."""
    pairs = []
    for item in LAYOUTS[event_id].split():
        name, _, kind = item.partition(":")
        pairs.append((name, kind or "s"))
    return pairs


def attr(elem, name):
    """An attribute of an element as evtx_dump renders it."""
    if not isinstance(elem, dict):
        return None
    if "#attributes" in elem:
        return elem["#attributes"].get(name)
    return elem.get(name, elem.get("@" + name))


def text(elem):
    """The text of an element: the value, or its #text."""
    return elem.get("#text") if isinstance(elem, dict) else elem


def data_items(event_data):
    """The EventData of an evtx record as (name, raw value) pairs."""
    items = event_data.get("Data") if isinstance(event_data, dict) else None
    if items is None:
        return list(event_data.items())
    if isinstance(items, dict):
        items = [items]
    return [(i.get("@Name", i.get("Name")), i.get("#text")) for i in items]


class Event:
    """The System values and typed EventData of one evtx record."""

    def __init__(self, record):
        event = record["Event"]
        system = event["System"]
        self.event_id = int(text(system["EventID"]))
        self.provider = attr(system["Provider"], "Name")
        self.provider_guid = GUID.match(
            attr(system["Provider"], "Guid")).group(1).upper()
        self.version = int(text(system["Version"]))
        self.level = int(text(system["Level"]))
        self.task = int(text(system["Task"]))
        self.opcode = int(text(system["Opcode"]))
        self.system_time = attr(system["TimeCreated"], "SystemTime")
        self.record_id = int(text(system["EventRecordID"]))
        self.pid = int(attr(system["Execution"], "ProcessID"))
        self.tid = int(attr(system["Execution"], "ThreadID"))
        self.channel = text(system["Channel"])
        self.computer = text(system["Computer"])
        self.sid = attr(system["Security"], "UserID")
        self.data = []
        names = [n for n, _ in data_items(event["EventData"])]
        want = layout(self.event_id)
        if names != [n for n, _ in want]:
            raise RenderError("EventData is not the 4.90 layout of event "
                              "%d: %s" % (self.event_id, names))
        values = dict(data_items(event["EventData"]))
        for name, kind in want:
            self.data.append((name, kind, xml_text(kind, values[name])))
        self.parse_time()

    def parse_time(self):
        """SystemTime as whole seconds since the epoch plus the nine
        fraction digits."""
        m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.(\d{1,9}))?Z$",
                     self.system_time)
        if not m:
            raise RenderError("SystemTime %r" % self.system_time)
        self.seconds = calendar.timegm(time.strptime(m.group(1),
                                                     "%Y-%m-%dT%H:%M:%S"))
        self.fraction = (m.group(3) or "").ljust(9, "0")
        self.ms = self.seconds * 1000 + int(self.fraction[:3])

    @property
    def header(self):
        """The first line of the rendered message."""
        return TASKS[self.event_id].split(" (rule: ")[0] + ":"

    @property
    def level_name(self):
        return LEVEL_NAMES[self.level]

    @property
    def host(self):
        if self.computer not in HOSTS:
            raise RenderError("no local clock known for %s" % self.computer)
        return HOSTS[self.computer]

    def account(self):
        if self.sid not in ACCOUNTS:
            raise RenderError("no account name known for %s" % self.sid)
        return ACCOUNTS[self.sid]

    def message(self, newline):
        """The event's rendered message, as the Event Log service formats
        it from the manifest template."""
        lines = [self.header]
        for name, kind, value in self.data:
            if kind == "x" and value:
                value = "0x%X" % int(value, 16)
            lines.append("%s: %s" % (name, value))
        return newline.join(lines)

    def short_name(self):
        return self.computer.split(".")[0]


def xml_text(kind, raw):
    """A value as the event XML holds it: GUIDs braced lower-case, hex
    values 0x plus lower-case digits, booleans true/false, empty for a
    missing value."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int):
        return str(raw)
    if not isinstance(raw, str):
        raise RenderError("unexpected value %r" % (raw,))
    if kind == "g" and GUID.match(raw):
        return "{%s}" % GUID.match(raw).group(1).lower()
    if kind == "x" and HEX.match(raw):
        return "0x%x" % int(raw, 16)
    return raw


def iso(seconds, fraction="", zone="Z"):
    """An ISO 8601 UTC time with the given fraction digits."""
    t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return t + ("." + fraction if fraction else "") + zone


def iso_ms(ms):
    return iso(ms // 1000, "%03d" % (ms % 1000))


def local(seconds, minutes_east):
    """A zone-less local wall-clock time, as NXLog writes EventTime."""
    return time.strftime("%Y-%m-%d %H:%M:%S",
                         time.gmtime(seconds + minutes_east * 60))


def delay_ms(ev, base):
    """How long after the event an exporter saw it (fixed per record)."""
    return base + (ev.record_id * 37) % 900


def winlogbeat_user(ev):
    domain, name = ev.account()
    return {"identifier": ev.sid, "domain": domain, "name": name,
            "type": "User"}


def string_data(ev):
    """EventData as Winlogbeat keeps it: strings, empty values dropped,
    and sorted by name (Go writes a map's keys in sorted order)."""
    return {name: value for name, _, value in sorted(ev.data)
            if value != ""}


def shuffled(obj, seed):
    """The object with its keys in a fixed pseudo-random order, as a
    hash-ordered writer (Logstash, Wazuh) leaves them."""
    keys = list(obj)
    random.Random(seed).shuffle(keys)
    return {key: obj[key] for key in keys}


def winlogbeat8(ev, k):
    """A Winlogbeat 8 document; every third one Winlogbeat 7."""
    seven = k % 3 == 2
    agent = {"ephemeral_id": "6f1c0e52-%04x-4b8e-9d21-5a3c7e0f%04x"
             % (k, ev.record_id % 65536),
             "id": "0d7e4f3a-2b9c-4e61-8a57-%012x" % HOSTS_INDEX[ev.computer],
             "name": ev.short_name().upper(), "type": "winlogbeat",
             "version": "7.17.9" if seven else "8.13.4"}
    if seven:
        agent["hostname"] = ev.short_name().upper()
    winlog = {
        "api": "wineventlog",
        "channel": ev.channel,
        "computer_name": ev.computer,
        "event_data": string_data(ev),
        "event_id": ev.event_id if seven else str(ev.event_id),
        "opcode": "Info",
        "process": {"pid": ev.pid, "thread": {"id": ev.tid}},
        "provider_guid": "{%s}" % ev.provider_guid,
        "provider_name": ev.provider,
        "record_id": ev.record_id,
        "task": TASKS[ev.event_id],
        "user": winlogbeat_user(ev),
        "version": ev.version,
    }
    if not seven and k % 2 == 0:
        winlog["time_created"] = iso(ev.seconds, ev.fraction[:7])
    return {
        "@timestamp": iso_ms(ev.ms),
        "agent": agent,
        "ecs": {"version": "1.12.0" if seven else "8.0.0"},
        "event": {"action": TASKS[ev.event_id], "code": str(ev.event_id),
                  "created": iso_ms(ev.ms + delay_ms(ev, 400)),
                  "kind": "event", "provider": ev.provider},
        "host": {"name": ev.short_name().lower()},
        "log": {"level": ev.level_name.lower()},
        "message": ev.message("\n"),
        "winlog": winlog,
    }


def winlogbeat6(ev, k):
    """A Winlogbeat 6 document (the pre-ECS field names)."""
    name = ev.short_name().upper()
    return {
        "@timestamp": iso_ms(ev.ms),
        "@metadata": {"beat": "winlogbeat", "type": "doc",
                      "version": "6.8.23"},
        "level": ev.level_name,
        "event_data": string_data(ev),
        "computer_name": ev.computer,
        "host": {"name": name},
        "process_id": ev.pid,
        "version": ev.version,
        "record_number": str(ev.record_id),
        "opcode": "Info",
        "log_name": ev.channel,
        "task": TASKS[ev.event_id],
        "provider_guid": "{%s}" % ev.provider_guid.lower(),
        "user": winlogbeat_user(ev),
        "event_id": ev.event_id,
        "thread_id": ev.tid,
        "type": "wineventlog",
        "source_name": ev.provider,
        "beat": {"name": name, "hostname": name, "version": "6.8.23"},
        "message": ev.message("\n"),
    }


def flat(ev, k):
    """NXLog im_msvistalog as JSON; every other record went on through
    Logstash, which adds its own fields."""
    minutes = ev.host[0]
    domain, name = ev.account()
    error = ev.level == 2
    own = {n for n, _, _ in ev.data}
    rec = {
        "EventTime": local(ev.seconds, minutes),
        "Hostname": ev.computer,
        "Keywords": KEYWORDS,
        "EventType": "ERROR" if error else "INFO",
        "SeverityValue": 4 if error else 2,
        "Severity": "ERROR" if error else "INFO",
        "EventID": ev.event_id,
        "SourceName": ev.provider,
        "ProviderGuid": "{%s}" % ev.provider_guid,
        "Version": ev.version,
        "Task": ev.task,
        "OpcodeValue": ev.opcode,
        "RecordNumber": ev.record_id,
        "ExecutionProcessID": ev.pid,
        "ThreadID": ev.tid,
        "Channel": ev.channel,
        "Domain": domain,
        "AccountName": name,
        "UserID": ev.sid,
        "AccountType": "User",
        "Message": ev.message("\r\n"),
        "Category": TASKS[ev.event_id],
        "Opcode": "Info",
    }
    if "EventType" in own:
        rec = rename_key(rec, "EventType", "EventTypeOrignal")
    for field, _, value in ev.data:
        if field == "Version" and ev.event_id == 4:
            if k % 2 == 0:
                rec["Version"] = value
            continue
        if value == "":
            continue
        if field in rec:
            raise RenderError("%s collides with an NXLog field" % field)
        rec[field] = value
    received = ev.ms + delay_ms(ev, 1100)
    rec["EventReceivedTime"] = local(received // 1000, minutes)
    rec["SourceModuleName"] = "eventlog"
    rec["SourceModuleType"] = "im_msvistalog"
    if k % 2 == 1:
        rec["@version"] = "1"
        rec["@timestamp"] = iso_ms(received + 180)
        rec["host"] = COLLECTOR
        rec["port"] = 50000 + ev.record_id % 10000
        rec["tags"] = ["sysmon", "nxlog"]
        rec = shuffled(rec, ev.record_id)
    return rec


def rename_key(obj, old, new):
    """The object with one key renamed in place."""
    return {(new if key == old else key): v for key, v in obj.items()}


def wazuh_value(value):
    """A value as the eventchannel decoder passes it on: it reads the
    event XML (where & < > are entities) only after printing it as a JSON
    string, so the entities stay, and every backslash, quote and control
    character arrives escaped once more."""
    value = (value.replace("&", "&amp;").replace("<", "&lt;")
             .replace(">", "&gt;"))
    return json.dumps(value, ensure_ascii=False)[1:-1]


def wazuh(ev, k):
    """Wazuh's decoded win object; every other record a whole alert
    (Wazuh 4: "-" and empty values dropped, trailing spaces trimmed), the
    rest bare, keeping empty and "-" values as Wazuh 3 did."""
    alert = k % 2 == 0
    eventdata = {}
    for name, _, value in ev.data:
        if alert and value in ("", "-"):
            continue
        value = wazuh_value(value)
        eventdata[name[0].lower() + name[1:]] = (value.rstrip() if alert
                                                 else value)
    eventdata = shuffled(eventdata, ev.record_id + k)
    system = {
        "providerName": ev.provider,
        "providerGuid": "{%s}" % ev.provider_guid.lower(),
        "eventID": str(ev.event_id),
        "version": str(ev.version),
        "level": str(ev.level),
        "task": str(ev.task),
        "opcode": str(ev.opcode),
        "keywords": "0x8000000000000000",
        "systemTime": iso(ev.seconds, ev.fraction[:7]),
        "eventRecordID": str(ev.record_id),
        "processID": str(ev.pid),
        "threadID": str(ev.tid),
        "channel": ev.channel,
        "computer": ev.computer,
        "severityValue": "ERROR" if ev.level == 2 else "INFORMATION",
        "message": '"%s"' % ev.message("\r\n"),
    }
    win = {"win": {"system": system, "eventdata": eventdata}}
    if not alert:
        return win
    return wazuh_alert(ev, win)


def wazuh_alert(ev, win):
    """The alert that wraps a decoded event."""
    seen = ev.ms + delay_ms(ev, 1500)
    _, agent_id, agent_ip = ev.host
    desc = "Sysmon - Event %d: %s" % (ev.event_id, ev.header[:-1])
    return {
        "timestamp": iso(seen // 1000, "%03d" % (seen % 1000), "+0000"),
        "rule": {"level": 12 if ev.level == 2 else 3,
                 "description": desc,
                 "id": str(61600 + ev.event_id % 100),
                 "firedtimes": 1 + ev.record_id % 7, "mail": False,
                 "groups": ["sysmon", "sysmon_eid%d_detections"
                            % ev.event_id, "windows"]},
        "agent": {"id": agent_id, "name": ev.short_name().upper(),
                  "ip": agent_ip},
        "manager": {"name": MANAGER},
        "id": "%d.%d" % (seen // 1000, 1000 + ev.record_id),
        "decoder": {"name": "windows_eventchannel"},
        "data": win,
        "location": "EventChannel",
    }


def ps_value(kind, value):
    """A Properties value as .NET types it (EventProperty.Value)."""
    if value == "":
        if kind != "s":
            raise RenderError("empty %s value" % kind)
        return ""
    if kind == "u":
        return int(value)
    if kind == "x":
        return int(value, 16)
    if kind == "b":
        if value not in ("true", "false"):
            raise RenderError("boolean %r" % value)
        return value == "true"
    if kind == "g":
        return value.strip("{}")
    return value


class PsDate:
    """A DateTime, which ConvertTo-Json writes as \\/Date(ms)\\/."""

    def __init__(self, ms):
        self.ms = ms


def sid_length(sid):
    return 8 + 4 * (len(sid.split("-")) - 3)


def powershell(ev, k):
    """One EventLogRecord as ConvertTo-Json lists its properties."""
    return {
        "Id": ev.event_id,
        "Version": ev.version,
        "Qualifiers": None,
        "Level": ev.level,
        "Task": ev.task,
        "Opcode": ev.opcode,
        "Keywords": KEYWORDS,
        "RecordId": ev.record_id,
        "ProviderName": ev.provider,
        "ProviderId": ev.provider_guid.lower(),
        "LogName": ev.channel,
        "ProcessId": ev.pid,
        "ThreadId": ev.tid,
        "MachineName": ev.computer,
        "UserId": {"BinaryLength": sid_length(ev.sid),
                   "AccountDomainSid": None, "Value": ev.sid},
        "TimeCreated": PsDate(ev.ms),
        "ActivityId": None,
        "RelatedActivityId": None,
        "ContainerLog": ev.channel,
        "MatchedQueryIds": [],
        "Bookmark": {},
        "LevelDisplayName": ev.level_name,
        "OpcodeDisplayName": "Info",
        "TaskDisplayName": TASKS[ev.event_id],
        "KeywordsDisplayNames": [],
        "Message": ev.message("\r\n"),
        "Properties": [{"Value": ps_value(kind, value)}
                       for _, kind, value in ev.data],
    }


def ps_string(s):
    """A string as the JavaScriptSerializer of PowerShell 5.1 writes it."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                        "\t": "\\t"}[ch])
        elif ord(ch) < 0x20 or ch in "<>&'":
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def ps_json(value, col):
    """ConvertTo-Json's indentation in PowerShell 5.1: members four
    columns right of their bracket, two spaces after each colon, CRLF."""
    pad = " " * (col + 4)
    if isinstance(value, dict) or isinstance(value, list):
        opening, closing = "{}" if isinstance(value, dict) else "[]"
        if not value:
            return opening + "\r\n\r\n" + " " * col + closing
        parts = []
        if isinstance(value, dict):
            for key, v in value.items():
                head = ps_string(key) + ":  "
                parts.append(pad + head + ps_json(v, col + 4 + len(head)))
        else:
            parts = [pad + ps_json(v, col + 4) for v in value]
        return (opening + "\r\n" + ",\r\n".join(parts) + "\r\n" + " " * col
                + closing)
    if isinstance(value, PsDate):
        return '"\\/Date(%d)\\/"' % value.ms
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return ps_string(value)


RENDERERS = {"winlogbeat8": winlogbeat8, "winlogbeat6": winlogbeat6,
             "flat": flat, "wazuh": wazuh, "powershell": powershell}
HOSTS_INDEX = {name: i + 1 for i, name in enumerate(sorted(HOSTS))}


def write_file(path, data):
    with open(path, "wb") as f:
        f.write(data)


def render_file(shapes_dir, name, events, first):
    """Write one sample file in every shape."""
    for shape in SHAPES:
        docs = [RENDERERS[shape](ev, first + i)
                for i, ev in enumerate(events)]
        if shape == "powershell":
            top = docs[0] if len(docs) == 1 else docs
            data = b"\xef\xbb\xbf" + (ps_json(top, 0) + "\r\n").encode()
        else:
            data = "".join(json.dumps(d, ensure_ascii=False) + "\n"
                           for d in docs).encode()
        write_file(os.path.join(shapes_dir, shape, name), data)


def is_complete(record):
    """A Windows Sysmon record whose EventData is the full 4.90 layout."""
    try:
        ev = Event(record)
    except (RenderError, KeyError, TypeError, ValueError, AttributeError):
        return False
    return ev.provider == "Microsoft-Windows-Sysmon"


def select(events_dir, shapes_dir):
    """Rewrite evtx/ from the hand-written samples."""
    out = os.path.join(shapes_dir, "evtx")
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(events_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(events_dir, name), "rb") as f:
            lines = [x for x in f if x.strip()
                     and is_complete(json.loads(x))]
        if not lines:
            raise RenderError("%s: no record every shape can carry" % name)
        write_file(os.path.join(out, name), b"".join(lines))


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    if argv[:1] == ["--select"]:
        if len(argv) not in (2, 3):
            sys.exit(__doc__)
        shapes_dir = argv[2] if len(argv) == 3 else here
        select(argv[1], shapes_dir)
    elif len(argv) <= 1:
        shapes_dir = argv[0] if argv else here
    else:
        sys.exit(__doc__)
    evtx_dir = os.path.join(shapes_dir, "evtx")
    for shape in SHAPES:
        os.makedirs(os.path.join(shapes_dir, shape), exist_ok=True)
    first = 0
    for name in sorted(os.listdir(evtx_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(evtx_dir, name), encoding="utf-8") as f:
            events = [Event(json.loads(x)) for x in f if x.strip()]
        render_file(shapes_dir, name, events, first)
        first += len(events)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except RenderError as e:
        sys.exit("render.py: %s" % e)
