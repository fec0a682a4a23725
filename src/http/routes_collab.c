/* Routes of the collaborative work orders (协同工单). */
#include "http/req.h"

const struct gd_route gd_routes_collab[] = {
    {NULL, NULL, NULL, 0},
};
