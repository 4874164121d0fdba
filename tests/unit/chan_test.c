/*
 * Host test of channels, select, the semaphore table and package sync
 * (runtime/chan.c, select.c, sema.c, sync_*.c), with goroutines as
 * coroutines on one host thread (tests/unit/host/sched_host.c), scheduled
 * first-in first-out or at random from a seeded generator:
 * unbuffered ping-pong and buffered FIFO order; close semantics (drain,
 * ok = false with the zero value, len and cap, trysend/tryrecv, waking
 * blocked receivers and senders) and Go's panic messages; the nil channel
 * and the empty select block forever with Go's wait reasons; select picks
 * uniformly among ready cases, takes its default, sends, receives, skips
 * nil cases, wakes on any of its channels and leaves no sudog behind;
 * many producers and consumers mixing plain operations and selects lose
 * and duplicate nothing; Mutex (exclusion under contention, starvation
 * mode, TryLock, unlock of an unlocked mutex), RWMutex, WaitGroup, Once
 * and Cond keep Go's contracts and misuse messages; semaphores wake FIFO,
 * LIFO on request, and hand off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gort/chan.h>
#include <gort/runtime.h>
#include <gort/sync.h>

#include "runtime/chan.h"
#include "runtime/sema.h"
#include "tests/unit/check.h"
#include "tests/unit/host/sched_host.h"

#define ROUNDS 1000

/* Runs the goroutines started so far and checks they all finished. */
static void run_all(void)
{
	CHECK(host_run() == 0);
}

/* Runs them, expecting one panic or fatal error with kind and msg. */
static void run_expect(const char *kind, const char *msg)
{
	host_run();
	CHECK(host_panics == 1);
	CHECK(host_panic_kind != NULL && strcmp(host_panic_kind, kind) == 0);
	CHECK(strcmp(host_panic_msg, msg) == 0);
	if (host_panics != 1 || strcmp(host_panic_msg, msg) != 0)
		fprintf(stderr, "  expected %s: %s, got %d: %s\n", kind, msg, host_panics,
			host_panic_msg);
	host_reset();
}

/* --- ping-pong and FIFO ------------------------------------------------ */

struct pingpong {
	chan_t *ping, *pong;
	int errors;
};

static void ponger(void *arg)
{
	struct pingpong *pp = arg;
	for (int i = 0; i < ROUNDS; i++) {
		int v;
		if (!chan_recv(pp->ping, &v) || v != i)
			pp->errors++;
		v = -i;
		chan_send(pp->pong, &v);
	}
}

static void pinger(void *arg)
{
	struct pingpong *pp = arg;
	for (int i = 0; i < ROUNDS; i++) {
		int v = i;
		chan_send(pp->ping, &v);
		if (!chan_recv(pp->pong, &v) || v != -i)
			pp->errors++;
	}
}

static void test_pingpong(void)
{
	struct pingpong pp = {chan_make(sizeof(int), 0), chan_make(sizeof(int), 0), 0};
	host_go(ponger, &pp);
	host_go(pinger, &pp);
	run_all();
	CHECK(pp.errors == 0);
	CHECK(chan_len(pp.ping) == 0 && chan_cap(pp.ping) == 0);
	host_reset();
}

struct fifo {
	chan_t *c;
	int next;
	int errors;
};

static void fifo_producer(void *arg)
{
	struct fifo *f = arg;
	for (int i = 0; i < ROUNDS; i++)
		chan_send(f->c, &i);
	chan_close(f->c);
}

static void fifo_consumer(void *arg)
{
	struct fifo *f = arg;
	int v;
	while (chan_recv(f->c, &v))
		if (v != f->next++)
			f->errors++;
	if (v != 0)
		f->errors++;
}

static void test_fifo(size_t cap)
{
	struct fifo f = {chan_make(sizeof(int), cap), 0, 0};
	host_go(fifo_consumer, &f);
	host_go(fifo_producer, &f);
	run_all();
	CHECK(f.errors == 0);
	CHECK(f.next == ROUNDS);
	host_reset();
}

