/*
 * value.h - parsers and formatters for the values found in Sysmon events:
 * integers, hex numbers, times, hashes, IP addresses, GUIDs, SIDs,
 * severities and the ClientInfo text of event 24.
 *
 * Every function here is pure: it reads its input, writes only into the
 * caller's buffers and keeps no state, so it is safe to call from any
 * thread. Inputs are (pointer, length) pairs and need not be
 * NUL-terminated; outputs are always NUL-terminated.
 */
#ifndef S2Q_VALUE_H
#define S2Q_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Largest integer a double holds exactly: 2^53 - 1. */
#define S2Q_MAX_SAFE_INT 9007199254740991ULL

/**
 * Parse an unsigned decimal integer made only of ASCII digits (no sign, no
 * spaces, at least one digit; leading zeros are allowed).
 * @return true and *out set when the text is such a number and is <= max.
 */
bool s2q_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out);

/**
 * Convert a JSON number to an unsigned integer.
 * @return true and *out set when d is integral, >= 0 and <= max.
 */
bool s2q_double_to_uint(double d, uint64_t max, uint64_t *out);

/** Size of a buffer that holds any number written by s2q_format_number. */
#define S2Q_NUMBER_BUFSZ 32

/**
 * Write a JSON number as text: its decimal digits when it is integral and
 * below 2^53 in magnitude (-0 is written "0"), else as "%.17g" writes it
 * ("inf" and "-inf" for the infinities, "nan" for NaN).
 * @return the length written (excluding the NUL).
 */
size_t s2q_format_number(double d, char out[S2Q_NUMBER_BUFSZ]);

/** Size of a buffer that holds any uint64_t in decimal, with its NUL. */
#define S2Q_UINT_BUFSZ 21

/**
 * Write v in decimal (no sign, no leading zeros).
 * @return the length written (excluding the NUL).
 */
size_t s2q_format_uint(uint64_t v, char out[S2Q_UINT_BUFSZ]);

/** Size of a buffer that holds a canonical hex value: "0x" + 16 + NUL. */
#define S2Q_HEX_BUFSZ 19

/**
 * Canonical hex form of a Windows hex field (LogonId, GrantedAccess):
 * "0x" followed by lower-case hex digits without leading zeros ("0x0" for
 * zero). Accepts "0x"/"0X" followed by 1 to 16 hex digits after any leading
 * zeros are dropped, or a plain decimal integer (ASCII digits, value below
 * 2^64), which is converted.
 * @return true when the text is one of those forms.
 */
bool s2q_hex_canon(const char *s, size_t len, char out[S2Q_HEX_BUFSZ]);

/** Write v in the canonical hex form described above. */
void s2q_hex_from_uint(uint64_t v, char out[S2Q_HEX_BUFSZ]);

/** Length of a formatted time: "2022-03-22T22:01:17.969Z". */
#define S2Q_TIME_LEN 24

enum s2q_time_status {
    S2Q_TIME_OK,    /* parsed, *ms set */
    S2Q_TIME_LOCAL, /* well formed but without a zone where that means local
                       time, so not usable; *ms is not set */
    S2Q_TIME_BAD    /* not a time in any accepted form */
};

/**
 * Parse a time into milliseconds since 1970-01-01T00:00:00Z.
 *
 * Accepted forms (fraction: 0 to 9 digits, extra digits beyond the
 * millisecond truncated, never rounded):
 *   YYYY-MM-DD HH:MM:SS[.f]            (Sysmon UtcTime)
 *   YYYY-MM-DDTHH:MM:SS[.f]
 *   MM/DD/YYYY HH:MM:SS[.f]
 *   any of the above followed by a zone: "Z", "z", "+HH:MM", "-HH:MM",
 *   "+HHMM", "-HHMM", "+HH", "-HH" (converted to UTC)
 *   /Date(MS)/ or /Date(MS+HHMM)/ or /Date(MS-HHMM)/ (MS may be negative;
 *   the offset is ignored because MS is already UTC)
 * Years 0001 to 9999; the date must exist (leap years included); hours
 * 00-23, minutes and seconds 00-59. A result outside years 0001-9999 after
 * applying the zone offset is S2Q_TIME_BAD.
 *
 * @param zoneless_is_utc  true for fields whose name says UTC (UtcTime,
 *        CreationUtcTime, PreviousCreationUtcTime): a time without a zone
 *        is UTC. When false, such a time yields S2Q_TIME_LOCAL.
 */
enum s2q_time_status s2q_time_parse(const char *s, size_t len,
                                    bool zoneless_is_utc, int64_t *ms);

