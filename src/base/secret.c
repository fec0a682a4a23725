/* libsodium-backed secrets. Passwords are hashed only at sign-in and user creation; sessions and
 * API tokens are random values checked by their SHA-256 digest, in microseconds. */
#include "base/secret.h"
#include <sodium.h>

int gd_secret_init(void) { return sodium_init() < 0 ? -1 : 0; }

int gd_secret_hash_password(const char *pw, char *out)
{
    return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? 0
               : -1;
}

bool gd_secret_verify_password(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void gd_secret_token(char out[GD_TOKEN_LEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, GD_TOKEN_LEN, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void gd_secret_sha256_hex(const void *s, size_t n, char out[GD_DIGEST_HEX])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, s, n);
    sodium_bin2hex(out, GD_DIGEST_HEX, d, sizeof(d));
}

static void hmac(const char *key, const void *msg, size_t n,
                 unsigned char d[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
    crypto_auth_hmacsha256_update(&st, msg, n);
    crypto_auth_hmacsha256_final(&st, d);
}

void gd_secret_hmac_hex(const char *key, const void *msg, size_t n, char out[GD_DIGEST_HEX])
{
    unsigned char d[crypto_auth_hmacsha256_BYTES];
    hmac(key, msg, n, d);
    sodium_bin2hex(out, GD_DIGEST_HEX, d, sizeof(d));
}

void gd_secret_hmac_base64(const char *key, const void *msg, size_t n, char out[GD_DIGEST_B64])
{
    unsigned char d[crypto_auth_hmacsha256_BYTES];
    hmac(key, msg, n, d);
    sodium_bin2base64(out, GD_DIGEST_B64, d, sizeof(d), sodium_base64_VARIANT_ORIGINAL);
}

void gd_secret_digest128(const void *s, size_t n, unsigned char out[16])
{
    crypto_generichash(out, 16, s, n, NULL, 0);
}

bool gd_secret_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}