/* --- close -------------------------------------------------------------- */

static void close_semantics(void *arg)
{
	(void)arg;
	chan_t *c = chan_make(sizeof(long), 3);
	long v = 7;
	bool ok = true;
	CHECK(chan_cap(c) == 3 && chan_len(c) == 0);
	CHECK(!chan_tryrecv(c, &v, &ok));
	CHECK(chan_trysend(c, &v));
	v = 8;
	chan_send(c, &v);
	v = 9;
	CHECK(chan_trysend(c, &v));
	CHECK(!chan_trysend(c, &v));
	CHECK(chan_len(c) == 3);
	CHECK(chan_tryrecv(c, &v, &ok) && ok && v == 7);
	chan_close(c);
	CHECK(chan_len(c) == 2);
	CHECK(chan_recv(c, &v) && v == 8);
	CHECK(chan_tryrecv(c, &v, &ok) && ok && v == 9);
	v = 42;
	CHECK(!chan_recv(c, &v) && v == 0);
	v = 42;
	CHECK(chan_tryrecv(c, &v, &ok) && !ok && v == 0);
	CHECK(!chan_recv(c, NULL));
	CHECK(chan_len(c) == 0 && chan_cap(c) == 3);
	CHECK(chan_len(NULL) == 0 && chan_cap(NULL) == 0);
	CHECK(!chan_trysend(NULL, &v));
	CHECK(!chan_tryrecv(NULL, &v, &ok));

	chan_t *empty = chan_make(0, 2); /* chan struct{} */
	CHECK(chan_trysend(empty, NULL) && chan_trysend(empty, NULL) && !chan_trysend(empty, NULL));
	CHECK(chan_len(empty) == 2);
	CHECK(chan_recv(empty, NULL) && chan_tryrecv(empty, NULL, NULL) && chan_len(empty) == 0);
}

struct waiters {
	chan_t *c;
	int woken_closed;
};

static void recv_until_closed(void *arg)
{
	struct waiters *w = arg;
	int v = 5;
	if (!chan_recv(w->c, &v) && v == 0)
		w->woken_closed++;
}

static void closer(void *arg)
{
	chan_close(((struct waiters *)arg)->c);
}

static void send_one(void *arg)
{
	int v = 1;
	chan_send(arg, &v);
}

static void send_closed(void *arg)
{
	chan_t *c = chan_make(sizeof(int), 1);
	(void)arg;
	chan_close(c);
	int v = 1;
	chan_send(c, &v);
}

static void close_closed(void *arg)
{
	chan_t *c = chan_make(sizeof(int), 0);
	(void)arg;
	chan_close(c);
	chan_close(c);
}

static void close_nil(void *arg)
{
	(void)arg;
	chan_close(NULL);
}

static void test_close(void)
{
	host_go(close_semantics, NULL);
	run_all();
	host_reset();

	/* close wakes every blocked receiver with the zero value. */
	struct waiters w = {chan_make(sizeof(int), 0), 0};
	for (int i = 0; i < 5; i++)
		host_go(recv_until_closed, &w);
	host_go(closer, &w);
	run_all();
	CHECK(w.woken_closed == 5);
	host_reset();

	/* A sender blocked when the channel closes panics. */
	chan_t *c = chan_make(sizeof(int), 0);
	host_go(send_one, c);
	host_go(closer, &(struct waiters){c, 0});
	run_expect("panic", "send on closed channel");

	host_go(send_closed, NULL);
	run_expect("panic", "send on closed channel");
	host_go(close_closed, NULL);
	run_expect("panic", "close of closed channel");
	host_go(close_nil, NULL);
	run_expect("panic", "close of nil channel");
}

/* --- blocking forever -------------------------------------------------- */

static void nil_send(void *arg)
{
	int v = 0;
	(void)arg;
	chan_send(NULL, &v);
}

