/*
 * Package runtime, in C. The program: the application defines main (it
 * runs after the runtime is up, with argv from the words after "--" on the
 * boot command line); when main returns the machine exits with its return
 * value; gort_exit exits at once.
 */
#ifndef GORT_RUNTIME_H
#define GORT_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exits the machine with status code & 0xff, like os.Exit: deferred work
 * and atexit handlers do not run. */
_Noreturn void gort_exit(int code);

/* runtime.NumCPU: the number of CPUs running (all that the firmware
 * described and that came up at boot). */
int runtime_NumCPU(void);

/* The go statement: starts fn(arg) in a new goroutine, whose stack is a
 * reservation of debug_SetMaxStack's size (256 KiB by default). */
void gort_go(void (*fn)(void *arg), void *arg);
#define go(fn, arg) gort_go((fn), (arg))

/* runtime.GOMAXPROCS: sets how many CPUs run goroutines at once (at most
 * NumCPU) and returns the previous setting; n < 1 only reads it. */
int runtime_GOMAXPROCS(int n);

/* runtime.NumGoroutine: the number of goroutines that exist. */
int runtime_NumGoroutine(void);

/* runtime.Gosched: yields the CPU; the goroutine goes to the global run
 * queue and resumes later. */
void runtime_Gosched(void);

/* runtime.Goexit: runs the calling goroutine's deferred calls (every
 * open gort_scope's, innermost first) and ends it. Called from main, the
 * program goes on with the other goroutines, and crashes when none is
 * left, as in Go. */
_Noreturn void runtime_Goexit(void);

/* runtime.LockOSThread / UnlockOSThread: wires the calling goroutine to
 * the CPU it runs on (it runs nowhere else) until as many UnlockOSThread
 * calls as LockOSThread calls were made. */
void runtime_LockOSThread(void);
void runtime_UnlockOSThread(void);

/* ---- Callers, frames and functions ---------------------------------- *
 * Symbolized from the image's own symbol table (built from its DWARF at
 * link time); inlined calls count as frames of their own, as in Go. */

/* runtime.Caller: the return pc, file and line of the logical frame skip
 * levels up (0: the caller of runtime_Caller); false when there is none.
 * file and line may be NULL. */
bool runtime_Caller(int skip, uintptr_t *pc, const char **file, int *line);

/* runtime.Callers: stores up to n return pcs of the calling goroutine's
 * stack, skip logical frames skipped (0: runtime_Callers itself, 1: its
 * caller), and returns how many. A physical frame whose inlined calls are
 * skipped only in part is stored whole. */
int runtime_Callers(int skip, uintptr_t *pc, int n);

/* runtime.Func: a function of the image (opaque; FuncForPC's pointers
 * stay valid for ever). */
typedef struct runtime_Func runtime_Func;

/* runtime.Frame: one logical frame. Func is NULL for an inlined call;
 * Function is its name (as the symbol table has it); PC is the pc looked
 * up (a return address minus one); Entry is the entry of the function the
 * code belongs to (the outermost, for an inlined call). Strings live as
 * long as the image. */
typedef struct {
	uintptr_t PC;
	runtime_Func *Func;
	const char *Function;
	const char *File;
	int Line;
	uintptr_t Entry;
} runtime_Frame;

/* runtime.Frames: an iterator over the frames of Callers' pcs (it keeps a
 * pointer to pc, which must outlive it). */
typedef struct runtime_Frames runtime_Frames;
runtime_Frames *runtime_CallersFrames(const uintptr_t *pc, int n);

/* Frames.Next: the next frame in *out; returns whether another one
 * follows (Go's more). Returns false with an empty frame when done. */
bool runtime_Frames_Next(runtime_Frames *f, runtime_Frame *out);

/* runtime.FuncForPC: the function holding pc (a function pointer, or any
 * pc in it), or NULL. In inlined code it is the innermost function, with
 * the entry of the outermost one, as in Go. */
runtime_Func *runtime_FuncForPC(uintptr_t pc);
/* Func.Name, Func.FileLine (the file and line of pc), Func.Entry. */
const char *runtime_Func_Name(const runtime_Func *f);
const char *runtime_Func_FileLine(const runtime_Func *f, uintptr_t pc, int *line);
uintptr_t runtime_Func_Entry(const runtime_Func *f);

