#!/usr/bin/env python3
"""Generate synthetic Sysmon events as JSON lines, for the benchmark.

Each line is one event in the shape `evtx_dump -o json` prints, compacted:
  {"Event":{"#attributes":{...},"System":{...},"EventData":{...}}}
with every EventData field of the event's schema (Sysmon schema 4.90) in
order, and an event mix like a real Windows Sysmon log.  Every value (hosts,
users, paths, hashes, addresses) is invented.

Usage:
  gen.py [--seed S] (--mb N | --count N) [-o FILE]

The same seed and size always give byte-identical output (with the same
Python version).  MB means 10^6 bytes: the output stops at the first line
that reaches N MB.

How it is fast: a pool of pre-rendered events (a few thousand per frequent
event ID) is built first with json.dumps; each output line is then a pool
entry with a fresh EventRecordID, SystemTime and UtcTime pasted in.
"""
import argparse
import base64
import hashlib
import json
import random
import sys
import time

MB = 1000000

# Event ID -> (weight in per mille, System Version, Level).  The frequent
# IDs first; every other ID of schema 4.90 appears at a low rate.
EVENTS = {
    1: (120, 5, 4), 3: (150, 5, 4), 5: (70, 3, 4), 7: (170, 3, 4),
    10: (100, 3, 4), 11: (110, 2, 4), 12: (70, 2, 4), 13: (110, 2, 4),
    22: (60, 5, 4),
    2: (3, 5, 4), 4: (0.3, 3, 4), 6: (1, 4, 4), 8: (2, 2, 4),
    9: (1, 2, 4), 14: (2, 2, 4), 15: (3, 2, 4), 16: (0.3, 3, 4),
    17: (4, 1, 4), 18: (6, 1, 4), 19: (0.5, 3, 4), 20: (0.5, 3, 4),
    21: (0.5, 3, 4), 23: (4, 5, 4), 24: (0.5, 5, 4), 25: (1, 5, 4),
    26: (4, 5, 4), 27: (0.3, 5, 4), 28: (0.3, 5, 4), 29: (1, 5, 4),
    255: (0.3, 3, 2),
}

# EventData fields in schema order; the type letter says how evtx_dump
# renders the value when a record is "typed": u = number, b = boolean,
# s = string (GUIDs and HexInt values stay strings).
SCHEMA = {
    1: "RuleName UtcTime ProcessGuid ProcessId:u Image FileVersion "
       "Description Product Company OriginalFileName CommandLine "
       "CurrentDirectory User LogonGuid LogonId TerminalSessionId:u "
       "IntegrityLevel Hashes ParentProcessGuid ParentProcessId:u "
       "ParentImage ParentCommandLine ParentUser",
    2: "RuleName UtcTime ProcessGuid ProcessId:u Image TargetFilename "
       "CreationUtcTime PreviousCreationUtcTime User",
    3: "RuleName UtcTime ProcessGuid ProcessId:u Image User Protocol "
       "Initiated:b SourceIsIpv6:b SourceIp SourceHostname SourcePort:u "
       "SourcePortName DestinationIsIpv6:b DestinationIp "
       "DestinationHostname DestinationPort:u DestinationPortName",
    4: "UtcTime State Version SchemaVersion",
    5: "RuleName UtcTime ProcessGuid ProcessId:u Image User",
    6: "RuleName UtcTime ImageLoaded Hashes Signed Signature "
       "SignatureStatus",
    7: "RuleName UtcTime ProcessGuid ProcessId:u Image ImageLoaded "
       "FileVersion Description Product Company OriginalFileName Hashes "
       "Signed Signature SignatureStatus User",
    8: "RuleName UtcTime SourceProcessGuid SourceProcessId:u SourceImage "
       "TargetProcessGuid TargetProcessId:u TargetImage NewThreadId:u "
       "StartAddress StartModule StartFunction SourceUser TargetUser",
    9: "RuleName UtcTime ProcessGuid ProcessId:u Image Device User",
    10: "RuleName UtcTime SourceProcessGUID SourceProcessId:u "
        "SourceThreadId:u SourceImage TargetProcessGUID TargetProcessId:u "
        "TargetImage GrantedAccess CallTrace SourceUser TargetUser",
    11: "RuleName UtcTime ProcessGuid ProcessId:u Image TargetFilename "
        "CreationUtcTime User",
    12: "RuleName EventType UtcTime ProcessGuid ProcessId:u Image "
        "TargetObject User",
    13: "RuleName EventType UtcTime ProcessGuid ProcessId:u Image "
        "TargetObject Details User",
    14: "RuleName EventType UtcTime ProcessGuid ProcessId:u Image "
        "TargetObject NewName User",
    15: "RuleName UtcTime ProcessGuid ProcessId:u Image TargetFilename "
        "CreationUtcTime Hash Contents User",
    16: "UtcTime Configuration ConfigurationFileHash",
    17: "RuleName EventType UtcTime ProcessGuid ProcessId:u PipeName Image "
        "User",
    18: "RuleName EventType UtcTime ProcessGuid ProcessId:u PipeName Image "
        "User",
    19: "RuleName EventType UtcTime Operation User EventNamespace Name "
        "Query",
    20: "RuleName EventType UtcTime Operation User Name Type Destination",
    21: "RuleName EventType UtcTime Operation User Consumer Filter",
    22: "RuleName UtcTime ProcessGuid ProcessId:u QueryName QueryStatus "
        "QueryResults Image User",
    23: "RuleName UtcTime ProcessGuid ProcessId:u User Image TargetFilename "
        "Hashes IsExecutable:b Archived",
    24: "RuleName UtcTime ProcessGuid ProcessId:u Image Session:u "
        "ClientInfo Hashes Archived User",
    25: "RuleName UtcTime ProcessGuid ProcessId:u Image Type User",
    26: "RuleName UtcTime ProcessGuid ProcessId:u User Image TargetFilename "
        "Hashes IsExecutable:b",
    27: "RuleName UtcTime ProcessGuid ProcessId:u User Image TargetFilename "
        "Hashes",
    28: "RuleName UtcTime ProcessGuid ProcessId:u User Image TargetFilename "
        "Hashes IsExecutable:b",
    29: "RuleName UtcTime ProcessGuid ProcessId:u User Image TargetFilename "
        "Hashes",
    255: "UtcTime ID Description",
}

