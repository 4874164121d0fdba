/*
 * A message with newlines prints as Go prints one: every line after the
 * first starts with a tab.
 *
 * expect-exit: 2
 * expect-line: panic: line one
 * expect-line: "	line two"
 * expect-line: "	line three"
 * expect-contains: goroutine 1 [running]:
 */
#include <gort.h>

int main(void)
{
	gort_panic("line one\nline two\nline three");
}
