/* Allocation that aborts on out-of-memory (tmux xmalloc, Redis zmalloc): callers never check
 * for NULL. Sizes that come from outside must be bounded before they reach these. */
#ifndef GD_XALLOC_H
#define GD_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
