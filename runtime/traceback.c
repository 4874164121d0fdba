/*
 * Tracebacks in Go's format (traceback.h). A frame belongs to the runtime
 * when its source lies under the runtime's tree (GORT_SRCDIR, given when
 * the runtime is compiled) in runtime/, kernel/, arch/, boot/, drivers/,
 * include/ or build/ (the C library): the program's own sources, wherever
 * they are, never do.
 */
#include "runtime/traceback.h"

#include <stdio.h>
#include <string.h>

#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/freeze.h"
#include "runtime/ancestors.h"
#include "runtime/sched.h"
#include "runtime/settings.h"
#include "runtime/symbols.h"

#ifndef GORT_SRCDIR
#define GORT_SRCDIR ""
#endif

#define NS_PER_MINUTE (60LL * 1000 * 1000 * 1000)

void tb_printf(struct tb_writer *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (w == NULL || w->buf == NULL) {
		console_vprintf(fmt, ap);
	} else if (w->len < w->cap) {
		size_t room = w->cap - w->len;
		int n = vsnprintf(w->buf + w->len, room, fmt, ap);
		if (n > 0)
			w->len += (size_t)n < room ? (size_t)n : room - 1;
	}
	va_end(ap);
}

/* Whether source file belongs to the runtime rather than the program. */
static bool runtime_file(const char *file)
{
	static const char *const dirs[] = {"runtime/", "kernel/", "arch/",   "boot/",
					   "drivers/", "include/", "build/"};
	size_t root = strlen(GORT_SRCDIR);
	if (root == 0 || strncmp(file, GORT_SRCDIR, root) != 0 || file[root] != '/')
		return false;
	file += root + 1;
	while (strncmp(file, "./", 2) == 0)
		file += 2;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (strncmp(file, dirs[i], strlen(dirs[i])) == 0)
			return true;
	return false;
}

/* Prints one physical frame's logical frames; returns how many it printed. */
static int print_frame(struct tb_writer *w, struct backtrace_frame f, bool system)
{
	struct symtab_frame lf[SYMBOLS_MAX_INLINE];
	int k = symbols_frames(symbols_return_pc(f), lf, SYMBOLS_MAX_INLINE);
	int printed = 0;
	for (int i = 0; i < k; i++) {
		if (!system && runtime_file(lf[i].file))
			continue;
		tb_printf(w, "%s(...)\n\t%s:%u", lf[i].name, lf[i].file, (unsigned)lf[i].line);
		if (!lf[i].inlined)
			tb_printf(w, " +0x%lx", (unsigned long)(f.pc - lf[i].entry));
		tb_printf(w, "\n");
		printed++;
	}
	if (k == 0 && system) {
		tb_printf(w, "?(...)\n\t?:0 pc=0x%lx\n", (unsigned long)f.pc);
		printed++;
	}
	return printed;
}

void traceback_walk(struct tb_writer *w, uintptr_t pc, uintptr_t fp, struct stack_bounds stack,
		    bool system)
{
	struct backtrace_frame frames[BACKTRACE_MAX_FRAMES];
	if (symbols_table() == NULL) {
		/* No table: raw pcs, for the host runner to name. */
		uintptr_t pcs[BACKTRACE_MAX_FRAMES];
		int n = backtrace_collect(pc, fp, stack, pcs, BACKTRACE_MAX_FRAMES);
		for (int i = 0; i < n; i++)
			tb_printf(w, "  #%d pc=0x%016lx\n", i, (unsigned long)pcs[i]);
		return;
	}
	int n = backtrace_walk(pc, fp, stack, frames, BACKTRACE_MAX_FRAMES);
	traceback_frames(w, frames, n, system);
	if (n == BACKTRACE_MAX_FRAMES)
		tb_printf(w, "...additional frames elided...\n");
}

void traceback_frames(struct tb_writer *w, const struct backtrace_frame *frames, int n,
		      bool system)
{
	system = system || settings.traceback.level >= 2;
	int printed = 0;
	for (int i = 0; i < n; i++)
		printed += print_frame(w, frames[i], system);
	if (printed == 0) /* only runtime frames: show them rather than nothing */
		for (int i = 0; i < n; i++)
			print_frame(w, frames[i], true);
}

