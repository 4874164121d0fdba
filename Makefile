# gort: the one entry point. `make` builds APP for ARCH, `make run` boots
# it under QEMU, `make test` builds and boots every test on every arch,
# `make bench` compares against Go in a Linux guest. See README.md.
#
# Anything missing (Debian packages, picolibc, libfdt) is installed by
# tools/setup.sh, which the first make of a fresh clone runs by itself.

ARCH ?= x86_64
APP ?= examples/hello.c
CMDLINE ?=
SMP ?= 1
MEM ?= 512M
ACCEL ?= auto
MACHINE ?=
TIMEOUT ?= 0
export CMDLINE

ARCHES := x86_64 aarch64 riscv64
MAKEFLAGS += --no-builtin-rules --no-builtin-variables
.SUFFIXES:
# Keep every intermediate file (objects, generated name files).
.SECONDARY:
# B: the build folder (a second one lets two builds of one tree run side by
# side); the dependencies setup.sh builds always live in build/deps.
B ?= build
BA := $(B)/$(ARCH)
OUT ?= $(BA)/out

# --- setup -----------------------------------------------------------------
# The top-level make checks once; sub-makes inherit GORT_SETUP_CHECKED.
ifndef GORT_SETUP_CHECKED
GORT_SETUP_NEEDED := $(shell sh tools/setup.sh --check >/dev/null 2>&1 || echo yes)
export GORT_SETUP_CHECKED := 1
endif
SETUP := $(if $(GORT_SETUP_NEEDED),setup)

.PHONY: all run test bench setup clean images tools unit-tests
all: app

setup:
	sh tools/setup.sh

# --- guest toolchain -------------------------------------------------------
# Goroutine stacks have a one-page guard (runtime/stack.c): stack-clash
# protection makes every frame bigger than a page touch each page it
# allocates, so an overflow faults in the guard page instead of jumping over
# it. GCC 12 has no stack-clash protection for riscv64.
ifeq ($(ARCH),x86_64)
CROSS :=
ARCH_CFLAGS := -m64 -mno-red-zone -fno-pic -fno-pie -mno-omit-leaf-frame-pointer \
	-fstack-clash-protection
ARCH_LDFLAGS := -no-pie -Wl,--no-warn-rwx-segments
else ifeq ($(ARCH),aarch64)
CROSS := aarch64-linux-gnu-
ARCH_CFLAGS := -mcpu=cortex-a72 -fno-pic -fno-pie -mno-omit-leaf-frame-pointer \
	-fstack-clash-protection --param stack-clash-protection-guard-size=12
ARCH_LDFLAGS := -Wl,--no-warn-rwx-segments
else ifeq ($(ARCH),riscv64)
CROSS := riscv64-unknown-elf-
ARCH_CFLAGS := -march=rv64gc -mabi=lp64d -mcmodel=medany
ARCH_LDFLAGS := -Wl,--no-warn-rwx-segments
else
$(error ARCH must be one of: $(ARCHES))
endif

CC := $(CROSS)gcc
LDSCRIPTS := linker/$(ARCH).ld linker/init_fini.ld
OBJCOPY := $(CROSS)objcopy
DEPS := build/deps/$(ARCH)
# Evaluated once, on first use (after setup has installed the compiler).
GCC_INCLUDE = $(eval GCC_INCLUDE := $$(shell $(CC) -print-file-name=include))$(GCC_INCLUDE)
GCC_INCLUDE_FIXED = $(eval GCC_INCLUDE_FIXED := \
	$$(shell $(CC) -print-file-name=include-fixed))$(GCC_INCLUDE_FIXED)
LIBGCC = $(eval LIBGCC := $$(shell $(CC) $(ARCH_CFLAGS) -print-libgcc-file-name))$(LIBGCC)

