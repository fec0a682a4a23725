/* Routes of statistics and export. */
#include "http/req.h"

const struct gd_route gd_routes_reports[] = {
    {NULL, NULL, NULL, 0},
};
