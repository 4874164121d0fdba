/*
 * Callers, CallersFrames, Caller, FuncForPC and Stack symbolize a known
 * call chain from the image's own symbol table, inlined calls included:
 * main -> top -> mid -> (inl, inlined into mid) -> leaf. Each check prints
 * FAIL with what it saw when it does not hold.
 *
 * variant: smp2 --smp 2
 * expect-line: callers: leaf inl mid top main
 * expect-line: frames ok
 * expect-line: caller ok
 * expect-line: funcforpc ok
 * expect-line: stack ok
 * expect-line: stack all ok
 * expect-line: debug stack ok
 * expect-order: print stack: | goroutine 1 [running]: | check_debug_stack(...) | main(...)
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>
#include <string.h>

#define NOINLINE __attribute__((noinline))

static int leaf_line, inl_line, mid_line, top_line, main_line, caller_line;
static uintptr_t pcs[64];
static int npcs;
static char stack_buf[8192];
static int stack_len;

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static NOINLINE void leaf(void)
{
	const char *file = NULL;
	int line = 0;
	npcs = runtime_Callers(1, pcs, 64); leaf_line = __LINE__;
	bool ok = runtime_Caller(0, NULL, &file, &line); caller_line = __LINE__;
	if (!ok || file == NULL || !ends_with(file, "tests/qemu/callers_frames.c") ||
	    line != caller_line)
		printf("FAIL: Caller(0) gave %d %s:%d, want line %d\n", ok, file ? file : "(null)",
		       line, caller_line);
	else
		printf("caller ok\n");
	stack_len = runtime_Stack(stack_buf, sizeof stack_buf - 1, false);
}

static inline __attribute__((always_inline)) void inl(void)
{
	leaf(); inl_line = __LINE__;
	__asm__ volatile("" ::: "memory"); /* keeps the call from being a tail call */
}

static NOINLINE void mid(void)
{
	inl(); mid_line = __LINE__;
	__asm__ volatile("" ::: "memory");
}

static NOINLINE void top(void)
{
	mid(); top_line = __LINE__;
	__asm__ volatile("" ::: "memory");
}

static void check_frames(void)
{
	static const char *const want[] = {"leaf", "inl", "mid", "top", "main"};
	const int *lines[] = {&leaf_line, &inl_line, &mid_line, &top_line, &main_line};
	runtime_Frames *frames = runtime_CallersFrames(pcs, npcs);
	runtime_Frame f;
	char names[128] = "";
	bool ok = true;
	for (int i = 0; i < 5; i++) {
		bool more = runtime_Frames_Next(frames, &f);
		strcat(names, " ");
		strcat(names, f.Function);
		if (strcmp(f.Function, want[i]) != 0 || f.Line != *lines[i] ||
		    !ends_with(f.File, "tests/qemu/callers_frames.c") || !more) {
			printf("FAIL: frame %d is %s at %s:%d (more %d), want %s at line %d\n", i,
			       f.Function, f.File, f.Line, more, want[i], *lines[i]);
			ok = false;
		}
		/* inl is inlined: no Func of its own, and mid's entry. */
		bool inlined = i == 1;
		if ((f.Func == NULL) != inlined ||
		    (!inlined && runtime_Func_Entry(f.Func) != f.Entry) ||
		    f.Entry != (i == 1 || i == 2 ? (uintptr_t)mid : f.Entry)) {
			printf("FAIL: frame %d (%s): Func %p, Entry %#lx\n", i, f.Function,
			       (void *)f.Func, (unsigned long)f.Entry);
			ok = false;
		}
	}
	printf("callers:%s\n", names);
	if (ok)
		printf("frames ok\n");
}

