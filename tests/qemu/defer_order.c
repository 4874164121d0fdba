/*
 * Deferred calls run in reverse order when their scope ends normally: at
 * the end of the block, on a return from inside it (after the return
 * value is computed), and on a break, which leaves the block. Inner scopes end before
 * outer ones; a scope with more deferred calls than it holds in itself
 * keeps them all; a deferred call that defers runs what it deferred when
 * it returns; the explicit begin/end form behaves the same.
 *
 * expect-line: end: body 3 2 1
 * expect-line: return: body value b a, returned 7
 * expect-line: break: body x after
 * expect-line: nested: inner-body i2 i1 outer-body o2 o1
 * expect-line: many: 40 calls, all in reverse order
 * expect-line: in a deferred call: d-start d-end e c
 * expect-line: explicit: body 2 1
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>
#include <string.h>

static char trace[1024];

static void note(void *s)
{
	strcat(trace, (const char *)s);
}

static void show(const char *what)
{
	size_t n = strlen(trace);
	if (n != 0 && trace[n - 1] == ' ')
		trace[n - 1] = '\0';
	printf("%s: %s\n", what, trace);
	trace[0] = '\0';
}

static int value(void)
{
	note("value ");
	return 7;
}

static int returns(void)
{
	gort_scope {
		gort_defer(note, "a ");
		gort_defer(note, "b ");
		note("body ");
		return value();
	}
	printf("FAIL: return did not leave the function\n");
	return -1;
}

static int order[40], norder;

static void record(void *arg)
{
	order[norder++] = (int)(long)arg;
}

static void defers_more(void *arg)
{
	(void)arg;
	note("d-start ");
	gort_defer(note, "e ");
	note("d-end ");
}

int main(void)
{
	gort_scope {
		gort_defer(note, "1 ");
		gort_defer(note, "2 ");
		gort_defer(note, "3 ");
		note("body ");
	}
	show("end");

	int r = returns();
	char buf[64];
	snprintf(buf, sizeof buf, ", returned %d", r);
	size_t n = strlen(trace);
	trace[n - 1] = '\0';
	strcat(trace, buf);
	show("return");

	/* break leaves the scope's block (gort_scope is a one-pass loop). */
	gort_scope {
		gort_defer(note, "x ");
		note("body ");
		if (trace[0] != '\0')
			break;
		note("FAIL ");
	}
	note("after ");
	show("break");

	gort_scope {
		gort_defer(note, "o1 ");
		gort_defer(note, "o2 ");
		gort_scope {
			gort_defer(note, "i1 ");
			gort_defer(note, "i2 ");
			note("inner-body ");
		}
		note("outer-body ");
	}
	show("nested");

	gort_scope {
		for (long i = 0; i < 40; i++)
			gort_defer(record, (void *)i);
	}
	bool reversed = norder == 40;
	for (int i = 0; i < norder; i++)
		if (order[i] != 39 - i)
			reversed = false;
	printf("many: %d calls, %s\n", norder,
	       reversed ? "all in reverse order" : "FAIL: out of order");

	gort_scope {
		gort_defer(note, "c ");
		gort_defer(defers_more, NULL);
	}
	show("in a deferred call");

	gort_scope_t s;
	if (gort_scope_begin(&s) == 0) {
		gort_defer(note, "1 ");
		gort_defer(note, "2 ");
		note("body ");
	}
	gort_scope_end(&s);
	show("explicit");
	return 0;
}