static void nil_recv(void *arg)
{
	(void)arg;
	chan_recv(NULL, NULL);
}

static void empty_select(void *arg)
{
	(void)arg;
	chan_select(NULL, 0, true);
}

static void recv_forever(void *arg)
{
	chan_recv(arg, NULL);
}

static void test_block_forever(void)
{
	struct g *s = host_go(nil_send, NULL);
	struct g *r = host_go(nil_recv, NULL);
	struct g *e = host_go(empty_select, NULL);
	struct g *c = host_go(recv_forever, chan_make(1, 0));
	CHECK(host_run() == 4);
	CHECK(host_waitreason(s) != NULL &&
	      strcmp(host_waitreason(s), "chan send (nil chan)") == 0);
	CHECK(host_waitreason(r) != NULL &&
	      strcmp(host_waitreason(r), "chan receive (nil chan)") == 0);
	CHECK(host_waitreason(e) != NULL && strcmp(host_waitreason(e), "select (no cases)") == 0);
	CHECK(host_waitreason(c) != NULL && strcmp(host_waitreason(c), "chan receive") == 0);
	host_reset();
}

/* --- select ------------------------------------------------------------- */

static void select_ready(void *arg)
{
	(void)arg;
	chan_t *a = chan_make(sizeof(int), 1), *b = chan_make(sizeof(int), 1);
	int x = 1, y = 2, got[2] = {0, 0};
	for (int i = 0; i < 10000; i++) {
		/* Both always ready: each chosen about half of the time. */
		chan_trysend(a, &x);
		chan_trysend(b, &y);
		int va = 0, vb = 0;
		chan_case_t cases[] = {
		    {.c = a, .dir = CHAN_RECV, .elem = &va},
		    {.c = NULL, .dir = CHAN_RECV, .elem = &va},
		    {.c = b, .dir = CHAN_RECV, .elem = &vb},
		};
		int k = chan_select(cases, 3, true);
		CHECK(k == 0 || k == 2);
		if (k == 0)
			CHECK(va == 1 && vb == 0 && cases[0].ok);
		if (k == 2)
			CHECK(vb == 2 && va == 0 && cases[2].ok);
		got[k / 2]++;
	}
	CHECK(got[0] > 4000 && got[1] > 4000);

	/* Nothing ready: default. Nil cases never become ready. */
	chan_tryrecv(a, NULL, NULL);
	chan_tryrecv(b, NULL, NULL);
	chan_case_t none[] = {
	    {.c = a, .dir = CHAN_RECV},
	    {.c = NULL, .dir = CHAN_SEND, .elem = &x},
	};
	CHECK(chan_select(none, 2, false) == -1);
	CHECK(chan_select(NULL, 0, false) == -1);

	/* A send case with room. */
	chan_case_t send[] = {
	    {.c = a, .dir = CHAN_SEND, .elem = &y},
	    {.c = b, .dir = CHAN_RECV},
	};
	CHECK(chan_select(send, 2, false) == 0);
	int v = 0;
	CHECK(chan_recv(a, &v) && v == 2);

	/* A closed channel is ready for receiving: ok = false. */
	chan_close(b);
	v = 9;
	chan_case_t closed[] = {{.c = b, .dir = CHAN_RECV, .elem = &v, .ok = true}};
	CHECK(chan_select(closed, 1, true) == 0 && !closed[0].ok && v == 0);
}

struct selwait {
	chan_t *c[3];
	int which;  /* the channel the waker uses */
	int chosen; /* what the select returned */
	int value;
	bool ok;
};

static void select_waiter(void *arg)
{
	struct selwait *s = arg;
	int v = 0, out = 77;
	chan_case_t cases[] = {
	    {.c = s->c[0], .dir = CHAN_RECV, .elem = &v},
	    {.c = s->c[1], .dir = CHAN_RECV, .elem = &v},
	    {.c = s->c[2], .dir = CHAN_SEND, .elem = &out},
	    {.c = NULL, .dir = CHAN_RECV, .elem = &v},
	};
	s->chosen = chan_select(cases, 4, true);
	s->value = v;
	s->ok = s->chosen >= 0 && cases[s->chosen].ok;
}

