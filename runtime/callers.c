/*
 * runtime.Caller, Callers, CallersFrames, FuncForPC and the Func methods,
 * symbolized from the image's own table (runtime/symbols.h).
 *
 * Callers walks the calling goroutine's stack by frame pointers (crossing
 * interrupt frames) and stores return addresses (an exact pc as pc + 1, as
 * Go does); skip counts logical frames, inlined calls included, with 0 for
 * Callers itself. A physical frame whose inlined calls are skipped only in
 * part is stored whole: a pc cannot stand for part of its inlining chain,
 * so CallersFrames then also shows the inner calls that were skipped.
 * Caller has no such limit: it reports the exact logical frame.
 *
 * A *Func is stable: for a physical function it points at the function's
 * record in the table (the same pointer for every pc in it); an inlined
 * function's (FuncForPC at a pc inside inlined code names the innermost
 * function, with the outermost one's entry, as Go) is made on the heap
 * when asked for.
 */
#include <gort/runtime.h>

#include "kernel/arch.h"
#include "runtime/symbols.h"
#include "runtime/symtab_format.h"

/* The most physical frames Callers and Caller look at. */
#define CALLERS_MAX_FRAMES 256

/* A function inlined somewhere: name, and the entry of the function it was
 * inlined into. */
struct inlined_func {
	const char *name;
	uintptr_t entry;
};

/* The number of logical frames at return pc (1 when it is unknown). */
static int logical_count(uintptr_t pc)
{
	struct symtab_frame lf[SYMBOLS_MAX_INLINE];
	int k = symbols_frames(pc, lf, SYMBOLS_MAX_INLINE);
	return k > 0 ? k : 1;
}

__attribute__((noinline)) int runtime_Callers(int skip, uintptr_t *pc, int n)
{
	struct backtrace_frame frames[CALLERS_MAX_FRAMES];
	if (skip < 0 || n <= 0)
		return 0;
	int nframes = backtrace_walk_here((uintptr_t)runtime_Callers, arch_current_fp(), frames,
					  CALLERS_MAX_FRAMES);
	int out = 0;
	for (int i = 0; i < nframes && out < n; i++) {
		uintptr_t ret = symbols_return_pc(frames[i]);
		int k = logical_count(ret);
		if (skip >= k) {
			skip -= k;
			continue;
		}
		skip = 0;
		pc[out++] = ret;
	}
	return out;
}

__attribute__((noinline)) bool runtime_Caller(int skip, uintptr_t *pc, const char **file,
					      int *line)
{
	struct backtrace_frame frames[CALLERS_MAX_FRAMES];
	if (skip < 0)
		return false;
	skip++; /* runtime_Caller's own frame */
	int nframes = backtrace_walk_here((uintptr_t)runtime_Caller, arch_current_fp(), frames,
					  CALLERS_MAX_FRAMES);
	for (int i = 0; i < nframes; i++) {
		uintptr_t ret = symbols_return_pc(frames[i]);
		struct symtab_frame lf[SYMBOLS_MAX_INLINE];
		int k = symbols_frames(ret, lf, SYMBOLS_MAX_INLINE);
		if (skip >= (k > 0 ? k : 1)) {
			skip -= k > 0 ? k : 1;
			continue;
		}
		if (pc != NULL)
			*pc = ret;
		if (file != NULL)
			*file = k > 0 ? lf[skip].file : "";
		if (line != NULL)
			*line = k > 0 ? (int)lf[skip].line : 0;
		return k > 0;
	}
	return false;
}

/* ---- CallersFrames --------------------------------------------------- */

struct runtime_Frames {
	const uintptr_t *pcs;
	int n, next;                                 /* pcs[next] is expanded next */
	struct symtab_frame pending[SYMBOLS_MAX_INLINE]; /* the current pc's frames left */
	int npending, taken;
	uintptr_t pending_pc; /* the pc they came from, minus one */
};

runtime_Frames *runtime_CallersFrames(const uintptr_t *pc, int n)
{
	runtime_Frames *f = gort_new(sizeof *f);
	f->pcs = pc;
	f->n = n < 0 ? 0 : n;
	return f;
}

/* The table record of physical function index as a *Func. */
static runtime_Func *func_of_index(const struct symtab *t, uint32_t index)
{
	return (runtime_Func *)(t->funcs + (size_t)index * sizeof(struct symtab_func_rec));
}

bool runtime_Frames_Next(runtime_Frames *f, runtime_Frame *out)
{
	*out = (runtime_Frame){.Function = "", .File = ""};
	if (f->taken == f->npending) {
		if (f->next >= f->n)
			return false;
		uintptr_t pc = f->pcs[f->next++];
		f->pending_pc = pc - 1;
		f->npending = symbols_frames(pc, f->pending, SYMBOLS_MAX_INLINE);
		f->taken = 0;
		if (f->npending == 0) { /* not in the table: the pc alone */
			out->PC = pc - 1;
			return f->next < f->n;
		}
	}
	const struct symtab_frame *lf = &f->pending[f->taken++];
	out->PC = f->pending_pc;
	out->Function = lf->name;
	out->File = lf->file;
	out->Line = (int)lf->line;
	out->Entry = lf->entry;
	out->Func = lf->inlined ? NULL : func_of_index(symbols_table(), lf->func);
	return f->taken < f->npending || f->next < f->n;
}

/* ---- FuncForPC ------------------------------------------------------- */

/* The physical function a *Func stands for, if it is one. */
static bool physical_func(const runtime_Func *fn, struct symtab_func *out)
{
	const struct symtab *t = symbols_table();
	if (t == NULL || fn == NULL)
		return false;
	uintptr_t p = (uintptr_t)fn, base = (uintptr_t)t->funcs;
	size_t rec = sizeof(struct symtab_func_rec);
	if (p < base || p >= base + (size_t)t->nfuncs * rec || (p - base) % rec != 0)
		return false;
	return symtab_func_at(t, (uint32_t)((p - base) / rec), out);
}

runtime_Func *runtime_FuncForPC(uintptr_t pc)
{
	const struct symtab *t = symbols_table();
	struct symtab_frame lf[SYMBOLS_MAX_INLINE];
	/* FuncForPC takes the pc itself: a function's entry, or any pc in it. */
	int k = t != NULL ? symtab_frames(t, pc, lf, SYMBOLS_MAX_INLINE) : 0;
	if (k == 0)
		return NULL;
	if (!lf[0].inlined)
		return func_of_index(t, lf[0].func);
	struct inlined_func *in = gort_new(sizeof *in);
	in->name = lf[0].name;
	in->entry = lf[0].entry;
	return (runtime_Func *)in;
}

const char *runtime_Func_Name(const runtime_Func *fn)
{
	struct symtab_func sf;
	if (fn == NULL)
		return "";
	if (physical_func(fn, &sf))
		return sf.name;
	return ((const struct inlined_func *)fn)->name;
}

uintptr_t runtime_Func_Entry(const runtime_Func *fn)
{
	struct symtab_func sf;
	if (fn == NULL)
		return 0;
	if (physical_func(fn, &sf))
		return sf.entry;
	return ((const struct inlined_func *)fn)->entry;
}

const char *runtime_Func_FileLine(const runtime_Func *fn, uintptr_t pc, int *line)
{
	const struct symtab *t = symbols_table();
	const char *file = "?";
	uint32_t l = 0;
	if (fn == NULL || t == NULL || !symtab_fileline(t, pc, &file, &l)) {
		file = "?";
		l = 0;
	}
	if (line != NULL)
		*line = (int)l;
	return file;
}