XMLNS = "http://schemas.microsoft.com/win/2004/08/events/event"
PROVIDER = ('{"#attributes":{"Name":"Microsoft-Windows-Sysmon",'
            '"Guid":"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"}}')
CHANNEL = "Microsoft-Windows-Sysmon/Operational"
UTC_MARK = "\x00UTC\x00"

MSOS = "Microsoft\u00ae Windows\u00ae Operating System"
MSC = "Microsoft Corporation"
WINVER = "10.0.22621.%d (WinBuild.160101.0800)"

# Computer name, domain prefix of user names, subnet, GUID machine part.
HOSTS = [
    ("WS-ANKE-0117.corp.northwind.test", "NORTHWIND", "10.40.17.", "7C1A"),
    ("LT-JWEISS-02.corp.northwind.test", "NORTHWIND", "10.40.22.", "3E90"),
    ("LT-DSOKOLOV.corp.northwind.test", "NORTHWIND", "10.40.23.", "B27F"),
    ("WS-TANAKA-11.corp.northwind.test", "NORTHWIND", "10.40.31.", "51D4"),
    ("SRV-FILE02.corp.northwind.test", "NORTHWIND", "10.10.2.", "0A6B"),
    ("DC01.corp.northwind.test", "NORTHWIND", "10.10.1.", "E44C"),
    ("BUILD-AGENT-07.lab.example.test", "LAB", "172.20.7.", "9F02"),
    ("KIOSK-LOBBY-3", "KIOSK-LOBBY-3", "192.168.50.", "16B8"),
]

# Profile folder names; the user name is DOMAIN\profile.
PROFILES = ["anke.vos", "j\u00fcrgen.wei\u00df",
            "\u0414\u043c\u0438\u0442\u0440\u0438\u0439."
            "\u0421\u043e\u043a\u043e\u043b\u043e\u0432",
            "\u7530\u4e2d\u5065\u592a", "o.adeyemi", "m.lindqvist",
            "svc-backup", "builder", "p.nowak"]
SERVICE_USERS = ["NT AUTHORITY\\SYSTEM"] * 8 + [
    "NT AUTHORITY\\LOCAL SERVICE", "NT AUTHORITY\\NETWORK SERVICE",
    "Font Driver Host\\UMFD-1", "Window Manager\\DWM-1"]

DOC_NAMES = [
    "Quartalsbericht \u00dcbersicht.xlsx", "budget 2024 (final).xlsx",
    "\u041e\u0442\u0447\u0451\u0442_Q3.docx",
    "\u4f1a\u8b70\u30e1\u30e2.txt", "\u898b\u7a4d\u66f8.pdf",
    "roadmap-v7.pptx", "notes.md", "Reisekosten M\u00e4rz.pdf",
    "customer list.csv", "IMG_20240513_101512.jpg"]

# path, file version, description, product, company, original file name.
# {p} is replaced by a user profile folder.
IMAGES = [
    ("C:\\Windows\\System32\\svchost.exe", WINVER % 1,
     "Host Process for Windows Services", MSOS, MSC, "svchost.exe"),
    ("C:\\Windows\\System32\\cmd.exe", WINVER % 2,
     "Windows Command Processor", MSOS, MSC, "Cmd.Exe"),
    ("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
     WINVER % 3, "Windows PowerShell", MSOS, MSC, "PowerShell.EXE"),
    ("C:\\Windows\\System32\\conhost.exe", WINVER % 4,
     "Console Window Host", MSOS, MSC, "CONHOST.EXE"),
    ("C:\\Windows\\System32\\rundll32.exe", WINVER % 5,
     "Windows host process (Rundll32)", MSOS, MSC, "RUNDLL32.EXE"),
    ("C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", WINVER % 6,
     "WMI Provider Host", MSOS, MSC, "Wmiprvse.exe"),
    ("C:\\Windows\\System32\\msiexec.exe", WINVER % 7,
     "Windows\u00ae installer", "Windows Installer - Unicode", MSC,
     "msiexec.exe"),
    ("C:\\Windows\\System32\\taskhostw.exe", WINVER % 8,
     "Host Process for Windows Tasks", MSOS, MSC, "taskhostw.exe"),
    ("C:\\Windows\\System32\\schtasks.exe", WINVER % 9,
     "Task Scheduler Configuration Tool", MSOS, MSC, "schtasks.exe"),
    ("C:\\Windows\\System32\\reg.exe", WINVER % 10,
     "Registry Console Tool", MSOS, MSC, "reg.exe"),
    ("C:\\Windows\\System32\\net.exe", WINVER % 11,
     "Net Command", MSOS, MSC, "net.exe"),
    ("C:\\Windows\\System32\\notepad.exe", WINVER % 12,
     "Notepad", MSOS, MSC, "NOTEPAD.EXE"),
    ("C:\\Windows\\explorer.exe", WINVER % 13,
     "Windows Explorer", MSOS, MSC, "EXPLORER.EXE"),
    ("C:\\Windows\\System32\\lsass.exe", WINVER % 14,
     "Local Security Authority Process", MSOS, MSC, "lsass.exe"),
    ("C:\\Windows\\System32\\dllhost.exe", WINVER % 15,
     "COM Surrogate", MSOS, MSC, "dllhost.exe"),
    ("C:\\Windows\\System32\\RuntimeBroker.exe", WINVER % 16,
     "Runtime Broker", MSOS, MSC, "RuntimeBroker.exe"),
    ("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\"
     "4.18.24030.9-0\\MsMpEng.exe", "4.18.24030.9 (WinBuild.160101.0800)",
     "Antimalware Service Executable", MSOS, MSC, "MsMpEng.exe"),
    ("C:\\Program Files\\Tailspin\\Browser\\Application\\tailspin.exe",
     "124.0.6367.91", "Tailspin Browser", "Tailspin Browser",
     "Tailspin Toys", "tailspin.exe"),
    ("C:\\Program Files\\Fabrikam\\SyncAgent\\fabsync.exe", "3.14.2.0",
     "Fabrikam Sync Agent", "Fabrikam Sync", "Fabrikam, Inc.",
     "fabsync.exe"),
    ("C:\\Program Files (x86)\\Contoso\\Updater\\ContosoUpdate.exe",
     "1.3.36.152", "Contoso Update", "Contoso Update", "Contoso Ltd.",
     "ContosoUpdate.exe"),
    ("C:\\Users\\{p}\\AppData\\Local\\Programs\\Notely\\Notely.exe",
     "2.7.1", "Notely", "Notely", "Notely Labs",
     "Notely.exe"),
    ("C:\\Users\\{p}\\Downloads\\tool_x64.exe", "-", "-", "-", "-", "-"),
    ("C:\\Users\\{p}\\AppData\\Local\\Temp\\7zS4A1B\\setup.exe", "", "",
     "", "", ""),
]
IMAGE_WEIGHTS = [18, 7, 7, 5, 3, 3, 2, 3, 1, 1, 1, 1, 5, 2, 3, 3, 3, 12,
                 6, 2, 3, 1, 1]

