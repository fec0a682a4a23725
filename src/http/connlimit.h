/* Open connections counted per client address (connlimit.c).
 * Thread safety: every function is safe from any thread. */
#ifndef GD_HTTP_CONNLIMIT_H
#define GD_HTTP_CONNLIMIT_H
#include <stdbool.h>
#include <sys/socket.h>

/* A connection from sa opened: returns the address's open connections, this one included. */
int gd_connlimit_open(const struct sockaddr *sa);
/* The connection from sa closed. */
void gd_connlimit_close(const struct sockaddr *sa);
/* How many connections sa has open now. */
int gd_connlimit_count(const struct sockaddr *sa);

#endif
