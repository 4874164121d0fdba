/*
 * run_addr2line.c - the addr2line co-process (see run_addr2line.h for the protocol).
 *
 * Replies are read with a deadline: the first lookup on a large image makes addr2line
 * load its DWARF, which takes a moment, but a stuck addr2line must not stall the console.
 * The file part of a reply may carry " (discriminator N)", which is dropped.
 *
 * A pc inside inlined code answers with one function/file pair per inlining level,
 * innermost first (-i), so a reply has no fixed length: each lookup is followed by the
 * address 0, and with -a every answer starts with its address, so the reply to a pc ends
 * where the line "0x0...0" of the sentinel's begins (a function name never starts "0x").
 */
#define _GNU_SOURCE
#include "tools/run_addr2line.h"

#include "tools/run_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { REPLY_TIMEOUT_MS = 10000 };

void addr2line_init(struct addr2line *a, const char *image)
{
	memset(a, 0, sizeof *a);
	a->image = image;
	a->to = a->from = -1;
}

static bool start(struct addr2line *a)
{
	int in[2], out[2];
	char *argv[] = {"addr2line", "-a", "-f", "-i", "-e", (char *)a->image, NULL};

	if (pipe2(in, O_CLOEXEC) != 0)
		return false;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return false;
	}
	a->pid = proc_spawn(argv, in[0], out[1], 2);
	close(in[0]);
	close(out[1]);
	if (a->pid < 0) {
		close(in[1]);
		close(out[0]);
		a->pid = 0;
		return false;
	}
	a->to = in[1];
	a->from = out[0];
	return true;
}

/* read_line takes the next reply line (without '\n') into out, waiting until deadline. */
static bool read_line(struct addr2line *a, char *out, size_t n, double deadline)
{
	for (;;) {
		char *nl = memchr(a->buf, '\n', a->len);
		if (nl != NULL) {
			size_t l = (size_t)(nl - a->buf);
			snprintf(out, n, "%.*s", (int)l, a->buf);
			a->len -= l + 1;
			memmove(a->buf, nl + 1, a->len);
			return true;
		}
		if (a->len == sizeof a->buf)
			return false; /* a line longer than any sane reply */
		int ms = (int)((deadline - proc_now()) * 1000);
		if (ms <= 0)
			return false;
		struct pollfd p = {a->from, POLLIN, 0};
		int r = poll(&p, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		ssize_t got = read(a->from, a->buf + a->len, sizeof a->buf - a->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		a->len += (size_t)got;
	}
}

/* Appends text to out (n bytes, *used taken), truncating at the end. */
static void append(char *out, size_t n, size_t *used, const char *text)
{
	int w = snprintf(out + *used, n - *used, "%s", text);
	if (w > 0)
		*used += (size_t)w < n - *used ? (size_t)w : n - *used - 1;
}

/* Appends one level of an answer: "func at file", or func when the file is unknown. */
static void append_frame(char *out, size_t n, size_t *used, const char *func, char *file)
{
	char *disc = strstr(file, " (discriminator ");
	if (disc != NULL)
		*disc = '\0';
	append(out, n, used, func);
	if (strncmp(file, "??:", 3) != 0) {
		append(out, n, used, " at ");
		append(out, n, used, file);
	}
}

bool addr2line_symbolize(void *ctx, uint64_t pc, char *out, size_t n)
{
	struct addr2line *a = ctx;
	char req[40], func[512], file[1024];
	double deadline = proc_now() + REPLY_TIMEOUT_MS / 1000.0;
	size_t used = 0;
	int len;

	if (n == 0 || a->dead || (a->pid == 0 && !start(a))) {
		a->dead = true;
		return false;
	}
	out[0] = '\0';
	len = snprintf(req, sizeof req, "0x%llx\n0\n", (unsigned long long)pc);
	if (write(a->to, req, (size_t)len) != len || !read_line(a, func, sizeof func, deadline))
		goto broken; /* that was the echo of pc */
	for (;;) {
		if (!read_line(a, func, sizeof func, deadline))
			goto broken;
		if (strncmp(func, "0x", 2) == 0)
			break; /* the sentinel's echo */
		if (!read_line(a, file, sizeof file, deadline))
			goto broken;
		if (strcmp(func, "??") == 0)
			continue;
		if (used > 0)
			append(out, n, &used, ", inlined in ");
		append_frame(out, n, &used, func, file);
	}
	/* The sentinel's own answer, "??" and "??:0". */
	if (!read_line(a, func, sizeof func, deadline) || !read_line(a, file, sizeof file, deadline))
		goto broken;
	return used > 0;
broken:
	a->dead = true;
	return false;
}

void addr2line_close(struct addr2line *a)
{
	if (a->pid <= 0)
		return;
	close(a->to);
	close(a->from);
	if (a->dead)
		kill(a->pid, SIGKILL); /* it may be stuck; it is ours and not yet reaped */
	while (waitpid(a->pid, NULL, 0) < 0 && errno == EINTR) {
	}
	a->pid = 0;
}