static const char *status_name(uint32_t status)
{
	switch (status) {
	case G_IDLE:
		return "idle";
	case G_RUNNABLE:
		return "runnable";
	case G_RUNNING:
		return "running";
	case G_WAITING:
		return "waiting";
	default:
		return "dead";
	}
}

void traceback_header(struct tb_writer *w, struct g *gp)
{
	uint32_t status = __atomic_load_n(&gp->status, __ATOMIC_ACQUIRE);
	const char *what =
	    status == G_WAITING && gp->waitreason != NULL ? gp->waitreason : status_name(status);
	tb_printf(w, "goroutine %lld [%s", (long long)gp->goid, what);
	if (status == G_WAITING) {
		int64_t minutes = ((int64_t)nanotime() - gp->waitsince) / NS_PER_MINUTE;
		if (minutes >= 1)
			tb_printf(w, ", %lld minutes", (long long)minutes);
	}
	if (gp->lockedcpu != 0)
		tb_printf(w, ", locked to thread");
	tb_printf(w, "]:\n");
}

void traceback_created_by(struct tb_writer *w, uintptr_t gopc, int64_t goid, int64_t parentgoid)
{
	struct symtab_frame lf[SYMBOLS_MAX_INLINE];
	if (gopc == 0 || goid == 1)
		return;
	int k = symbols_frames(gopc, lf, SYMBOLS_MAX_INLINE);
	if (k == 0)
		return;
	/* The function that ran the go statement: the innermost frame. */
	tb_printf(w, "created by %s in goroutine %lld\n\t%s:%u +0x%lx\n", lf[0].name,
		  (long long)parentgoid, lf[0].file, (unsigned)lf[0].line,
		  (unsigned long)(gopc - lf[k - 1].entry));
}

static void print_created_by(struct tb_writer *w, struct g *gp)
{
	traceback_created_by(w, gp->gopc, gp->goid, gp->parentgoid);
	ancestors_print(w, gp, gp->system);
}

void traceback_goroutine(struct tb_writer *w, struct g *gp, uintptr_t pc, uintptr_t fp)
{
	traceback_header(w, gp);
	traceback_walk(w, pc, fp, (struct stack_bounds){gp->stack_mapped_lo, gp->stack_hi},
		       gp->system);
	print_created_by(w, gp);
}

/* Where to walk gp from if it runs on a CPU that a fatal report froze
 * (kernel/freeze.h): that CPU's stop, inside the interrupt that froze it. */
static bool running_frozen(struct g *gp, uintptr_t *pc, uintptr_t *fp)
{
	for (int i = 0; i < ncpu; i++)
		if (__atomic_load_n(&allm[i].curg, __ATOMIC_ACQUIRE) == gp &&
		    cpu_frozen(allm[i].cpu, pc, fp))
			return true;
	return false;
}

void traceback_others(struct tb_writer *w, struct g *skip)
{
	/* allgs has the newest first: print in creation order, as Go. */
	struct g *oldest = allgs;
	while (oldest != NULL && oldest->allnext != NULL)
		oldest = oldest->allnext;
	for (struct g *gp = oldest; gp != NULL; gp = gp->allprev) {
		uint32_t status = __atomic_load_n(&gp->status, __ATOMIC_ACQUIRE);
		if (gp == skip || status == G_DEAD || (gp->system && settings.traceback.level < 2))
			continue;
		uintptr_t pc, fp;
		if (status == G_RUNNING && running_frozen(gp, &pc, &fp)) {
			traceback_goroutine(w, gp, pc, fp);
		} else if (status == G_RUNNING) {
			traceback_header(w, gp);
			tb_printf(w, "\tgoroutine running on other thread; stack unavailable\n");
			print_created_by(w, gp);
		} else {
			traceback_goroutine(w, gp, arch_context_pc(gp->sched_sp),
					    arch_context_fp(gp->sched_sp));
		}
		tb_printf(w, "\n");
	}
}