/**
 * Format ms since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ" (exactly
 * S2Q_TIME_LEN characters plus a NUL). ms must lie within years 0001-9999.
 */
void s2q_time_format(int64_t ms, char out[S2Q_TIME_LEN + 1]);

/** The hashes found in a Hashes / Hash / ConfigurationFileHash value. */
struct s2q_hashes {
    char md5[33];     /* upper-case hex, "" when absent or all zero */
    char sha1[41];
    char sha256[65];
    char imphash[33];
    bool complete;    /* every part of the value parsed (see below) */
};

/**
 * Split a hash list: comma-separated ALGORITHM=HEX pairs in any order and
 * any subset. Algorithm names MD5, SHA1, SHA256, IMPHASH match without
 * regard to case. Spaces and tabs around a pair, around its name and
 * around its hex are ignored. The hex must be of the algorithm's length
 * (32, 40, 64, 32) and is upper-cased. A value that is one bare hex string
 * (no '=') is classified by length: 32 MD5, 40 SHA1, 64 SHA256. All-zero
 * hex of a valid length is no hash: it is left out but counts as parsed.
 * complete is false when any part did not parse: an unknown algorithm, a
 * wrong length, non-hex digits, an empty part, an algorithm given twice
 * (the first one is kept), or a bare hex string inside a list.
 * @return true when at least one hash was placed or the value was complete.
 */
bool s2q_hashes_parse(const char *s, size_t len, struct s2q_hashes *out);

/** Size of a buffer for a formatted address (INET6_ADDRSTRLEN). */
#define S2Q_IP_BUFSZ 46

enum s2q_ip_kind { S2Q_IP_NONE, S2Q_IP_V4, S2Q_IP_V6 };

/**
 * Parse an IPv4 or IPv6 address (the whole text, no spaces, no zone
 * index). IPv4 is written dotted; IPv6 in its RFC 5952 compressed,
 * lower-case form; an IPv4-mapped IPv6 address (::ffff:a.b.c.d in any
 * spelling) is IPv4 and written as a.b.c.d.
 * @return the kind, or S2Q_IP_NONE when the text is not an address.
 */
enum s2q_ip_kind s2q_ip_parse(const char *s, size_t len,
                              char out[S2Q_IP_BUFSZ]);

/** Size of a braced GUID buffer: 38 characters + NUL. */
#define S2Q_GUID_BUFSZ 39

/**
 * Canonical GUID: accepts 8-4-4-4-12 hex digits in any case, braced or
 * not, and writes "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" in lower case.
 * @return false when the text is not a GUID.
 */
bool s2q_guid_canon(const char *s, size_t len, char out[S2Q_GUID_BUFSZ]);

/**
 * Name of a well-known SID: "S-1-5-18" SYSTEM, "S-1-5-19" LOCAL SERVICE,
 * "S-1-5-20" NETWORK SERVICE (exact match).
 * @return the name, or NULL for any other text.
 */
const char *s2q_sid_name(const char *s, size_t len);

/**
 * Normalized severity of a Windows / NXLog level given as text:
 * "1" or "critical" Alert; "2" or "error" Error; "3" or "warning" Warning;
 * "0", "4", "information", "informational", "info" Informational;
 * "5", "verbose", "debug" Debug. Names match without regard to case.
 * @return the normalized name, or NULL when the text is none of these.
 */
const char *s2q_severity_name(const char *s, size_t len);

/** The same for a level given as a JSON number (0 to 5, integral). */
const char *s2q_severity_number(double level);

/** The parts of an event 24 ClientInfo value; pointers into the input. */
struct s2q_clientinfo {
    const char *user;     /* NULL when absent, empty or "-" */
    size_t user_len;
    const char *hostname;
    size_t hostname_len;
    const char *ip;       /* the raw text after "ip:" */
    size_t ip_len;
    bool complete;        /* every part was recognised */
};

/**
 * Parse ClientInfo text such as "user: CORP\alice ip: 10.0.0.5
 * hostname: WS01". A label is a run of ASCII letters followed by ':' that
 * stands at the start of the text or after white space and is followed by
 * white space or the end; its value runs to the next label and is trimmed
 * of spaces and tabs. The labels user, ip and hostname (any case) are
 * recognised. complete is false when there is text before the first
 * label, an unknown label, or a label given twice (the first is kept).
 * The ip part is returned raw: the caller parses it.
 */
void s2q_clientinfo_parse(const char *s, size_t len,
                          struct s2q_clientinfo *out);

#endif /* S2Q_VALUE_H */
