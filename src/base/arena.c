/* Bump allocation in 16 KiB blocks; large requests get a block of their own. */
#include "base/arena.h"
#include <stdarg.h>
#include <stdint.h>
#include "base/xalloc.h"

struct gd_arena_block {
    struct gd_arena_block *next;
    size_t used, size;
    max_align_t data[];
};

#define BLOCK 16384

void *gd_arena_alloc(struct gd_arena *a, size_t n)
{
    struct gd_arena_block *b = a->head;

    n = (n + 15) & ~(size_t)15;
    if (!b || b->used + n > b->size) {
        size_t size = n > BLOCK ? n : BLOCK;
        b = xmalloc(sizeof(*b) + size);
        b->used = 0;
        b->size = size;
        if (a->head && n > BLOCK) {
            /* keep the current block on top: it still has room for small things */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

void *gd_arena_zalloc(struct gd_arena *a, size_t n)
{
    void *p = gd_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *gd_arena_strndup(struct gd_arena *a, const char *s, size_t n)
{
    char *p = gd_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *gd_arena_strdup(struct gd_arena *a, const char *s)
{
    return s ? gd_arena_strndup(a, s, strlen(s)) : NULL;
}

char *gd_arena_printf(struct gd_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = gd_arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void gd_arena_release(struct gd_arena *a)
{
    struct gd_arena_block *b = a->head;
    while (b) {
        struct gd_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}
