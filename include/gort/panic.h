/*
 * panic, recover and defer, in C, with Go's semantics (the Go
 * specification's "Handling panics" and "Defer statements", and
 * runtime.Goexit's documentation, are the contract).
 *
 * Panic values. Go panics with a value of any type; gort panics with a
 * pointer to a gort_panicval_t, which says how the value prints (msg) and
 * may carry the program's own data (value). gort_panic makes one from a
 * printf format, as Go's panic(fmt.Sprintf(...)). The runtime's own panics
 * ("send on closed channel", "sync: negative WaitGroup counter", ...) are
 * values of kind GORT_PANIC_RUNTIME_ERROR, recoverable like any other, as
 * in Go; fatal errors ("fatal error: ...") are not panics and are never
 * recovered. gort_recover returns the very pointer that was panicked with,
 * so a program can inspect it, compare it, or panic with it again.
 *
 * Scopes. Go runs a function's deferred calls when the function returns.
 * C has no such hook, so a deferred call belongs to a scope: a block opened
 * with gort_scope { ... }, usually a function's whole body. gort_defer adds
 * to the innermost open scope of the running goroutine; the scope's
 * deferred calls run in reverse order when control leaves the block (its
 * end, break, continue, return, or goto out of it: GCC's cleanup
 * attribute), when a panic passes through it, and when the goroutine calls
 * runtime_Goexit. A deferred call and the function gort_pcall calls run in
 * a scope of their own, as every Go function has its own deferred calls:
 * what they defer runs when they return. gort_defer outside every scope
 * panics.
 *
 * Panicking. gort_panic stops the calling code and runs the goroutine's
 * deferred calls, innermost scope first, each scope's in reverse order. If
 * one of them recovers, the panic stops there; if none does, the program
 * prints "panic: <msg>" (Go's chain of panics, " [recovered]" marks and
 * all), a blank line, "goroutine N [running]:" and the goroutine's frames,
 * and exits with status 2, whatever other goroutines are doing.
 *
 * Recovering. gort_recover, called directly by a deferred call that a
 * panic is running, stops that panic and returns its value. When that
 * deferred call returns, the scope it was deferred in ends as if control
 * had reached its end: its other deferred calls run, and execution goes on
 * after the block, as a Go function whose deferred call recovered returns
 * normally to its caller. The jump back to the scope is a longjmp to the
 * context gort_scope saved when it opened the block, so setjmp's rule
 * applies: a local variable of the function that holds the block, changed
 * inside the block and read after a recovery, must be volatile.
 *
 * What "directly" means in C. gort_recover checks the chain of frame
 * pointers: its caller's frame must be the one that the panic's current
 * deferred call runs in, so a deferred call that a scope ending normally
 * runs, or any function a deferred call calls, gets NULL. A call in tail
 * position (a function's last act, as in return gort_recover();) leaves
 * no frame of its own, so the chain cannot see it: a helper that ends by
 * calling gort_recover counts as its caller, and a function that a
 * deferred call ends by calling counts as the deferred call. gort_recover
 * also returns NULL, and stops nothing, when the goroutine is not
 * panicking, during runtime_Goexit, and when the panic was already
 * recovered. gort_pcall is the common case packaged: it calls fn(arg) and
 * returns what a deferred recover got.
 *
 * panic(nil). gort_panic_value(NULL) panics with a new value of kind
 * GORT_PANIC_NIL_ERROR (Go 1.21's *runtime.PanicNilError, printed "panic
 * called with nil argument"), so a recovered panic is never NULL. With
 * GODEBUG=panicnil=1 it panics with NULL instead, as Go did before 1.21:
 * gort_recover then returns NULL although it stopped the panic, and an
 * unrecovered one prints "panic: nil".
 *
 * Every function here is for goroutines (main included), with interrupts
 * on, which is how all program code runs.
 */
#ifndef GORT_PANIC_H
#define GORT_PANIC_H

#include <setjmp.h>

/* What kind of value a panic carries. */
enum gort_panic_kind {
	GORT_PANIC_VALUE,         /* made by the program (gort_panic_value) */
	GORT_PANIC_STRING,        /* gort_panic's formatted message: panic(string) */
	GORT_PANIC_RUNTIME_ERROR, /* the runtime's own panics: a runtime.Error */
	GORT_PANIC_NIL_ERROR,     /* panic(nil): *runtime.PanicNilError, also a runtime.Error */
};

/* A panic value. The runtime makes those of every kind but
 * GORT_PANIC_VALUE, on the garbage-collected heap; they live as long as
 * the program holds a pointer to them. */
