/*
 * path_clean.c - see path_clean.h. One pass over the segments, writing the
 * kept ones back over the path; a ".." removes the last kept segment
 * unless there is none (or it is itself "..").
 */
#include "tools/path_clean.h"

#include <stdbool.h>
#include <string.h>

char *path_clean(char *path)
{
	bool rooted = path[0] == '/';
	char *out = path + rooted; /* where the next kept segment goes */
	char *start = out;         /* the first kept segment */
	for (char *p = path + rooted; *p != '\0';) {
		char *end = strchr(p, '/');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		bool dotdot = n == 2 && p[0] == '.' && p[1] == '.';
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* empty or ".": dropped */
		} else if (dotdot && out > start &&
			   !(out - start >= 2 && out[-1] == '.' && out[-2] == '.' &&
			     (out - start == 2 || out[-3] == '/'))) {
			/* back up over the last kept segment */
			while (out > start && out[-1] != '/')
				out--;
			if (out > start)
				out--; /* its separator */
		} else if (dotdot && rooted && out == start) {
			/* "/.." is "/" */
		} else {
			if (out > start)
				*out++ = '/';
			memmove(out, p, n);
			out += n;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (out == path) /* nothing kept of a relative path */
		*out++ = '.';
	*out = '\0';
	return path;
}
