/* Must NOT build (ctest build/private-headers-sqlite): SQLite is private to src/store/sqlite. */
#include <sqlite3.h>
int gd_probe(void);
int gd_probe(void) { return sqlite3_libversion_number(); }