# DLL path, description, original file name (all Microsoft-signed).
DLLS = [
    ("C:\\Windows\\System32\\ntdll.dll", "NT Layer DLL", "ntdll.dll"),
    ("C:\\Windows\\System32\\kernel32.dll", "Windows NT BASE API Client DLL",
     "kernel32"),
    ("C:\\Windows\\System32\\KernelBase.dll",
     "Windows NT BASE API Client DLL", "Kernelbase.dll"),
    ("C:\\Windows\\System32\\combase.dll",
     "Microsoft COM for Windows", "COMBASE.DLL"),
    ("C:\\Windows\\System32\\rpcrt4.dll", "Remote Procedure Call Runtime",
     "rpcrt4.dll"),
    ("C:\\Windows\\System32\\bcrypt.dll",
     "Windows Cryptographic Primitives Library", "BCrypt.dll"),
    ("C:\\Windows\\System32\\ws2_32.dll", "Windows Socket 2.0 32-Bit DLL",
     "ws2_32.dll"),
    ("C:\\Windows\\System32\\winhttp.dll", "Windows HTTP Services",
     "winhttp.dll"),
    ("C:\\Windows\\System32\\crypt32.dll", "Crypto API32", "CRYPT32.DLL"),
    ("C:\\Windows\\System32\\dnsapi.dll", "DNS Client API DLL",
     "dnsapi"),
    ("C:\\Windows\\System32\\amsi.dll", "Anti-Malware Scan Interface",
     "amsi.dll"),
    ("C:\\Windows\\System32\\wbem\\wbemprox.dll", "WMI",
     "wbemprox.dll"),
    ("C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clr.dll",
     "Microsoft .NET Runtime Common Language Runtime - WorkStation",
     "clr.dll"),
    ("C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\System.Manaa57fc8"
     "cc#\\2c3d1f7e95b1b0f6a7c3f0c8d2e9a4b1\\"
     "System.Management.Automation.ni.dll",
     "System.Management.Automation", "System.Management.Automation.dll"),
]

PORTS = [(443, "https"), (443, "https"), (443, "https"), (80, "http"),
         (53, "domain"), (445, "microsoft-ds"), (135, "epmap"),
         (389, "ldap"), (88, "kerberos"), (5985, "-"), (3389, "ms-wbt-server"),
         (8443, "-"), (9093, "-")]
REMOTE_NAMES = ["cdn-7.example.test", "login.northwind.test",
                "update.contoso.test", "api.fabrikam.test",
                "telemetry.tailspin.test", "srv-file02.corp.northwind.test",
                "dc01.corp.northwind.test", "mail.example.test",
                "x\u00fcberall.example.test"]

RULE_NAMES = [
    "-", "-", "-", "-", "-", "-", "", "",
    "technique_id=T1055,technique_name=Process Injection",
    "technique_id=T1059.001,technique_name=PowerShell",
    "technique_id=T1547.001,technique_name=Registry Run Keys / Start Folder",
    "technique_id=T1003,technique_name=Credential Dumping",
    "Usermode", "InvDB-Path"]

PS_LINES = [
    "$ErrorActionPreference = 'Stop'",
    "$inv = Get-CimInstance -ClassName Win32_Product | "
    "Select-Object Name,Version,Vendor",
    "$body = $inv | ConvertTo-Json -Depth 4 -Compress",
    "Invoke-RestMethod -Uri 'https://inventory.northwind.test/api/v2/report'"
    " -Method Post -Body $body -ContentType 'application/json'",
    "foreach ($d in Get-PSDrive -PSProvider FileSystem) { "
    "Write-Output (\"{0} {1:N1} GB frei\" -f $d.Name, ($d.Free / 1GB)) }",
    "Start-Sleep -Seconds 30",
    "$log = Join-Path $env:ProgramData 'Fabrikam\\logs\\inv.log'",
    "Add-Content -Path $log -Value (Get-Date -Format o)",
    "if (-not (Test-Path $log)) { New-Item -ItemType File -Path $log }",
    "Get-ChildItem -Path $env:TEMP -Filter *.tmp -Recurse | "
    "Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-7) } | "
    "Remove-Item -Force",
]


