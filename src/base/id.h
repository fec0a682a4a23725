/* Application-made 64-bit ids, time-ordered: 41 bits of milliseconds since 2024-01-01, 10 bits of
 * node, 12 bits of sequence. Any number of nodes create rows without a shared sequence, and ids
 * sort by creation. Thread safety: safe (one atomic word). */
#ifndef GD_ID_H
#define GD_ID_H
#include <stdint.h>

int64_t gd_id_new(void);
/* Sets the node part (0..1023) of the ids made from now on: each process on one database needs
 * its own (store op node_slot_claim hands them out). */
void gd_id_set_node(unsigned node);
/* Parses a decimal id string; returns 0 when it is not a positive id. */
int64_t gd_id_parse(const char *s);

#endif
