/* cmds.h: one entry point per verb, each in its own cmd_*.c file. */
#ifndef CAUSA_CMDS_H
#define CAUSA_CMDS_H

int cmd_data_info(int argc, char **argv);
int cmd_graph_info(int argc, char **argv);
int cmd_graph_convert(int argc, char **argv);
int cmd_graph_dsep(int argc, char **argv);
int cmd_graph_cpdag(int argc, char **argv);
int cmd_graph_extend(int argc, char **argv);
int cmd_graph_compare(int argc, char **argv);
int cmd_graph_draw(int argc, char **argv);
int cmd_discover(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_counterfactual(int argc, char **argv);
int cmd_ace(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_simulate(int argc, char **argv);

/* Data options of `causa discover` and `causa stats` (cmd_discover.c). */
#include "causa.h"
typedef struct cmd_data_opts {
    int no_header;
    const char *delimiter, *missing, *marker;
} cmd_data_opts;
/* Reads a data set (.npy by extension, else CSV with data_type CAUSA_DATA_*). On failure
 * prints the error, sets *exit_code and returns the status. */
int cmd_read_data(causa_ctx *ctx, const char *verb, const cmd_data_opts *o, const char *path,
                  int data_type, causa_dataset **out, int *exit_code);

#endif
