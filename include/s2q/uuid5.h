/*
 * uuid5.h - name-based (version 5, RFC 4122) UUIDs, made fast.
 *
 * A version 5 UUID is the SHA-1 of a namespace UUID followed by a name.
 * Every record gets one (eventId), so the namespace is hashed once and the
 * hash state copied for each name. SHA-1 comes from OpenSSL's libcrypto;
 * libuuid is the fallback when libcrypto offers no SHA-1.
 */
#ifndef S2Q_UUID5_H
#define S2Q_UUID5_H

#include <stddef.h>

/** Length of a UUID's text form ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"). */
#define S2Q_UUID_LEN 36

struct s2q_uuid5;

/** A generator for one namespace (16 bytes). Not thread-safe: one per
 * thread. */
struct s2q_uuid5 *s2q_uuid5_new(const unsigned char ns[16]);

/** Free a generator. NULL is allowed. */
void s2q_uuid5_free(struct s2q_uuid5 *u);

/** Does the generator hash this namespace? */
int s2q_uuid5_has_namespace(const struct s2q_uuid5 *u,
                            const unsigned char ns[16]);

/**
 * The version 5 UUID of a name (len bytes) in the generator's namespace,
 * as lower-case text with a NUL.
 */
void s2q_uuid5_make(struct s2q_uuid5 *u, const void *name, size_t len,
                    char out[S2Q_UUID_LEN + 1]);

#endif /* S2Q_UUID5_H */
