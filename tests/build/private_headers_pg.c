/* Must NOT build (ctest build/private-headers-pg): libpq is private to src/store/pg. */
#include <libpq-fe.h>
int gd_probe(void);
int gd_probe(void) { return PQlibVersion(); }