static void select_waker(void *arg)
{
	struct selwait *s = arg;
	int v = 5;
	if (s->which == 2)
		CHECK(chan_recv(s->c[2], &v) && v == 77);
	else if (s->which == 3)
		chan_close(s->c[1]);
	else
		chan_send(s->c[s->which], &v);
}

static bool queues_empty(chan_t *c)
{
	return c->recvq.first == NULL && c->recvq.last == NULL && c->sendq.first == NULL &&
	       c->sendq.last == NULL;
}

static void test_select_wakeup(void)
{
	for (int which = 0; which < 4; which++) {
		struct selwait s = {.which = which, .chosen = -2};
		for (int i = 0; i < 3; i++)
			s.c[i] = chan_make(sizeof(int), 0);
		host_go(select_waiter, &s);
		host_go(select_waker, &s);
		run_all();
		int want = which == 3 ? 1 : which;
		CHECK(s.chosen == want);
		if (which < 2)
			CHECK(s.value == 5 && s.ok);
		if (which == 3)
			CHECK(s.value == 0 && !s.ok);
		for (int i = 0; i < 3; i++)
			CHECK(queues_empty(s.c[i]));
		host_reset();
	}
}

/* A select blocked on a send case panics when that channel closes. */
static void select_send_waiter(void *arg)
{
	int v = 1;
	chan_case_t cases[] = {{.c = arg, .dir = CHAN_SEND, .elem = &v}};
	chan_select(cases, 1, true);
}

static void select_send_closed(void *arg)
{
	chan_t *c = chan_make(sizeof(int), 0);
	int v = 1;
	(void)arg;
	chan_close(c);
	chan_case_t cases[] = {{.c = c, .dir = CHAN_SEND, .elem = &v}};
	chan_select(cases, 1, false);
}

#define BIG_SELECT 40

struct bigselect {
	chan_t *c[BIG_SELECT];
	int chosen;
};

static void big_select_waiter(void *arg)
{
	struct bigselect *b = arg;
	chan_case_t cases[BIG_SELECT];
	for (int i = 0; i < BIG_SELECT; i++)
		cases[i] = (chan_case_t){.c = b->c[i], .dir = CHAN_RECV};
	b->chosen = chan_select(cases, BIG_SELECT, true);
}

static void big_select_waker(void *arg)
{
	struct bigselect *b = arg;
	chan_send(b->c[BIG_SELECT - 3], NULL);
}

static void test_select_more(void)
{
	host_go(select_ready, NULL);
	run_all();
	host_reset();

	chan_t *c = chan_make(sizeof(int), 0);
	host_go(select_send_waiter, c);
	host_go(closer, &(struct waiters){c, 0});
	run_expect("panic", "send on closed channel");
	host_go(select_send_closed, NULL);
	run_expect("panic", "send on closed channel");

	/* More cases than fit on the stack; a channel appears twice. */
	struct bigselect b = {.chosen = -2};
	for (int i = 0; i < BIG_SELECT; i++)
		b.c[i] = i % 2 ? b.c[i - 1] : chan_make(0, 0);
	host_go(big_select_waiter, &b);
	host_go(big_select_waker, &b);
	run_all();
	CHECK(b.chosen == BIG_SELECT - 3 || b.chosen == BIG_SELECT - 4);
	for (int i = 0; i < BIG_SELECT; i++)
		CHECK(queues_empty(b.c[i]));
	host_reset();
}

/* --- many producers and consumers -------------------------------------- */

#define PRODUCERS    6
#define CONSUMERS    5
#define PER_PRODUCER 400

struct traffic {
	chan_t *data[2]; /* one unbuffered, one buffered */
	chan_t *done;
	sync_WaitGroup producers;
	long sum_sent, sum_received;
	int received;
};

