/* A bump allocator: one per request and per scheduler batch (h2o, nginx pools). Everything
 * allocated from it goes in one gd_arena_release.
 *
 * Ownership: the arena owns every block it hands out. Thread safety: one owner at a time. */
#ifndef GD_ARENA_H
#define GD_ARENA_H
#include <stddef.h>

struct gd_arena_block;
struct gd_arena {
    struct gd_arena_block *head;
};

#define GD_ARENA_INIT \
    {                 \
        NULL          \
    }

void *gd_arena_alloc(struct gd_arena *a, size_t n);
void *gd_arena_zalloc(struct gd_arena *a, size_t n);
char *gd_arena_strdup(struct gd_arena *a, const char *s);
char *gd_arena_strndup(struct gd_arena *a, const char *s, size_t n);
char *gd_arena_printf(struct gd_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void gd_arena_release(struct gd_arena *a);

#endif