GUEST_CFLAGS = -std=gnu11 -O2 -g -Wall -Wextra -ffreestanding -fno-stack-protector \
	-fno-omit-frame-pointer -ffunction-sections -fdata-sections -fno-common \
	$(ARCH_CFLAGS) -nostdinc -isystem $(DEPS)/picolibc/include -isystem $(GCC_INCLUDE) \
	$(addprefix -isystem ,$(filter /%,$(GCC_INCLUDE_FIXED))) \
	-I$(DEPS)/libfdt/include -Iinclude -I. -Iarch/$(ARCH) -MMD -MP -MF $@.d
GUEST_LIBS = $(DEPS)/libfdt/lib/libfdt.a $(DEPS)/picolibc/lib/libc.a $(LIBGCC)

# The runtime: every machine-independent file plus this arch's.
KSRCS := $(wildcard kernel/*.c runtime/*.c drivers/*.c) \
	$(wildcard arch/$(ARCH)/*.c arch/$(ARCH)/*.S boot/$(ARCH)/*.c boot/$(ARCH)/*.S)
KOBJS := $(patsubst %,$(BA)/obj/%.o,$(KSRCS))

# The runtime is compiled for link-time optimization and linked into one
# relocatable object, optimized as a whole: the scheduler's hot paths
# cross files (chan.c -> proc.c -> runq.c, timer.c, clock.c), and under
# emulation every call and return costs a block lookup. Applications and
# tests link against that object like any other.
RUNTIME_OBJ := $(BA)/runtime.o
# GORT_SRCDIR: where the runtime's sources are, so tracebacks can tell
# its frames from the program's.
$(KOBJS): RUNTIME_CFLAGS := -flto -DGORT_SRCDIR='"$(CURDIR)"'

$(RUNTIME_OBJ): $(KOBJS)
	$(CC) $(GUEST_CFLAGS) -flto=auto -nostdlib -r -flinker-output=nolto-rel -o $@ $(KOBJS)

# Objects depend on this file too: a change of flags rebuilds them.
$(BA)/obj/%.c.o: %.c Makefile | $(SETUP)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) $(RUNTIME_CFLAGS) -c $< -o $@

$(BA)/obj/%.S.o: %.S Makefile | $(SETUP)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

# argv[0] of an image: its application's name.
$(BA)/names/%.c:
	@mkdir -p $(@D)
	printf 'const char gort_app_name[] = "%s";\n' '$*' > $@

$(BA)/names/%.o: $(BA)/names/%.c | $(SETUP)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

# link(image, objects): the image from the runtime, the app's objects and
# the libraries, linked twice: the symbol table built from the first link's
# DWARF (tools/gort-symtab) goes into the second link's .gort_symtab
# section, which follows the code, and gort-symtab check verifies that no
# function moved. Then the Image form (Linux boot header, for U-Boot
# booti) on aarch64 and riscv64.
LINK_IMAGE = $(CC) $(ARCH_CFLAGS) $(ARCH_LDFLAGS) -nostdlib -static -Wl,--gc-sections \
	-Wl,--build-id=none -Wl,-L,linker -Wl,-T,linker/$(ARCH).ld
define link
	@mkdir -p $(dir $(1))
	$(LINK_IMAGE) -o $(1).pass1 $(RUNTIME_OBJ) $(2) -Wl,--start-group $(GUEST_LIBS) -Wl,--end-group
	$(B)/tools/gort-symtab build $(1).pass1 $(1).symtab
	printf '\t.section .gort_symtab, "a"\n\t.incbin "%s"\n\t.section .note.GNU-stack, "", %%progbits\n' \
		'$(1).symtab' > $(1).symtab.S
	$(CC) $(ARCH_CFLAGS) -c $(1).symtab.S -o $(1).symtab.o
	$(LINK_IMAGE) -o $(1) $(RUNTIME_OBJ) $(2) $(1).symtab.o \
		-Wl,--start-group $(GUEST_LIBS) -Wl,--end-group
	rm -f $(1).pass1 $(1).symtab $(1).symtab.S $(1).symtab.o
	$(B)/tools/gort-symtab check $(1) || { rm -f $(1); exit 1; }
	$(if $(filter x86_64,$(ARCH)),,$(OBJCOPY) -O binary $(1) $(basename $(1)).Image)
endef

# --- the application -------------------------------------------------------
APP_PATH := $(abspath $(patsubst ~/%,$(HOME)/%,$(patsubst %/,%,$(APP))))
APP_NAME := $(basename $(notdir $(APP_PATH)))
APP_SRCS := $(if $(filter %.c,$(APP_PATH)),$(APP_PATH),$(wildcard $(APP_PATH)/*.c))
APP_OBJS := $(foreach s,$(APP_SRCS),$(BA)/app/$(APP_NAME)/$(basename $(notdir $(s))).o)
APP_ELF := $(BA)/$(APP_NAME).elf

$(foreach s,$(APP_SRCS),$(eval \
$(BA)/app/$(APP_NAME)/$(basename $(notdir $(s))).o: $(s) | $(SETUP) ; \
	@mkdir -p $$(@D) && $$(CC) $$(GUEST_CFLAGS) -c $$< -o $$@))

.PHONY: app
app: $(APP_ELF)
$(APP_ELF): $(RUNTIME_OBJ) $(APP_OBJS) $(BA)/names/$(APP_NAME).o $(LDSCRIPTS) \
		$(B)/tools/gort-symtab
	$(if $(APP_SRCS),,$(error APP=$(APP): no .c files there))
	$(call link,$@,$(APP_OBJS) $(BA)/names/$(APP_NAME).o)

# --- tests, benchmarks and the calibration guest: one .c file each --------
TESTS := $(wildcard tests/qemu/*.c)
TEST_ELFS := $(patsubst tests/qemu/%.c,$(BA)/tests/%.elf,$(TESTS))
$(BA)/tests/%.elf: $(BA)/obj/tests/qemu/%.c.o $(BA)/names/%.o $(RUNTIME_OBJ) $(LDSCRIPTS) \
		$(B)/tools/gort-symtab
	$(call link,$@,$< $(BA)/names/$*.o)

$(BA)/bench/%.elf: $(BA)/obj/bench/%.c.o $(BA)/names/%.o $(RUNTIME_OBJ) $(LDSCRIPTS) \
		$(B)/tools/gort-symtab
	$(call link,$@,$< $(BA)/names/$*.o)

$(BA)/guest/%.elf: $(BA)/obj/tools/guest/%.c.o $(BA)/names/%.o $(RUNTIME_OBJ) $(LDSCRIPTS) \
		$(B)/tools/gort-symtab
	$(call link,$@,$< $(BA)/names/$*.o)

CALIBRATION := $(B)/x86_64/guest/calibrate.elf

images: $(TEST_ELFS) $(if $(filter x86_64,$(ARCH)),$(CALIBRATION))

# --- host tools and unit tests ---------------------------------------------
HOST_CC := gcc
HOST_LIB := tools/host.c tools/host.h
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -I.
SAN_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -I. -Iinclude \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

$(B)/tools/gort-run: tools/gort-run.c $(wildcard tools/run_*.c tools/run_*.h) $(HOST_LIB)
$(B)/tools/gort-test: tools/gort-test.c $(wildcard tools/test_*.c tools/test_*.h) $(HOST_LIB)
$(B)/tools/gort-bench: tools/gort-bench.c $(wildcard tools/bench_*.c tools/bench_*.h) $(HOST_LIB)
$(B)/tools/mkinitramfs: tools/mkinitramfs.c
$(B)/tools/%: | $(SETUP)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

TOOLS := $(B)/tools/gort-run $(B)/tools/gort-test
# The image symbol table's builder and checker reads images with libelf and libdw.
$(B)/tools/gort-symtab: tools/gort-symtab.c $(wildcard tools/symtab_*.c tools/symtab_*.h) \
		tools/path_clean.c tools/path_clean.h \
		runtime/symtab.c runtime/symtab.h runtime/symtab_format.h $(HOST_LIB) | $(SETUP)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) -lelf -ldw
TOOLS += $(B)/tools/gort-symtab
tools: $(TOOLS)

# Each unit test names the arch-independent sources it tests.
UNIT_cmdline_test := kernel/cmdline.c
UNIT_settings_test := runtime/settings.c
UNIT_pagealloc_test := kernel/pagealloc_core.c
UNITFLAGS_pagealloc_test := -pthread
UNIT_spinlock_test :=
# A unit test of kernel headers is built for the host's arch.
UNITFLAGS_spinlock_test := -Iarch/$(shell uname -m) -pthread
UNIT_run_accel_test := $(filter-out tools/gort-run.c,$(wildcard tools/run_*.c)) tools/host.c
UNIT_run_console_test := $(UNIT_run_accel_test)
UNIT_run_qemu_args_test := $(UNIT_run_accel_test)
UNIT_run_addr2line_test := $(UNIT_run_accel_test)
UNITFLAGS_run_addr2line_test := -fno-pie -no-pie
UNIT_test_directives_test := tools/test_directives.c tools/host.c
UNIT_sizeclass_test := runtime/sizeclasses.c
# The allocator's tests run it on the host: kernel services from
# tests/unit/host, one host thread per CPU.
UNIT_heap_test := $(addprefix runtime/,sizeclasses.c arena.c persistent.c mheap.c mcentral.c \
	mcache.c malloc.c mstats.c settings.c) tests/unit/host/kernel_host.c
UNITFLAGS_heap_test := -Itests/unit/host -pthread
UNIT_spanlookup_test := $(UNIT_heap_test)
UNITFLAGS_spanlookup_test := $(UNITFLAGS_heap_test)
UNIT_timer_test := runtime/timer.c
UNITFLAGS_timer_test := -Itests/unit/host -pthread
# Channels, select and package sync on a host stand-in for the scheduler.
UNIT_chan_test := $(addprefix runtime/,chan.c select.c sema.c sync_mutex.c sync_rwmutex.c \
	sync_waitgroup.c sync_once.c sync_cond.c) tests/unit/host/sched_host.c
UNITFLAGS_chan_test := -Itests/unit/host
# The symbol table's test builds tables with the tool, from a fixture built
# as images are (-O2 -g) without PIE, and from the images under $(B).
UNIT_symtab_test := runtime/symtab.c tools/path_clean.c
UNITFLAGS_symtab_test := -DSYMTAB_TOOL='"$(B)/tools/gort-symtab"' \
	-DSYMTAB_FIXTURE='"$(B)/unit/symtab_fixture"' -DSYMTAB_BUILD='"$(B)"'
$(B)/unit/symtab_test: $(B)/tools/gort-symtab $(B)/unit/symtab_fixture
$(B)/unit/symtab_fixture: tests/unit/symtab_fixture.c | $(SETUP)
	@mkdir -p $(@D)
	$(HOST_CC) -std=gnu11 -O2 -g -Wall -Wextra -fno-pie -no-pie -o $@ $<
UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/*_test.c))
$(B)/unit/%: tests/unit/%.c tests/unit/check.h | $(SETUP)
	@mkdir -p $(@D)
	$(HOST_CC) $(SAN_CFLAGS) $(UNITFLAGS_$*) -o $@ $< $(UNIT_$*)
$(foreach t,$(UNIT_TESTS),$(eval $(t): $(UNIT_$(notdir $(t)))))
unit-tests: $(UNIT_TESTS)

# --- run, test, bench --------------------------------------------------------
# make exits 0, 1 or 2 by itself; `make run` exits with the guest's status
# through a small make plugin (tools/make_exit.c).
ifneq ($(filter run,$(MAKECMDGOALS)),)
-load $(B)/tools/make_exit.so
endif
$(B)/tools/make_exit.so: tools/make_exit.c | $(SETUP)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -shared -fPIC -o $@ $<

# make expands a target's whole recipe before running it, so the status is
# read in a second target, after the first has run the guest.
.PHONY: run-guest
run-guest: $(APP_ELF) $(B)/tools/gort-run $(if $(filter x86_64,$(ARCH)),calibration)
	@$(B)/tools/gort-run --arch $(ARCH) --image $(APP_ELF) --cmdline "$$CMDLINE" \
		--smp $(SMP) --mem $(MEM) --out $(OUT) --accel $(ACCEL) --timeout $(TIMEOUT) \
		$(if $(MACHINE),--machine $(MACHINE)); echo $$? > $(BA)/run.status

run: run-guest
	@$(gort-exit $(file < $(BA)/run.status))

.PHONY: calibration
calibration: | $(SETUP)
	$(MAKE) ARCH=x86_64 $(CALIBRATION)

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test: | $(SETUP)
	$(MAKE) -j$(JOBS) tools unit-tests
	for a in $(ARCHES); do $(MAKE) -j$(JOBS) ARCH=$$a images || exit 1; done
	$(B)/tools/gort-test --runner $(B)/tools/gort-run --build $(B) --arches "$(ARCHES)" \
		--jobs $(JOBS) $(if $(FILTER),--filter $(FILTER)) \
		--unit $(UNIT_TESTS) -- $(TESTS)

# The same workloads in Go, each a static /init of a minimal Linux guest; where
# bench/boehm/NAME.c exists, also in C on the Boehm collector (Debian's libgc,
# linked statically), the /init of the same guest.
.SECONDEXPANSION:
BENCHES := $(patsubst bench/%.c,%,$(wildcard bench/*.c))
BOEHM_BENCHES := $(patsubst bench/boehm/%.c,%,$(wildcard bench/boehm/*.c))
GO_ENV := CGO_ENABLED=0 GO111MODULE=on GOWORK=off GOFLAGS=-mod=mod GOPROXY=off \
	GOTOOLCHAIN=local GOENV=off GOPATH=$(CURDIR)/$(B)/bench/gopath \
	GOCACHE=$(CURDIR)/$(B)/bench/gocache
$(B)/bench/go/%: bench/go/go.mod $$(wildcard bench/go/$$*/*.go) | $(SETUP)
	@mkdir -p $(@D)
	cd bench/go && env $(GO_ENV) go build -trimpath -buildvcs=false -o $(CURDIR)/$@ ./$*
