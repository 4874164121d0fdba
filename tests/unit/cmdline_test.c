/*
 * Host test of the boot command-line splitter (kernel/cmdline.c): words,
 * quotes, the "--" separator, NAME=value replacement, ignored words and the
 * word limit.
 */
#include <stdio.h>
#include <string.h>

#include "kernel/cmdline.h"

#include "tests/unit/check.h"

static void split(const char *text, char *buf, size_t n, struct cmdline *c)
{
	snprintf(buf, n, "%s", text);
	cmdline_split(buf, c);
}

int main(void)
{
	char buf[CMDLINE_MAX_BYTES];
	struct cmdline c;

	split("", buf, sizeof buf, &c);
	CHECK(c.nenv == 0 && c.nargs == 0 && c.nignored == 0 && c.env[0] == NULL);

	split("  GOGC=50\tGODEBUG=gctrace=1 -- alpha beta  ", buf, sizeof buf, &c);
	CHECK(c.nenv == 2);
	CHECK(strcmp(c.env[0], "GOGC=50") == 0);
	CHECK(strcmp(c.env[1], "GODEBUG=gctrace=1") == 0);
	CHECK(c.nargs == 2 && strcmp(c.args[0], "alpha") == 0 && strcmp(c.args[1], "beta") == 0);
	CHECK(c.args[2] == NULL && c.env[2] == NULL);

	split("A=1 B=2 A=3", buf, sizeof buf, &c);
	CHECK(c.nenv == 2 && strcmp(c.env[0], "A=3") == 0 && strcmp(c.env[1], "B=2") == 0);

	split("MSG=\"hello world\" -- \"x y\" -- z", buf, sizeof buf, &c);
	CHECK(c.nenv == 1 && strcmp(c.env[0], "MSG=hello world") == 0);
	CHECK(c.nargs == 3 && strcmp(c.args[0], "x y") == 0 && strcmp(c.args[1], "--") == 0);
	CHECK(strcmp(c.args[2], "z") == 0);

	split("quiet =x GOGC=1 -- A=B", buf, sizeof buf, &c);
	CHECK(c.nignored == 2 && strcmp(c.ignored[0], "quiet") == 0);
	CHECK(strcmp(c.ignored[1], "=x") == 0);
	CHECK(c.nenv == 1 && c.nargs == 1 && strcmp(c.args[0], "A=B") == 0);

	split("X=\"open", buf, sizeof buf, &c);
	CHECK(c.unterminated_quote && c.nenv == 1 && strcmp(c.env[0], "X=open") == 0);

	char many[CMDLINE_MAX_BYTES];
	size_t len = 0;
	len += (size_t)snprintf(many + len, sizeof many - len, "--");
	for (int i = 0; i < CMDLINE_MAX_WORDS + 5; i++)
		len += (size_t)snprintf(many + len, sizeof many - len, " w%d", i);
	split(many, buf, sizeof buf, &c);
	CHECK(c.too_many_words && c.nargs == CMDLINE_MAX_WORDS);
	CHECK(c.args[CMDLINE_MAX_WORDS] == NULL);

	return check_status("cmdline_test");
}
