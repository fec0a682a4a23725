/* UTF-8 checks for input validation. Pure, thread safe. */
#ifndef GD_UTF8_H
#define GD_UTF8_H
#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool gd_utf8_valid(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string. */
size_t gd_utf8_len(const char *s);
/* Columns a valid UTF-8 string takes on a terminal: 2 for East Asian wide characters (汉字,
 * fullwidth forms), 1 for the rest. */
size_t gd_utf8_width(const char *s);
/* Copies the NUL-terminated s into out (size n > 0, always terminated), each byte that does not
 * begin a well-formed sequence replaced by U+FFFD; a sequence that would not fit is dropped
 * whole, so a cut never splits a character. Returns out. */
char *gd_utf8_repair(const char *s, char *out, size_t n);

#endif
