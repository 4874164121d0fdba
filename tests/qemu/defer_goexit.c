/*
 * runtime_Goexit runs the goroutine's deferred calls, innermost scope
 * first and each scope's newest first, before the goroutine ends, and
 * gort_recover returns NULL in them. From inside gort_pcall the goroutine
 * still ends (gort_pcall does not return). A deferred call run by Goexit
 * that panics, recovered further out, does not cancel the Goexit: it goes
 * on with the remaining deferred calls and the goroutine still ends. A
 * deferred call that calls Goexit while a panic runs it ends the goroutine
 * without a word, and the panic is never reported.
 *
 * variant: smp2 --smp 2
 * expect-order: goexit 3 | goexit 2 | recover during Goexit: nil | goexit 1
 * expect-order: goexit 1 | pcall: deferred call ran | recovered hello during Goexit
 * expect-order: recovered hello during Goexit | goexit resumed | main goes on
 * expect-not-contains: FAIL
 * expect-not-contains: panic:
 */
#include <gort.h>
#include <stdio.h>

static chan_t *done;

static void say(void *s)
{
	printf("%s\n", (const char *)s);
}

static void signal_done(void *arg)
{
	(void)arg;
	chan_send(done, NULL);
}

static void check_recover(void *arg)
{
	(void)arg;
	printf("recover during Goexit: %s\n", gort_recover() == NULL ? "nil" : "FAIL: not nil");
}

static void plain(void *arg)
{
	(void)arg;
	gort_scope {
		gort_defer(signal_done, NULL);
		gort_defer(say, "goexit 1");
		gort_defer(check_recover, NULL);
		gort_scope {
			gort_defer(say, "goexit 2");
			gort_defer(say, "goexit 3");
			runtime_Goexit();
			printf("FAIL: Goexit returned\n");
		}
		printf("FAIL: after the inner scope\n");
	}
	printf("FAIL: after the outer scope\n");
}

static void exits(void *arg)
{
	(void)arg;
	runtime_Goexit();
}

static void in_pcall(void *arg)
{
	(void)arg;
	gort_scope {
		gort_defer(signal_done, NULL);
		gort_defer(say, "pcall: deferred call ran");
		gort_pcall(exits, NULL);
		printf("FAIL: gort_pcall returned after Goexit\n");
	}
}

static void recover_it(void *arg)
{
	(void)arg;
	const gort_panicval_t *r = gort_recover();
	printf("recovered %s during Goexit\n", r != NULL ? r->msg : "FAIL: nothing");
}

static void panics(void *arg)
{
	(void)arg;
	gort_panic("hello");
}

static void recovered_panic(void *arg)
{
	(void)arg;
	gort_scope {
		gort_defer(signal_done, NULL);
		gort_defer(say, "goexit resumed");
		gort_defer(recover_it, NULL);
		gort_defer(panics, NULL);
		runtime_Goexit();
	}
	printf("FAIL: the recovery cancelled the Goexit\n");
}

static void goexit_in_panic(void *arg)
{
	(void)arg;
	gort_scope {
		gort_defer(signal_done, NULL);
		gort_defer(exits, NULL);
		gort_panic("never reported");
	}
}

int main(void)
{
	done = chan_make(0, 0);
	go(plain, NULL);
	chan_recv(done, NULL);
	go(in_pcall, NULL);
	chan_recv(done, NULL);
	go(recovered_panic, NULL);
	chan_recv(done, NULL);
	go(goexit_in_panic, NULL);
	chan_recv(done, NULL);
	time_Sleep(10 * time_Millisecond);
	printf("main goes on\n");
	return 0;
}