def hexs(rng, n):
    """Return n upper-case hexadecimal digits drawn from rng."""
    return "%0*X" % (n, rng.getrandbits(4 * n))


def pick_weighted(rng, items, weights):
    """Return one item of items chosen with the given weights."""
    return rng.choices(items, weights)[0]


class Host:
    """One invented computer: its name, users, addresses and GUIDs."""

    def __init__(self, rng, spec):
        self.computer, self.domain, self.subnet, self.guid_part = spec
        self.short = self.computer.split(".")[0]
        self.ip = self.subnet + str(rng.randrange(20, 250))
        self.ip6 = "fe80::%x:%x:%x:%x" % tuple(
            rng.getrandbits(16) for _ in range(4))
        self.sysmon_pid = rng.randrange(1200, 5000, 4)
        self.threads = [rng.randrange(1000, 9000, 4) for _ in range(6)]
        self.profiles = rng.sample(PROFILES, 3)
        self.sid = "S-1-5-21-%d-%d-%d" % (
            rng.randrange(10 ** 9, 4 * 10 ** 9),
            rng.randrange(10 ** 9, 4 * 10 ** 9),
            rng.randrange(10 ** 8, 10 ** 9))

    def profile(self, rng):
        """Return a profile folder name of a user of this host."""
        return rng.choice(self.profiles)

    def user(self, rng, profile=None):
        """Return a user name: a service account or a domain user."""
        if profile is None and rng.random() < 0.55:
            return rng.choice(SERVICE_USERS)
        return self.domain + "\\" + (profile or self.profile(rng))

    def guid(self, rng):
        """Return a Sysmon-style process GUID of this host."""
        return "{%s%s-%s-66%s-%s-%010X00}" % (
            self.guid_part, hexs(rng, 4), hexs(rng, 4), hexs(rng, 2),
            hexs(rng, 4), rng.randrange(1, 0x4000))


def file_hashes(key, style):
    """Return a Sysmon Hashes value for a file named key, in a config style.

    The digests are computed from the name, so one file always gets the
    same hashes, as in a real log."""
    raw = key.encode("utf-8")
    md5 = hashlib.md5(raw).hexdigest().upper()
    sha1 = hashlib.sha1(raw).hexdigest().upper()
    sha256 = hashlib.sha256(raw).hexdigest().upper()
    imphash = hashlib.md5(raw[::-1]).hexdigest().upper()
    if style == 0:
        return "SHA1=%s,MD5=%s,SHA256=%s,IMPHASH=%s" % (
            sha1, md5, sha256, imphash)
    if style == 1:
        return "SHA256=%s,IMPHASH=%s" % (sha256, imphash)
    if style == 2:
        return "MD5=%s,SHA256=%s,IMPHASH=%s" % (md5, sha256, imphash)
    if style == 3:
        return "SHA1=" + sha1
    return "-"


def image_of(rng, host, profile):
    """Return an IMAGES tuple with the profile folder filled in."""
    img = pick_weighted(rng, IMAGES, IMAGE_WEIGHTS)
    return (img[0].replace("{p}", profile),) + img[1:]


def powershell_cmd(rng, path):
    """Return a PowerShell command line: a script file or an encoded
    command of one to several kilobytes."""
    if rng.random() < 0.5:
        return "%s -NoProfile -ExecutionPolicy Bypass -File " \
               "\"C:\\ProgramData\\Fabrikam\\scripts\\inventory.ps1\"" % path
    lines = [rng.choice(PS_LINES) for _ in range(rng.randrange(2, 28))]
    code = "\r\n".join(lines).encode("utf-16-le")
    return "\"%s\" -NonInteractive -WindowStyle Hidden -EncodedCommand %s" \
        % (path, base64.b64encode(code).decode("ascii"))


def browser_cmd(rng, path):
    """Return a browser helper-process command line (about 0.5 kB)."""
    kind = rng.choice(["renderer", "renderer", "utility", "gpu-process"])
    return (
        "\"%s\" --type=%s --lang=de --device-scale-factor=1 "
        "--num-raster-threads=2 --enable-main-frame-before-activation "
        "--renderer-client-id=%d --time-ticks-at-unix-epoch=-%d "
        "--launch-time-ticks=%d --field-trial-handle=%d,i,%d,%d,262144 "
        "--variations-seed-version=20240512-180134.455000 "
        "--mojo-platform-channel-handle=%d /prefetch:%d"
        % (path, kind, rng.randrange(5, 400), rng.getrandbits(50),
           rng.getrandbits(36), rng.randrange(1000, 9999),
           rng.getrandbits(63), rng.getrandbits(63),
           rng.randrange(1000, 9999), rng.randrange(1, 9)))


