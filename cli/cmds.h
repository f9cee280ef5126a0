/* cmds.h: one entry point per verb, each in its own cmd_*.c file. */
#ifndef CAUSA_CMDS_H
#define CAUSA_CMDS_H

int cmd_data_info(int argc, char **argv);

#endif
