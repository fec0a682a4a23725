/* Included in every translation unit by the build (like base/banned.h): the client library of
 * a storage backend can be used only inside that backend's folder, so no SQL or database handle
 * leaks past store.h. A backend's target defines its GD_STORE_BACKEND_* macro; anywhere else,
 * <sqlite3.h> or <libpq-fe.h> fails to build on the poisoned names it declares. Checked by the
 * ctest entries build/private-headers-*. */
#ifndef GD_STORE_PRIVATE_HEADERS_H
#define GD_STORE_PRIVATE_HEADERS_H
#ifndef GD_STORE_BACKEND_SQLITE
#pragma GCC poison sqlite3
#endif
#ifndef GD_STORE_BACKEND_PG
#pragma GCC poison PGconn
#endif
#endif