def command_line(rng, host, image, profile):
    """Return a command line for image, from a few bytes to several kB."""
    path = image[0]
    name = image[5].lower() or path.rsplit("\\", 1)[-1].lower()
    doc = "C:\\Users\\%s\\Documents\\%s" % (profile, rng.choice(DOC_NAMES))
    if name == "svchost.exe":
        return "C:\\Windows\\system32\\svchost.exe -k %s -p -s %s" % (
            rng.choice(["netsvcs", "LocalService", "NetworkService",
                        "LocalSystemNetworkRestricted"]),
            rng.choice(["Schedule", "BITS", "Dnscache", "LanmanWorkstation",
                        "Winmgmt", "WpnUserService_4a1c2"]))
    if name == "powershell.exe":
        return powershell_cmd(rng, path)
    if name == "tailspin.exe":
        return browser_cmd(rng, path)
    if name == "cmd.exe":
        return "\"C:\\Windows\\system32\\cmd.exe\" /c \"dir /s /b " \
               "\"C:\\Users\\%s\\Documents\" > %%TEMP%%\\list.txt\"" % profile
    if name == "msiexec.exe":
        return "C:\\Windows\\system32\\msiexec.exe /i \"C:\\Users\\%s\\" \
               "Downloads\\Setup Fabrikam 3.14.msi\" /qn /L*v \"%%TEMP%%\\" \
               "fab.log\"" % profile
    if name == "schtasks.exe":
        return "schtasks.exe /Create /F /TN \"Northwind\\Inventur " \
               "\u00dcbersicht\" /TR \"powershell.exe -File C:\\ProgramData" \
               "\\Fabrikam\\scripts\\inventory.ps1\" /SC DAILY /ST 09:%02d" \
               % rng.randrange(60)
    if name == "reg.exe":
        return "reg.exe query \"HKLM\\SOFTWARE\\Contoso\\Agent\" /v " \
               "InstallPath"
    if name == "net.exe":
        return "net.exe use Z: \\\\SRV-FILE02\\Abteilung-Vertrieb " \
               "/persistent:no"
    if name in ("notepad.exe", "notely.exe"):
        return "\"%s\" \"%s\"" % (path, doc)
    if name == "rundll32.exe":
        return "C:\\Windows\\system32\\rundll32.exe C:\\Windows\\System32" \
               "\\shell32.dll,SHCreateLocalServerRunDll {%s-%s-%s-%s-%s} " \
               "-Embedding" % (hexs(rng, 8).lower(), hexs(rng, 4).lower(),
                               hexs(rng, 4).lower(), hexs(rng, 4).lower(),
                               hexs(rng, 12).lower())
    if rng.random() < 0.5:
        return "\"%s\"" % path
    return "\"%s\" --background --log-level=%s" % (
        path, rng.choice(["info", "warn", "debug"]))


def file_path(rng, profile):
    """Return a file path as created or deleted on a Windows host."""
    r = rng.random()
    if r < 0.3:
        return "C:\\Users\\%s\\AppData\\Local\\Temp\\__PSScriptPolicyTest_" \
               "%s.%s.ps1" % (profile, hexs(rng, 8).lower(),
                              hexs(rng, 3).lower())
    if r < 0.45:
        return "C:\\Windows\\Prefetch\\%s-%s.pf" % (
            rng.choice(["CMD.EXE", "SVCHOST.EXE", "TAILSPIN.EXE",
                        "FABSYNC.EXE", "CONHOST.EXE"]), hexs(rng, 8))
    if r < 0.7:
        return "C:\\Users\\%s\\Documents\\%s" % (profile,
                                                rng.choice(DOC_NAMES))
    if r < 0.85:
        return "C:\\ProgramData\\Fabrikam\\cache\\blob_%05d.bin" % (
            rng.randrange(100000))
    return "C:\\Users\\%s\\AppData\\Local\\Tailspin\\Browser\\User Data\\" \
           "Default\\Cache\\Cache_Data\\f_%06x" % (profile,
                                                  rng.getrandbits(24))


def registry_key(rng, host, profile):
    """Return a registry path such as Sysmon reports (HKLM / HKU)."""
    r = rng.random()
    if r < 0.35:
        return "HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\" \
               "UserSettings\\%s-%d\\\\Device\\HarddiskVolume3\\Windows\\" \
               "System32\\%s" % (host.sid, rng.randrange(1001, 1300),
                                 rng.choice(["cmd.exe", "notepad.exe",
                                             "conhost.exe"]))
    if r < 0.55:
        return "HKU\\%s-%d\\Software\\Microsoft\\Windows\\CurrentVersion\\" \
               "Run\\%s" % (host.sid, rng.randrange(1001, 1300),
                            rng.choice(["FabrikamSync", "NotelyUpdater",
                                        "Inventur \u00dcbersicht"]))
    if r < 0.8:
        return "HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Real-Time " \
               "Protection\\%s" % rng.choice(["DisableScanOnRealtimeEnable",
                                              "DpaDisabled"])
    return "HKU\\%s-%d\\Software\\Microsoft\\Windows\\CurrentVersion\\" \
           "Explorer\\RecentDocs\\.%s\\%d" % (
               host.sid, rng.randrange(1001, 1300),
               rng.choice(["docx", "xlsx", "pdf", "txt"]), rng.randrange(40))


def call_trace(rng):
    """Return a ProcessAccess call trace of 3 to 14 frames."""
    frames = []
    for _ in range(rng.randrange(3, 15)):
        if rng.random() < 0.12:
            frames.append("UNKNOWN(%016X)" % rng.getrandbits(48))
        else:
            dll = rng.choice(DLLS)[0].replace("System32", "SYSTEM32")
            frames.append("%s+%x" % (dll, rng.randrange(0x1000, 0xfffff)))
    return "|".join(frames)


def utc_at(rng, year_day):
    """Return a Sysmon UtcTime string for an older, fixed moment."""
    return "2024-%02d-%02d %02d:%02d:%02d.%03d" % (
        rng.randrange(1, 5), year_day, rng.randrange(24), rng.randrange(60),
        rng.randrange(60), rng.randrange(1000))


def dns_answer(rng):
    """Return (QueryStatus, QueryResults) for a DNS query."""
    r = rng.random()
    if r < 0.08:
        return "9003", "-"
    if r < 0.1:
        return "1460", ""
    addrs = ["198.51.100.%d" % rng.randrange(1, 255)
             for _ in range(rng.randrange(1, 5))]
    if r < 0.3:
        return "0", "type:  5 edge-%d.cdn.example.test;::ffff:%s;%s;" % (
            rng.randrange(1, 40), addrs[0], ";".join(addrs))
    if r < 0.4:
        return "0", "2001:db8:%x::%x;" % (rng.getrandbits(16),
                                          rng.getrandbits(16))
    return "0", ";".join("::ffff:" + a for a in addrs) + ";"


