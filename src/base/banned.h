/* Functions that are easy to misuse are banned at compile time (after git's banned.h): use
 * snprintf, checked strtoll, gmtime_r instead. Included in every translation unit by the build. */
#ifndef GD_BANNED_H
#define GD_BANNED_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#define GD_BANNED(f) sorry_##f##_is_banned
#undef strcpy
#define strcpy(x, y) GD_BANNED(strcpy)
#undef strcat
#define strcat(x, y) GD_BANNED(strcat)
#undef sprintf
#define sprintf(...) GD_BANNED(sprintf)
#undef strtok
#define strtok(x, y) GD_BANNED(strtok)
#undef atoi
#define atoi(x) GD_BANNED(atoi)
#undef gmtime
#define gmtime(x) GD_BANNED(gmtime)
#undef localtime
#define localtime(x) GD_BANNED(localtime)
#endif
