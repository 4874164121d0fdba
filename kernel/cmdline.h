/*
 * The boot command line is the environment. gort reads it the way a Go
 * program reads its environment and arguments:
 *
 *   GOGC=50 GODEBUG=gctrace=1 gort.verbose=1 -- alpha "beta gamma"
 *
 * Words are separated by blanks; a double-quoted span keeps its blanks and
 * loses its quotes (NAME="a b" is NAME=a b). Words before the first "--"
 * of the form NAME=value are environment variables (a later one with the
 * same NAME replaces the earlier); other words before "--" are collected as
 * ignored, so the caller can report them. Words after "--" are the
 * program's arguments (argv[1..]).
 *
 * Pure string code with no machine dependency, compiled into the image and
 * into host unit tests.
 */
#ifndef GORT_KERNEL_CMDLINE_H
#define GORT_KERNEL_CMDLINE_H

#include <stdbool.h>

#define CMDLINE_MAX_BYTES 4096
#define CMDLINE_MAX_WORDS 128

struct cmdline {
	char *env[CMDLINE_MAX_WORDS + 1]; /* NAME=value words, NULL-terminated */
	int nenv;
	char *args[CMDLINE_MAX_WORDS + 1]; /* words after "--", NULL-terminated */
	int nargs;
	char *ignored[CMDLINE_MAX_WORDS]; /* other words before "--" */
	int nignored;
	bool too_many_words; /* words beyond CMDLINE_MAX_WORDS were dropped */
	bool unterminated_quote;
};

/* Splits buf in place (it must stay alive as long as out is used). */
void cmdline_split(char *buf, struct cmdline *out);

#endif