def common(rng, host):
    """Return the values shared by most events: process, image, user."""
    profile = host.profile(rng)
    image = image_of(rng, host, profile)
    interactive = "Users" in image[0] or rng.random() < 0.3
    user = host.user(rng, profile if interactive else None)
    return {
        "RuleName": rng.choice(RULE_NAMES), "UtcTime": UTC_MARK,
        "ProcessGuid": host.guid(rng), "ProcessId": rng.randrange(4, 40000, 4),
        "Image": image[0], "User": user, "_image": image,
        "_profile": profile}


def ev_process(rng, host, v):
    """Fill the fields of event 1 (process creation)."""
    img, profile = v["_image"], v["_profile"]
    parent = image_of(rng, host, profile)
    v.update(zip(("FileVersion", "Description", "Product", "Company",
                  "OriginalFileName"), img[1:]))
    v["CommandLine"] = command_line(rng, host, img, profile)
    v["CurrentDirectory"] = rng.choice(
        ["C:\\Windows\\system32\\", "C:\\Users\\%s\\" % profile,
         "C:\\Program Files\\Fabrikam\\SyncAgent\\"])
    v["LogonGuid"] = "{%s%s-%s-66%s-%s-0000000000}" % (
        host.guid_part, hexs(rng, 4), hexs(rng, 4), hexs(rng, 2),
        hexs(rng, 4))
    v["LogonId"] = rng.choice(["0x00000000000003e7", "0x00000000000003e4",
                               "0x%016x" % rng.randrange(0x10000, 0x9000000)])
    v["TerminalSessionId"] = rng.choice([0, 0, 1, 2])
    v["IntegrityLevel"] = rng.choice(["System", "High", "Medium", "Medium",
                                      "Low", "AppContainer"])
    v["Hashes"] = file_hashes(img[0] + img[1], host.hash_style)
    v["ParentProcessGuid"] = host.guid(rng)
    v["ParentProcessId"] = rng.randrange(4, 40000, 4)
    v["ParentImage"] = parent[0]
    v["ParentCommandLine"] = command_line(rng, host, parent, profile)
    v["ParentUser"] = v["User"] if rng.random() < 0.8 else host.user(rng)


def ev_network(rng, host, v):
    """Fill the fields of event 3 (network connection)."""
    six = rng.random() < 0.12
    port, port_name = rng.choice(PORTS)
    v["Protocol"] = "udp" if port in (53, 88) else "tcp"
    v["Initiated"] = rng.random() < 0.85
    v["SourceIsIpv6"] = six
    v["SourceIp"] = host.ip6 if six else host.ip
    v["SourceHostname"] = rng.choice([host.computer, "-", ""])
    v["SourcePort"] = rng.randrange(49152, 65535)
    v["SourcePortName"] = "-"
    v["DestinationIsIpv6"] = six
    if six:
        v["DestinationIp"] = "2001:db8:%x:%x::%x" % (
            rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16))
    else:
        v["DestinationIp"] = rng.choice(["198.51.100.", "203.0.113.",
                                         "192.0.2.", host.subnet]) + \
            str(rng.randrange(1, 255))
    v["DestinationHostname"] = rng.choice(REMOTE_NAMES + ["-", ""])
    v["DestinationPort"] = port
    v["DestinationPortName"] = port_name


def ev_image_load(rng, host, v):
    """Fill the fields of event 7 (image loaded)."""
    if rng.random() < 0.85:
        dll, desc, orig = rng.choice(DLLS)
        ver, prod, comp = WINVER % rng.randrange(1, 3000), MSOS, MSC
        signed, sig, status = True, "Microsoft Windows", "Valid"
    else:
        dll = "C:\\Program Files\\Fabrikam\\SyncAgent\\libfabcore.dll"
        desc, orig, ver = "Fabrikam core library", "libfabcore.dll", "3.14.2.0"
        prod, comp = "Fabrikam Sync", "Fabrikam, Inc."
        signed, sig, status = rng.choice(
            [(True, "Fabrikam, Inc.", "Valid"), (False, "", "Unavailable"),
             (True, "Fabrikam, Inc.", "Expired")])
    v.update(ImageLoaded=dll, FileVersion=ver, Description=desc,
             Product=prod, Company=comp, OriginalFileName=orig,
             Hashes=file_hashes(dll + ver, host.hash_style),
             Signed=str(signed).lower(), Signature=sig,
             SignatureStatus=status)


def ev_access(rng, host, v):
    """Fill the fields of event 10 (process access)."""
    target = image_of(rng, host, v["_profile"])
    v.update(SourceProcessGUID=v["ProcessGuid"],
             SourceProcessId=v["ProcessId"],
             SourceThreadId=rng.randrange(100, 30000, 4),
             SourceImage=v["Image"], TargetProcessGUID=host.guid(rng),
             TargetProcessId=rng.randrange(4, 40000, 4),
             TargetImage=target[0],
             GrantedAccess=rng.choice(["0x1000", "0x1400", "0x1410",
                                       "0x1FFFFF", "0x40", "0x101541",
                                       "0x3000"]),
             CallTrace=call_trace(rng), SourceUser=v["User"],
             TargetUser=host.user(rng))