$(B)/bench/%.cpio: $(B)/bench/go/% $(B)/tools/mkinitramfs
	$(B)/tools/mkinitramfs $@ init=$<
$(B)/bench/boehm/%: bench/boehm/%.c | $(SETUP)
	@mkdir -p $(@D)
	$(HOST_CC) -std=gnu11 -O2 -Wall -Wextra -static -pthread -o $@ $< -lgc
$(B)/bench/boehm/%.cpio: $(B)/bench/boehm/% $(B)/tools/mkinitramfs
	$(B)/tools/mkinitramfs $@ init=$<

bench: | $(SETUP)
	$(MAKE) -j$(JOBS) ARCH=x86_64 $(B)/tools/gort-run $(B)/tools/gort-bench \
		$(B)/tools/mkinitramfs $(CALIBRATION) $(BENCHES:%=$(B)/x86_64/bench/%.elf) \
		$(BENCHES:%=$(B)/bench/go/%) $(BENCHES:%=$(B)/bench/%.cpio) \
		$(BOEHM_BENCHES:%=$(B)/bench/boehm/%.cpio)
	$(B)/tools/gort-bench --build $(B) $(if $(filter-out auto,$(ACCEL)),--accel $(ACCEL))

clean:
	rm -rf $(B)/x86_64 $(B)/aarch64 $(B)/riscv64 $(B)/tools $(B)/unit $(B)/bench

-include $(shell find $(BA) -name '*.o.d' 2>/dev/null)