static void producer(void *arg)
{
	struct traffic *t = arg;
	for (int i = 1; i <= PER_PRODUCER; i++) {
		long v = (long)i * 1000 + (cheaprand() % 1000);
		if (i % 3 == 0) {
			chan_case_t cases[] = {
			    {.c = t->data[0], .dir = CHAN_SEND, .elem = &v},
			    {.c = t->data[1], .dir = CHAN_SEND, .elem = &v},
			};
			chan_select(cases, 2, true);
		} else {
			chan_send(t->data[i % 2], &v);
		}
		t->sum_sent += v;
		if (i % 7 == 0)
			runtime_Gosched();
	}
	sync_WaitGroup_Done(&t->producers);
}

static void consumer(void *arg)
{
	struct traffic *t = arg;
	for (;;) {
		long v;
		chan_case_t cases[] = {
		    {.c = t->data[0], .dir = CHAN_RECV, .elem = &v},
		    {.c = t->data[1], .dir = CHAN_RECV, .elem = &v},
		    {.c = t->done, .dir = CHAN_RECV},
		};
		int k = chan_select(cases, 3, true);
		if (k == 2) {
			/* Drain what is left of the buffered channel. */
			while (chan_tryrecv(t->data[1], &v, NULL)) {
				t->sum_received += v;
				t->received++;
			}
			return;
		}
		t->sum_received += v;
		t->received++;
	}
}

static void traffic_closer(void *arg)
{
	struct traffic *t = arg;
	sync_WaitGroup_Wait(&t->producers);
	chan_close(t->done);
}

static void test_traffic(void)
{
	struct traffic t = {
	    .data = {chan_make(sizeof(long), 0), chan_make(sizeof(long), 4)},
	    .done = chan_make(0, 0),
	};
	sync_WaitGroup_Add(&t.producers, PRODUCERS);
	for (int i = 0; i < CONSUMERS; i++)
		host_go(consumer, &t);
	for (int i = 0; i < PRODUCERS; i++)
		host_go(producer, &t);
	host_go(traffic_closer, &t);
	run_all();
	CHECK(t.received == PRODUCERS * PER_PRODUCER);
	CHECK(t.sum_received == t.sum_sent);
	host_reset();
}

/* --- sync ---------------------------------------------------------------- */

#define WORKERS 20

struct counter {
	sync_Mutex mu;
	long n;
	int inside;
	int errors;
	int iters;
	int starving; /* critical sections entered in starvation mode */
};

static void mutex_worker(void *arg)
{
	struct counter *c = arg;
	for (int i = 0; i < c->iters; i++) {
		sync_Mutex_Lock(&c->mu);
		if (c->inside++ != 0)
			c->errors++;
		if (__atomic_load_n(&c->mu.state, __ATOMIC_RELAXED) & 4) /* mutexStarving */
			c->starving++;
		long n = c->n;
		if (i % 3 == 0)
			runtime_Gosched(); /* others queue up on the mutex */
		c->n = n + 1;
		c->inside--;
		sync_Mutex_Unlock(&c->mu);
	}
}

static void trylock(void *arg)
{
	sync_Mutex *m = arg;
	CHECK(sync_Mutex_TryLock(m));
	CHECK(!sync_Mutex_TryLock(m));
	sync_Mutex_Unlock(m);
	CHECK(sync_Mutex_TryLock(m));
	sync_Mutex_Unlock(m);
	sync_Mutex_Unlock(m);
}

static void test_mutex(void)
{
	for (int procs = 1; procs <= 2; procs++) {
		host_gomaxprocs = procs;
		/* Many switches while waiting: the fake clock passes 1 ms and
		 * the mutex enters starvation mode. */
		struct counter c = {.iters = 200};
		for (int i = 0; i < WORKERS; i++)
			host_go(mutex_worker, &c);
		run_all();
		CHECK(c.n == WORKERS * 200 && c.errors == 0 && c.mu.state == 0);
		CHECK(c.starving > 0);
		host_reset();
	}
	host_gomaxprocs = 1;
	sync_Mutex m = {0};
	host_go(trylock, &m);
	run_expect("fatal error", "sync: unlock of unlocked mutex");
}

