/*
 * uuid5.c - version 5 UUIDs with a SHA-1 state primed per namespace.
 */
#include <string.h>

#include <openssl/evp.h>
#include <uuid/uuid.h>

#include "s2q/buf.h"
#include "s2q/uuid5.h"

struct s2q_uuid5 {
    unsigned char ns[16];
    EVP_MD *sha1;            /* NULL: libcrypto has none, use libuuid */
    EVP_MD_CTX *primed;      /* SHA-1 state after the namespace */
    EVP_MD_CTX *work;
};

struct s2q_uuid5 *s2q_uuid5_new(const unsigned char ns[16])
{
    struct s2q_uuid5 *u = s2q_xcalloc(1, sizeof(*u));

    memcpy(u->ns, ns, 16);
    u->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
    u->primed = EVP_MD_CTX_new();
    u->work = EVP_MD_CTX_new();
    if (u->sha1 == NULL || u->primed == NULL || u->work == NULL ||
        EVP_DigestInit_ex(u->primed, u->sha1, NULL) != 1 ||
        EVP_DigestUpdate(u->primed, ns, 16) != 1) {
        EVP_MD_free(u->sha1);
        u->sha1 = NULL;
    }
    return u;
}

void s2q_uuid5_free(struct s2q_uuid5 *u)
{
    if (u == NULL) {
        return;
    }
    EVP_MD_CTX_free(u->primed);
    EVP_MD_CTX_free(u->work);
    EVP_MD_free(u->sha1);
    free(u);
}

int s2q_uuid5_has_namespace(const struct s2q_uuid5 *u,
                            const unsigned char ns[16])
{
    return u != NULL && memcmp(u->ns, ns, 16) == 0;
}

/* SHA-1 of the namespace and the name, with libcrypto. @return 0 or -1. */
static int digest(struct s2q_uuid5 *u, const void *name, size_t len,
                  unsigned char md[EVP_MAX_MD_SIZE])
{
    if (u->sha1 == NULL || EVP_MD_CTX_copy_ex(u->work, u->primed) != 1 ||
        EVP_DigestUpdate(u->work, name, len) != 1 ||
        EVP_DigestFinal_ex(u->work, md, NULL) != 1) {
        return -1;
    }
    return 0;
}

void s2q_uuid5_make(struct s2q_uuid5 *u, const void *name, size_t len,
                    char out[S2Q_UUID_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    size_t j = 0;

    if (digest(u, name, len, md) != 0) {
        uuid_t id;

        uuid_generate_sha1(id, u->ns, name, len);
        uuid_unparse_lower(id, out);
        return;
    }
    md[6] = (unsigned char)((md[6] & 0x0F) | 0x50);   /* version 5 */
    md[8] = (unsigned char)((md[8] & 0x3F) | 0x80);   /* RFC 4122 */
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out[j++] = '-';
        }
        out[j++] = hex[md[i] >> 4];
        out[j++] = hex[md[i] & 0x0F];
    }
    out[j] = '\0';
}