def ev_file(rng, host, v):
    """Fill the fields of the file events (2, 11, 15, 23, 26-29)."""
    v["TargetFilename"] = file_path(rng, v["_profile"])
    v["CreationUtcTime"] = utc_at(rng, rng.randrange(1, 29))
    v["PreviousCreationUtcTime"] = utc_at(rng, rng.randrange(1, 29))
    v["Hashes"] = v["Hash"] = file_hashes(v["TargetFilename"],
                                          host.hash_style)
    v["Contents"] = rng.choice(
        ["-", "[ZoneTransfer]  ZoneId=3  ReferrerUrl=https://downloads."
         "example.test/  HostUrl=https://cdn-3.example.test/setup.exe  "])
    v["IsExecutable"] = v["TargetFilename"].endswith((".exe", ".ps1"))
    v["Archived"] = rng.choice(["true", "false"])


def ev_registry(rng, host, v, eid):
    """Fill the fields of the registry events (12, 13, 14)."""
    v["EventType"] = {12: rng.choice(["CreateKey", "DeleteKey",
                                      "DeleteValue"]),
                      13: "SetValue", 14: "RenameKey"}[eid]
    v["TargetObject"] = registry_key(rng, host, v["_profile"])
    v["Details"] = rng.choice(
        ["DWORD (0x00000001)", "DWORD (0x00000000)", "Binary Data",
         "QWORD (0x01da%04x-0x%08x)" % (rng.getrandbits(16),
                                        rng.getrandbits(32)),
         "\"%s\" --background" % v["Image"], "(Empty)"])
    v["NewName"] = v["TargetObject"] + "_old"


def ev_other(rng, host, v, eid):
    """Fill the fields of the rare events (4, 6, 8, 9, 16-21, 24, 25, 255)."""
    v.update(
        State="Started", Version="15.14", SchemaVersion="4.90",
        Signed="true", Signature="Microsoft Windows",
        SignatureStatus="Valid",
        ImageLoaded="C:\\Windows\\System32\\drivers\\fabflt%02d.sys"
        % rng.randrange(10),
        SourceProcessGuid=v["ProcessGuid"], SourceProcessId=v["ProcessId"],
        SourceImage=v["Image"], TargetProcessGuid=host.guid(rng),
        TargetProcessId=rng.randrange(4, 40000, 4),
        TargetImage="C:\\Windows\\explorer.exe",
        NewThreadId=rng.randrange(100, 30000, 4),
        StartAddress="0x%016X" % rng.getrandbits(48),
        StartModule=rng.choice(["-", "C:\\Windows\\System32\\ntdll.dll"]),
        StartFunction=rng.choice(["-", "LdrLoadDll"]),
        SourceUser=v["User"], TargetUser=host.user(rng),
        Device="\\Device\\HarddiskVolume%d" % rng.randrange(1, 5),
        Configuration="C:\\ProgramData\\Sysmon\\sysmonconfig-v%d.xml"
        % rng.randrange(1, 9),
        EventType={17: "CreatePipe", 18: "ConnectPipe",
                   19: "WmiFilterEvent", 20: "WmiConsumerEvent",
                   21: "WmiBindingEvent"}.get(eid, ""),
        PipeName="\\PSHost.%d.%d.DefaultAppDomain.powershell"
        % (rng.getrandbits(60), v["ProcessId"]),
        Operation="Created", EventNamespace="\"root\\\\cimv2\"",
        Name="\"Northwind Inventur\"",
        Query="\"SELECT * FROM __InstanceModificationEvent WITHIN 60 WHERE "
              "TargetInstance ISA 'Win32_PerfFormattedData_PerfOS_System'\"",
        Type=("Command Line" if eid == 20 else
              rng.choice(["Image is replaced", "Image is locked for access"])),
        Destination="\"powershell.exe -NoProfile -File C:\\ProgramData\\"
                    "Fabrikam\\scripts\\inventory.ps1\"",
        Consumer="\"CommandLineEventConsumer.Name=\\\"Northwind "
                 "Inventur\\\"\"",
        Filter="\"__EventFilter.Name=\\\"Northwind Inventur\\\"\"",
        Session=rng.choice([1, 2]),
        ClientInfo="user: %s ip: %s hostname: %s" % (
            v["User"], host.ip, host.short),
        ID=rng.choice(["DNS", "DriverCommunication", "ProcessRundown"]),
        Description=rng.choice(
            ["Failed to open service configuration with error 1060",
             "Failed to access the driver - Last error: Der Parameter ist "
             "falsch.", "Error processing event: 0x80070057"]))
    v["ConfigurationFileHash"] = file_hashes(v["Configuration"], 1)
    if eid == 6:
        v["Hashes"] = file_hashes(v["ImageLoaded"], host.hash_style)


def event_values(rng, host, eid):
    """Return a dict with a value for every field of event eid."""
    v = common(rng, host)
    if eid == 1:
        ev_process(rng, host, v)
    elif eid == 3:
        ev_network(rng, host, v)
    elif eid == 7:
        ev_image_load(rng, host, v)
    elif eid == 10:
        ev_access(rng, host, v)
    elif eid in (12, 13, 14):
        ev_registry(rng, host, v, eid)
    elif eid == 22:
        v["QueryName"] = rng.choice(REMOTE_NAMES)
        v["QueryStatus"], v["QueryResults"] = dns_answer(rng)
    else:
        ev_file(rng, host, v)
        ev_other(rng, host, v, eid)
    return v