struct rw {
	sync_RWMutex mu;
	int readers, writers, max_readers;
	int errors;
	long value;
};

static void rw_reader(void *arg)
{
	struct rw *r = arg;
	for (int i = 0; i < 100; i++) {
		sync_RWMutex_RLock(&r->mu);
		if (r->writers != 0)
			r->errors++;
		if (++r->readers > r->max_readers)
			r->max_readers = r->readers;
		runtime_Gosched();
		r->readers--;
		sync_RWMutex_RUnlock(&r->mu);
	}
}

static void rw_writer(void *arg)
{
	struct rw *r = arg;
	for (int i = 0; i < 50; i++) {
		sync_RWMutex_Lock(&r->mu);
		if (r->readers != 0 || r->writers++ != 0)
			r->errors++;
		runtime_Gosched();
		r->value++;
		r->writers--;
		sync_RWMutex_Unlock(&r->mu);
	}
}

static void rw_try(void *arg)
{
	sync_RWMutex *mu = arg;
	CHECK(sync_RWMutex_TryRLock(mu) && sync_RWMutex_TryRLock(mu));
	CHECK(!sync_RWMutex_TryLock(mu));
	sync_RWMutex_RUnlock(mu);
	sync_RWMutex_RUnlock(mu);
	CHECK(sync_RWMutex_TryLock(mu));
	CHECK(!sync_RWMutex_TryRLock(mu) && !sync_RWMutex_TryLock(mu));
	sync_RWMutex_Unlock(mu);
}

static void rw_unlock_unlocked(void *arg)
{
	sync_RWMutex_Unlock(arg);
}

static void rw_runlock_unlocked(void *arg)
{
	sync_RWMutex_RUnlock(arg);
}

static void test_rwmutex(void)
{
	struct rw r = {0};
	for (int i = 0; i < 8; i++)
		host_go(rw_reader, &r);
	for (int i = 0; i < 3; i++)
		host_go(rw_writer, &r);
	run_all();
	CHECK(r.errors == 0 && r.value == 150 && r.max_readers > 1);
	CHECK(r.mu.readerCount == 0 && r.mu.w.state == 0);
	host_reset();

	sync_RWMutex mu = {0};
	host_go(rw_try, &mu);
	run_all();
	host_reset();
	host_go(rw_unlock_unlocked, &(sync_RWMutex){0});
	run_expect("fatal error", "sync: Unlock of unlocked RWMutex");
	host_go(rw_runlock_unlocked, &(sync_RWMutex){0});
	run_expect("fatal error", "sync: RUnlock of unlocked RWMutex");
}

struct wg {
	sync_WaitGroup wg;
	int done, seen_by_waiters;
};

static void wg_worker(void *arg)
{
	struct wg *w = arg;
	runtime_Gosched();
	w->done++;
	sync_WaitGroup_Done(&w->wg);
}

static void wg_waiter(void *arg)
{
	struct wg *w = arg;
	sync_WaitGroup_Wait(&w->wg);
	if (w->done == WORKERS)
		w->seen_by_waiters++;
}

static void wg_negative(void *arg)
{
	sync_WaitGroup_Add(arg, 1);
	sync_WaitGroup_Done(arg);
	sync_WaitGroup_Done(arg);
}

static void test_waitgroup(void)
{
	struct wg w = {0};
	sync_WaitGroup_Add(&w.wg, WORKERS);
	for (int i = 0; i < 3; i++)
		host_go(wg_waiter, &w);
	for (int i = 0; i < WORKERS; i++)
		host_go(wg_worker, &w);
	run_all();
	CHECK(w.seen_by_waiters == 3 && w.wg.state == 0);
	host_go(wg_waiter, &w); /* counter 0: returns at once */
	run_all();
	CHECK(w.seen_by_waiters == 4);
	host_reset();

	host_go(wg_negative, &(sync_WaitGroup){0});
	run_expect("panic", "sync: negative WaitGroup counter");
}

