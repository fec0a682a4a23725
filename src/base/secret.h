/* Secrets: argon2id password hashes, random 256-bit tokens and their SHA-256 digests,
 * constant-time comparison. Wraps libsodium. Thread safety: safe after gd_secret_init. */
#ifndef GD_SECRET_H
#define GD_SECRET_H
#include <stdbool.h>
#include <stddef.h>

#define GD_PWHASH_LEN 128
#define GD_TOKEN_LEN 44 /* 32 random bytes, URL-safe base64 without padding, plus prefix room */
#define GD_DIGEST_HEX 65
#define GD_DIGEST_B64 45 /* 32 bytes in standard base64 with padding, and the NUL */

int gd_secret_init(void);
/* argon2id (interactive limits); `out` must hold GD_PWHASH_LEN bytes. */
int gd_secret_hash_password(const char *pw, char *out);
bool gd_secret_verify_password(const char *hash, const char *pw);
/* A fresh random token: 43 URL-safe characters. */
void gd_secret_token(char out[GD_TOKEN_LEN]);
/* Lower-case hex SHA-256 of s. */
void gd_secret_sha256_hex(const void *s, size_t n, char out[GD_DIGEST_HEX]);
/* Lower-case hex HMAC-SHA256. */
void gd_secret_hmac_hex(const char *key, const void *msg, size_t n, char out[GD_DIGEST_HEX]);
/* HMAC-SHA256 in standard base64 (with padding): DingTalk's robot signature. */
void gd_secret_hmac_base64(const char *key, const void *msg, size_t n, char out[GD_DIGEST_B64]);
/* A 128-bit BLAKE2b digest of s (content checksums, not secrets). */
void gd_secret_digest128(const void *s, size_t n, unsigned char out[16]);
bool gd_secret_equal(const char *a, const char *b);

#endif
