/*
 * Package runtime, in C. The program: the application defines main (it
 * runs after the runtime is up, with argv from the words after "--" on the
 * boot command line); when main returns the machine exits with its return
 * value; gort_exit exits at once.
 */
#ifndef GORT_RUNTIME_H
#define GORT_RUNTIME_H

/* Exits the machine with status code & 0xff, like os.Exit: deferred work
 * and atexit handlers do not run. */
_Noreturn void gort_exit(int code);

/* runtime.NumCPU: the number of CPUs running (all that the firmware
 * described and that came up at boot). */
int runtime_NumCPU(void);

/* runtime.GOOS: always "gort". */
extern const char runtime_GOOS[];
/* runtime.GOARCH: "amd64", "arm64" or "riscv64". */
extern const char runtime_GOARCH[];
/* runtime.Compiler: "gcc". */
extern const char runtime_Compiler[];
/* runtime.Version: the gort release this image was built from. */
const char *runtime_Version(void);

#endif