struct once {
	sync_Once once;
	int calls, after;
};

static void once_fn(void *arg)
{
	struct once *o = arg;
	runtime_Gosched(); /* the others must wait for this call */
	o->calls++;
}

static void once_worker(void *arg)
{
	struct once *o = arg;
	sync_Once_Do(&o->once, once_fn, o);
	if (o->calls == 1)
		o->after++;
}

static void test_once(void)
{
	struct once o = {0};
	for (int i = 0; i < WORKERS; i++)
		host_go(once_worker, &o);
	run_all();
	CHECK(o.calls == 1 && o.after == WORKERS);
	host_reset();
}

struct cond {
	sync_Mutex mu;
	sync_Cond *cv;
	int generation, woken;
};

static void cond_waiter(void *arg)
{
	struct cond *c = arg;
	sync_Mutex_Lock(&c->mu);
	int gen = c->generation;
	while (c->generation == gen)
		sync_Cond_Wait(c->cv);
	c->woken++;
	sync_Mutex_Unlock(&c->mu);
}

static void cond_copied(void *arg)
{
	sync_Cond *c = arg;
	sync_Cond copy = *c;
	sync_Cond_Signal(&copy);
}

static void test_cond(void)
{
	struct cond c = {0};
	c.cv = sync_NewCond(&c.mu);
	CHECK(c.cv->L == &c.mu);
	for (int i = 0; i < 5; i++)
		host_go(cond_waiter, &c);
	CHECK(host_run() == 5);

	/* Signal wakes exactly one. */
	sync_Mutex_Lock(&c.mu); /* (no goroutine runs meanwhile) */
	c.generation++;
	sync_Mutex_Unlock(&c.mu);
	sync_Cond_Signal(c.cv);
	CHECK(host_run() == 4);
	CHECK(c.woken == 1);
	/* Broadcast wakes the other four. */
	sync_Cond_Broadcast(c.cv);
	run_all();
	CHECK(c.woken == 5);
	host_reset();

	host_go(cond_copied, c.cv);
	run_expect("panic", "sync.Cond is copied");
}

/* --- semaphores --------------------------------------------------------- */

struct sem {
	uint32_t sema;
	int order[8];
	int n;
};

struct sem_waiter {
	struct sem *s;
	int id;
	bool lifo;
};

static void sem_acquirer(void *arg)
{
	struct sem_waiter *w = arg;
	semacquire(&w->s->sema, w->lifo, "semacquire");
	w->s->order[w->s->n++] = w->id;
}

static void test_sema(void)
{
	bool random = host_sched_random;
	host_sched_random = false; /* run the woken in the order they were woken */
	struct sem s = {0};
	struct sem_waiter w[4] = {{&s, 0, false}, {&s, 1, false}, {&s, 2, true}, {&s, 3, false}};
	for (int i = 0; i < 4; i++)
		host_go(sem_acquirer, &w[i]);
	CHECK(host_run() == 4);
	/* Waiters 0, 1, 3 in FIFO order, 2 jumped to the head. */
	for (int i = 0; i < 4; i++)
		semrelease(&s.sema, false);
	run_all();
	CHECK(s.n == 4 && s.order[0] == 2 && s.order[1] == 0 && s.order[2] == 1 && s.order[3] == 3);
	CHECK(s.sema == 0);
	host_reset();
	host_sched_random = random;
}

int main(void)
{
	for (int random = 0; random <= 1; random++) {
		host_sched_random = random;
		test_pingpong();
		test_fifo(0);
		test_fifo(1);
		test_fifo(7);
		test_close();
		test_block_forever();
		test_select_wakeup();
		test_select_more();
		test_traffic();
		test_mutex();
		test_rwmutex();
		test_waitgroup();
		test_once();
		test_cond();
		test_sema();
	}
	return check_status("chan_test");
}