/* runtime.Stack: formats the calling goroutine's traceback (and, if all,
 * every other goroutine's after it) into buf in Go's format, as much as
 * fits in len bytes; returns the bytes written (no terminating NUL). */
int runtime_Stack(char *buf, int len, bool all);

/* runtime.GOOS: always "gort". */
extern const char runtime_GOOS[];
/* runtime.GOARCH: "amd64", "arm64" or "riscv64". */
extern const char runtime_GOARCH[];
/* runtime.Compiler: "gcc". */
extern const char runtime_Compiler[];
/* runtime.Version: the gort release this image was built from. */
const char *runtime_Version(void);

/* new(T) and make: size bytes, zeroed, garbage collected; gort_new
 * objects are scanned for pointers, gort_new_noscan objects are pointer-free
 * (never scanned). Size 0 returns one shared non-NULL address, as Go's
 * zerobase. Running out of memory is the fatal error
 * "runtime: out of memory". (Until the collector exists nothing is
 * collected: a program needs memory for all it allocates.) */
void *gort_new(size_t size);
void *gort_new_noscan(size_t size);

/* runtime.MemStats: every field of Go's, with Go's meaning. Sys is every
 * byte the runtime holds from the physical page allocator (heap pages, span
 * and GC metadata, mcaches, mcentrals, page tables, goroutine stacks) plus
 * HeapReleased, as in Go. malloc objects are heap objects. */
typedef struct {
	uint64_t Alloc;      /* bytes of allocated heap objects (= HeapAlloc) */
	uint64_t TotalAlloc; /* cumulative bytes allocated for heap objects */
	uint64_t Sys;        /* the sum of the ...Sys fields */
	uint64_t Lookups;    /* always 0, as in Go */
	uint64_t Mallocs;    /* cumulative heap objects allocated */
	uint64_t Frees;      /* cumulative heap objects freed */

	uint64_t HeapAlloc;    /* bytes of allocated heap objects */
	uint64_t HeapSys;      /* bytes of heap memory: HeapInuse + HeapIdle */
	uint64_t HeapIdle;     /* bytes in idle spans (HeapReleased included) */
	uint64_t HeapInuse;    /* bytes in in-use spans */
	uint64_t HeapReleased; /* bytes of idle spans returned to the page allocator */
	uint64_t HeapObjects;  /* allocated heap objects: Mallocs - Frees */

	uint64_t StackInuse;  /* bytes of goroutine stack pages mapped */
	uint64_t StackSys;    /* the same: stacks come straight from the page allocator */
	uint64_t MSpanInuse;  /* bytes of allocated mspan structures */
	uint64_t MSpanSys;    /* bytes held for mspan structures */
	uint64_t MCacheInuse; /* bytes of allocated mcache structures */
	uint64_t MCacheSys;   /* bytes held for mcache structures */
	uint64_t BuckHashSys; /* bytes of profiling bucket hash tables */
	uint64_t GCSys;       /* bytes of garbage collection metadata */
	uint64_t OtherSys;    /* bytes of other runtime memory (page tables among them) */

	uint64_t NextGC;        /* the heap size the next collection aims at */
	uint64_t LastGC;        /* end of the last collection, ns since 1970 (0: none) */
	uint64_t PauseTotalNs;  /* cumulative stop-the-world pause time */
	uint64_t PauseNs[256];  /* recent pauses, PauseNs[(NumGC+255)%256] the latest */
	uint64_t PauseEnd[256]; /* their end times */
	uint32_t NumGC;         /* completed collections */
	uint32_t NumForcedGC;   /* collections forced by runtime_GC */
	double GCCPUFraction;   /* share of CPU time used by the collector */
	bool EnableGC;          /* true, as in Go */
	bool DebugGC;           /* unused, as in Go */

	/* Per size class: BySize[i] counts objects of size
	 * BySize[i-1].Size < size <= BySize[i].Size (BySize[0] is empty),
	 * for the first 61 of Go's size classes, as Go's MemStats. Tiny
	 * objects count as their 16-byte blocks. */
	struct {
		uint32_t Size;
		uint64_t Mallocs;
		uint64_t Frees;
	} BySize[61];
} runtime_MemStats;

/* runtime.ReadMemStats: the allocator's statistics at one instant (every
 * other CPU is held still while they are read). Call it with interrupts
 * on, not from an interrupt handler. */
void runtime_ReadMemStats(runtime_MemStats *m);

#endif
