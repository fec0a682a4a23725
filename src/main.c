/* gongdan: argv -> the CLI command table, nothing else. */
#include "cli/cli.h"

int main(int argc, char **argv) { return gd_cli_main(argc, argv); }
