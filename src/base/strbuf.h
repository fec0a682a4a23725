/* A growable byte buffer whose `buf` is never NULL and always NUL-terminated, with a size cap
 * and a sticky overflow flag (git strbuf, curl dynbuf, SQLite StrAccum).
 *
 * Ownership: the strbuf owns `buf`; gd_strbuf_release frees it, gd_strbuf_detach hands it to the
 * caller (free with free()). Thread safety: none; one owner at a time.
 * Errors: appends past `cap` set `overflow` and are dropped; check it once at the end. */
#ifndef GD_STRBUF_H
#define GD_STRBUF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct gd_strbuf {
    char *buf;
    size_t len;
    size_t alloc;
    size_t cap; /* 0 = unlimited */
    bool overflow;
};

extern char gd_strbuf_empty[];
#define GD_STRBUF_INIT                  \
    {                                   \
        gd_strbuf_empty, 0, 0, 0, false \
    }

void gd_strbuf_init(struct gd_strbuf *sb, size_t cap);
void gd_strbuf_release(struct gd_strbuf *sb);
char *gd_strbuf_detach(struct gd_strbuf *sb, size_t *len);
void gd_strbuf_reset(struct gd_strbuf *sb);
void gd_strbuf_grow(struct gd_strbuf *sb, size_t extra);
/* What gd_strbuf_add does when its fast path does not apply: grows, or marks the overflow. */
void gd_strbuf__add_slow(struct gd_strbuf *sb, const void *data, size_t n);
/* Appends n bytes. Inline, with the common case first (room left, no cap in the way): a list
 * view writes its JSON in some 2,000 appends of a few bytes each, and for a string literal
 * gd_strbuf_adds's strlen becomes a constant. */
static inline void gd_strbuf_add(struct gd_strbuf *sb, const void *data, size_t n)
{
    if (sb->len + n < sb->alloc && !sb->overflow && (!sb->cap || sb->len + n <= sb->cap)) {
        memcpy(sb->buf + sb->len, data, n);
        sb->len += n;
        sb->buf[sb->len] = 0;
        return;
    }
    gd_strbuf__add_slow(sb, data, n);
}
static inline void gd_strbuf_adds(struct gd_strbuf *sb, const char *s)
{
    gd_strbuf_add(sb, s, strlen(s));
}
static inline void gd_strbuf_addch(struct gd_strbuf *sb, char c) { gd_strbuf_add(sb, &c, 1); }
void gd_strbuf_addf(struct gd_strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends a decimal integer (no printf: this is on the list rendering hot path). */
void gd_strbuf_add_i64(struct gd_strbuf *sb, int64_t v);
/* Appends `s` as a JSON string literal, quotes included. */
void gd_strbuf_add_json_str(struct gd_strbuf *sb, const char *s);

#endif