static void check_funcforpc(void)
{
	runtime_Func *f = runtime_FuncForPC((uintptr_t)mid);
	int line = 0;
	const char *file = f != NULL ? runtime_Func_FileLine(f, (uintptr_t)mid, &line) : "";
	bool ok = f != NULL && strcmp(runtime_Func_Name(f), "mid") == 0 &&
		  runtime_Func_Entry(f) == (uintptr_t)mid &&
		  ends_with(file, "tests/qemu/callers_frames.c") && line > 0 &&
		  runtime_FuncForPC((uintptr_t)mid + 1) == f;
	/* In inlined code: the innermost function, with the outer entry. */
	runtime_Func *in = runtime_FuncForPC(pcs[1] - 1);
	ok = ok && in != NULL && strcmp(runtime_Func_Name(in), "inl") == 0 &&
	     runtime_Func_Entry(in) == (uintptr_t)mid;
	ok = ok && runtime_FuncForPC(0) == NULL;
	printf(ok ? "funcforpc ok\n" : "FAIL: FuncForPC\n");
}

/* A line "\t<path>/tests/qemu/callers_frames.c:<line>" starting a "+0x". */
static bool has_file_line(const char *text, int line)
{
	char want[64];
	snprintf(want, sizeof want, "tests/qemu/callers_frames.c:%d +0x", line);
	return strstr(text, want) != NULL;
}

static void check_stack(void)
{
	stack_buf[stack_len] = '\0';
	bool ok = strncmp(stack_buf, "goroutine 1 [running]:\n", 23) == 0 &&
		  strstr(stack_buf, "\nleaf(...)\n\t") != NULL && has_file_line(stack_buf, top_line) &&
		  strstr(stack_buf, "\ninl(...)\n\t") != NULL && strstr(stack_buf, "\nmain(...)\n\t");
	if (!ok)
		printf("FAIL: Stack gave:\n%s\n", stack_buf);
	else
		printf("stack ok\n");
}

static chan_t *never;

static NOINLINE void blocked(void *arg)
{
	(void)arg;
	chan_recv(never, NULL);
	__asm__ volatile("" ::: "memory"); /* not a tail call: blocked keeps its frame */
}

static NOINLINE void sleeper(void *arg)
{
	(void)arg;
	time_Sleep(time_Hour);
	__asm__ volatile("" ::: "memory");
}

static void check_stack_all(void)
{
	never = chan_make(0, 0);
	go(blocked, NULL); int go_line = __LINE__;
	go(sleeper, NULL);
	bool ok = false;
	char created[96];
	snprintf(created, sizeof created, "created by check_stack_all in goroutine 1\n");
	for (int tries = 0; tries < 1000 && !ok; tries++) {
		runtime_Gosched(); /* until both block (they may run on another CPU) */
		int n = runtime_Stack(stack_buf, sizeof stack_buf - 1, true);
		stack_buf[n] = '\0';
		ok = strncmp(stack_buf, "goroutine 1 [running]:\n", 23) == 0 &&
		     strstr(stack_buf, "[chan receive]:\nblocked(...)\n\t") != NULL &&
		     strstr(stack_buf, "[sleep]:\nsleeper(...)\n\t") != NULL &&
		     strstr(stack_buf, created) != NULL && has_file_line(stack_buf, go_line);
	}
	if (!ok)
		printf("FAIL: Stack(all) gave:\n%s\n", stack_buf);
	else
		printf("stack all ok\n");
}

static NOINLINE void check_debug_stack(void)
{
	char *s = debug_Stack();
	bool ok = s != NULL && strncmp(s, "goroutine 1 [running]:\n", 23) == 0 &&
		  strstr(s, "\ncheck_debug_stack(...)\n\t") != NULL &&
		  strstr(s, "\nmain(...)\n\t") != NULL && s[strlen(s) - 1] == '\n';
	printf(ok ? "debug stack ok\n" : "FAIL: debug_Stack gave:\n%s\n", s);
	printf("print stack:\n");
	debug_PrintStack();
	__asm__ volatile("" ::: "memory");
}

int main(void)
{
	top(); main_line = __LINE__;
	check_frames();
	check_funcforpc();
	check_stack();
	check_stack_all();
	check_debug_stack();
	return 0;
}
