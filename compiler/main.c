/*
 * main.c - the lyncc command: everything happens in lyncc_main().
 */
#include "lyncc.h"

int
main(int argc, char **argv)
{
	return lyncc_main(argc, argv);
}