def render(rng, host, eid):
    """Return one pool entry: (text before SystemTime, text between the
    EventRecordID and UtcTime, text after UtcTime)."""
    version, level = EVENTS[eid][1], EVENTS[eid][2]
    values = event_values(rng, host, eid)
    typed = rng.random() < 0.15
    data = {}
    for spec in SCHEMA[eid].split():
        name, _, kind = spec.partition(":")
        val = values[name]
        if kind == "u" and not typed:
            val = str(val)
        elif kind == "b" and not typed:
            val = "true" if val else "false"
        data[name] = val
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    before, after = body.split(json.dumps(UTC_MARK))
    head = ('{"Event":{"#attributes":{"xmlns":"%s"},"System":{"Provider":%s,'
            '"EventID":%d,"Version":%d,"Level":%d,"Task":%d,"Opcode":0,'
            '"Keywords":"0x8000000000000000","TimeCreated":{"#attributes":'
            '{"SystemTime":"' % (XMLNS, PROVIDER, eid, version, level, eid))
    mid = (',"Correlation":null,"Execution":{"#attributes":{"ProcessID":%d,'
           '"ThreadID":%d}},"Channel":"%s","Computer":"%s","Security":'
           '{"#attributes":{"UserID":"S-1-5-18"}}},"EventData":%s"'
           % (host.sysmon_pid, rng.choice(host.threads), CHANNEL,
              host.computer, before))
    return head, mid, '"' + after + "}}\n"


def build_pools(rng):
    """Return {event id: [pool entries]}, more entries for frequent IDs."""
    hosts = [Host(rng, spec) for spec in HOSTS]
    for host in hosts:
        host.hash_style = pick_weighted(rng, range(5), [40, 25, 20, 10, 5])
    pools = {}
    for eid in sorted(EVENTS):
        size = 3000 if EVENTS[eid][0] >= 50 else 60
        pools[eid] = [render(rng, rng.choice(hosts), eid)
                      for _ in range(size)]
    return pools


def id_table(rng):
    """Return a 65536-entry table of event IDs, each ID as often as its
    weight says; indexing it with 16 random bits picks an event."""
    ids = sorted(EVENTS)
    total = sum(EVENTS[i][0] for i in ids)
    table = []
    for eid in ids:
        table += [eid] * max(1, round(EVENTS[eid][0] / total * 65536))
    table = table[:65536]
    table += [1] * (65536 - len(table))
    rng.shuffle(table)
    return table


class Clock:
    """Event times: SystemTime (100 ns resolution, printed with nine
    digits as evtx_dump does) and Sysmon's UtcTime (milliseconds)."""

    def __init__(self, start):
        self.ticks = start * 10 ** 7
        self.sec = -1
        self.sys_prefix = self.utc_prefix = ""

    def advance(self, ticks):
        """Move the clock; return (SystemTime, UtcTime) strings."""
        self.ticks += ticks
        sec, frac = divmod(self.ticks, 10 ** 7)
        if sec != self.sec:
            self.sec = sec
            tm = time.gmtime(sec)
            self.sys_prefix = time.strftime("%Y-%m-%dT%H:%M:%S.", tm)
            self.utc_prefix = time.strftime("%Y-%m-%d %H:%M:%S.", tm)
        return ("%s%07d00Z" % (self.sys_prefix, frac),
                "%s%03d" % (self.utc_prefix, frac // 10000))


def generate(out, seed, limit_bytes, limit_count):
    """Write events to the binary file out until a limit is reached;
    return (events, bytes) written."""
    rng = random.Random(seed)
    pools = build_pools(rng)
    table = id_table(rng)
    sizes = {eid: len(p) for eid, p in pools.items()}
    first = sorted(EVENTS)
    rng.shuffle(first)
    clock = Clock(1715673600 + rng.randrange(86400))
    record = rng.randrange(100000, 900000)
    count = written = 0
    while True:
        lines = []
        for _ in range(2048):
            bits = rng.getrandbits(56)
            if count < len(first):
                eid = first[count]
            else:
                eid = table[bits & 0xFFFF]
            head, mid, tail = pools[eid][(bits >> 16) % sizes[eid]]
            systime, utctime = clock.advance((bits >> 48) * 200 + 7)
            lines.append(head + systime + '"}},"EventRecordID":' +
                         str(record) + mid + utctime + tail)
            record += 1
            count += 1
            if count == limit_count:
                break
        data = "".join(lines).encode("utf-8")
        if limit_bytes and written + len(data) >= limit_bytes:
            return finish(out, lines, count - len(lines), written,
                          limit_bytes)
        out.write(data)
        written += len(data)
        if count == limit_count:
            return count, written


def finish(out, lines, count, written, limit_bytes):
    """Write lines one by one up to the first that reaches limit_bytes;
    return (events, bytes) written."""
    for line in lines:
        data = line.encode("utf-8")
        out.write(data)
        written += len(data)
        count += 1
        if written >= limit_bytes:
            break
    return count, written


def main():
    """Parse the command line and generate."""
    ap = argparse.ArgumentParser(
        description="Generate synthetic Sysmon events (evtx_dump JSON "
                    "lines) for the sysmon2qql benchmark.")
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--mb", type=float,
                      help="stop at N MB (10^6 bytes; default 100)")
    size.add_argument("--count", type=int, help="write exactly N events")
    ap.add_argument("--seed", type=int, default=1,
                    help="random seed (default 1)")
    ap.add_argument("-o", "--output", default="-",
                    help="output file (default: standard output)")
    args = ap.parse_args()
    if args.count is not None and args.count < 1:
        ap.error("--count must be at least 1")
    if args.mb is not None and args.mb <= 0:
        ap.error("--mb must be positive")
    limit_bytes = 0 if args.count else int((args.mb or 100) * MB)
    started = time.monotonic()
    if args.output == "-":
        count, written = generate(sys.stdout.buffer, args.seed, limit_bytes,
                                  args.count or 0)
    else:
        with open(args.output, "wb") as out:
            count, written = generate(out, args.seed, limit_bytes,
                                      args.count or 0)
    secs = max(time.monotonic() - started, 1e-9)
    print("gen.py: %d events, %d bytes (%.0f bytes/event), %.1f MB/s"
          % (count, written, written / count, written / MB / secs),
          file=sys.stderr)


if __name__ == "__main__":
    main()