typedef struct gort_panicval {
	enum gort_panic_kind kind;
	const char *msg; /* what "panic: " is followed by (Go's Error() or the string) */
	void *value;     /* the program's own data (GORT_PANIC_VALUE); NULL otherwise */
} gort_panicval_t;

/* panic(fmt.Sprintf(format, ...)): panics with a new GORT_PANIC_STRING
 * value whose msg is the formatted text. Never returns. */
_Noreturn void gort_panic(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* panic(v): panics with v itself, which must stay valid until the panic is
 * over (a static object or a heap one: not a local of a function the panic
 * unwinds). A value the program made has kind GORT_PANIC_VALUE and prints
 * as its msg or, when msg is NULL, as "(void *) 0x<value>". Passing a
 * value gort_recover returned panics with it again (Go's panic(r)).
 * v == NULL is panic(nil): see above. Never returns. */
_Noreturn void gort_panic_value(const gort_panicval_t *v);

/* recover(): see "Recovering" above. */
const gort_panicval_t *gort_recover(void);

/* Calls fn(arg) in a scope of its own that recovers any panic fn lets out:
 * returns NULL when fn returned, else the recovered panic's value (NULL
 * too for panic(nil) under GODEBUG=panicnil=1). If fn calls
 * runtime_Goexit, the goroutine exits: gort_pcall does not return. Go's
 * func() (r any) { defer func() { r = recover() }(); fn(arg); return }. */
const gort_panicval_t *gort_pcall(void (*fn)(void *arg), void *arg);

/* defer fn(arg): adds fn(arg) to the innermost open scope of the running
 * goroutine; arg is taken now. Panics outside every scope. */
void gort_defer(void (*fn)(void *arg), void *arg);

/* How many deferred calls a scope holds in itself; more go to the heap. */
#define GORT_SCOPE_DEFERS 4

/* A scope: the C stand-in for a Go function's deferred calls. It lives on
 * the goroutine's stack, in the function that opens it; its fields are the
 * runtime's. */
typedef struct gort_scope_frame {
	jmp_buf resume;                /* gort_scope_begin's context: a recovery resumes there */
	struct gort_scope_frame *link; /* the enclosing open scope of the same goroutine */
	struct gort_defer_block *more; /* deferred calls past the first GORT_SCOPE_DEFERS */
	int ndefer;                    /* how many of d are in use */
	struct {
		void (*fn)(void *arg);
		void *arg;
	} d[GORT_SCOPE_DEFERS];
} gort_scope_t;

/*
 * The block form, for a function body or any block:
 *
 *	gort_scope {
 *		sync_Mutex_Lock(&mu);
 *		gort_defer(unlock, &mu);
 *		...
 *	}
 *
 * It is a one-pass loop, so break and continue inside the block leave
 * the block (they do not reach an enclosing loop), and its scope variable
 * ends the scope (gort_scope_end) when control leaves the loop by any
 * path. After a recovery, control comes back to its gort_scope_begin,
 * which skips the body, and leaves the same way. (The pass counter is
 * volatile because it lives across that setjmp.)
 */
#define gort_scope                                                                                 \
	GORT_SCOPE_NAMED_(GORT_SCOPE_CAT_(gort_scope_, __COUNTER__),                               \
			  GORT_SCOPE_CAT_(gort_scope_once_, __COUNTER__))
#define GORT_SCOPE_CAT_(a, b)  GORT_SCOPE_CAT2_(a, b)
#define GORT_SCOPE_CAT2_(a, b) a##b
#define GORT_SCOPE_NAMED_(s, once)                                                                 \
	for (volatile int once = 1; once; once = 0)                                                \
		for (gort_scope_t s __attribute__((cleanup(gort_scope_end))); once; once = 0)      \
			if (gort_scope_begin(&s) != 0) {                                           \
			} else

/*
 * The explicit form, for code that cannot be one block:
 *
 *	gort_scope_t s;
 *	if (gort_scope_begin(&s) == 0) {
 *		... the scope's code ...
 *	}
 *	gort_scope_end(&s);
 *
 * gort_scope_begin opens s as the goroutine's innermost scope and returns
 * 0; after a recovery in s it returns again, nonzero. It is setjmp, and
 * may appear only where setjmp may (the whole condition of an if, switch
 * or loop, alone or compared with a constant). gort_scope_end runs s's
 * remaining deferred calls in reverse order and closes it; every path out
 * of the function must pass through it, and scopes end innermost first (a
 * fatal error otherwise).
 */
#define gort_scope_begin(s) setjmp(gort_scope_enter_(s)->resume)
void gort_scope_end(gort_scope_t *s);

/* gort_scope_begin's first half: opens s and returns it, for the setjmp
 * that saves where a recovery resumes. Not for direct use. */
gort_scope_t *gort_scope_enter_(gort_scope_t *s);

#endif
