/*
 * mkinitramfs: write the initramfs of the Linux comparison guest that `make bench` boots.
 *
 *   mkinitramfs OUT.cpio init=PATH [NAME=PATH ...]
 *
 * The output is an uncompressed cpio archive in the "newc" format (magic 070701), the
 * format the kernel unpacks into its rootfs before it runs /init. The kernel accepts it
 * uncompressed whatever its CONFIG_RD_* choices, and leaving it uncompressed also keeps
 * decompression time out of the guest's boot figure.
 *
 * Contents, in order:
 *   dev/            directory
 *   dev/console     character device 5:1. The kernel opens /dev/console as stdin, stdout
 *                   and stderr of /init; the node must exist in the rootfs. (Debian's
 *                   kernel carries a built-in initramfs that already has it, but a
 *                   kernel built without one would leave /init with no output at all.)
 *   init            the host file PATH of init=PATH, mode 0755
 *   NAME            each further NAME=PATH: host file PATH stored as NAME (a relative
 *                   path; missing parent directories are added as 0755 directories),
 *                   keeping the host file's permission bits
 *   TRAILER!!!      end of archive
 *
 * Every entry is owned by root with mtime 0 and inode numbers counted from 1, so the
 * same inputs always give the same bytes. Regular files are stored whole (no hard links).
 *
 * A newc entry is a 110-byte ASCII header (the magic, then thirteen 8-digit hex fields),
 * the NUL-terminated name padded to a multiple of 4 bytes counting the header, then the
 * file data padded to a multiple of 4 bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	MAX_DIRS = 256,    /* directories the archive may hold */
	CONSOLE_MAJOR = 5, /* /dev/console is char 5:1 on Linux */
	CONSOLE_MINOR = 1,
};

struct archive {
	FILE *out;
	const char *path;     /* OUT, for messages and removal on failure */
	uint32_t next_ino;    /* inode number of the next entry */
	char *dirs[MAX_DIRS]; /* directories already written */
	int ndirs;
};

static void die(struct archive *a, const char *fmt, ...)
{
	va_list ap;

	fputs("mkinitramfs: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (a != NULL && a->out != NULL) {
		fclose(a->out);
		unlink(a->path);
	}
	exit(1);
}

static void put_bytes(struct archive *a, const void *buf, size_t len)
{
	if (len > 0 && fwrite(buf, 1, len, a->out) != len)
		die(a, "%s: write: %s", a->path, strerror(errno));
}

/* put_pad writes zero bytes until the archive offset `off` is a multiple of 4. */
static void put_pad(struct archive *a, uint64_t off)
{
	static const char zero[4];

	put_bytes(a, zero, (4 - off % 4) % 4);
}

/*
 * put_header writes one entry's header and name. The caller writes `size` bytes of data
 * next, then pads them with put_pad.
 */
static void put_header(struct archive *a, const char *name, uint32_t mode, uint32_t nlink,
		       uint32_t size, uint32_t rmajor, uint32_t rminor)
{
	char hdr[16 * 8];
	uint32_t namesize = (uint32_t)strlen(name) + 1; /* argv strings: far below 4 GiB */
	uint32_t ino = a->next_ino++;

	snprintf(hdr, sizeof hdr, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino,
		 mode, 0u, 0u, nlink, 0u, size, 0u, 0u, rmajor, rminor, namesize, 0u);
	put_bytes(a, hdr, 110);
	put_bytes(a, name, namesize);
	put_pad(a, 110 + namesize);
}

static int have_dir(struct archive *a, const char *name)
{
	for (int i = 0; i < a->ndirs; i++)
		if (strcmp(a->dirs[i], name) == 0)
			return 1;
	return 0;
}

static void put_dir(struct archive *a, const char *name)
{
	if (have_dir(a, name))
		return;
	if (a->ndirs == MAX_DIRS)
		die(a, "more than %d directories", MAX_DIRS);
	a->dirs[a->ndirs++] = strdup(name);
	put_header(a, name, S_IFDIR | 0755, 2, 0, 0, 0);
}

/* put_parents writes every directory on the way to `name` that is not yet there. */
static void put_parents(struct archive *a, const char *name)
{
	char *path = strdup(name);

	for (char *slash = strchr(path, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		put_dir(a, path);
		*slash = '/';
	}
	free(path);
}

/* put_file stores host file `src` as archive member `name`; mode 0 keeps src's bits. */
static void put_file(struct archive *a, const char *name, const char *src, uint32_t mode)
{
	char buf[65536];
	struct stat st;
	FILE *in = fopen(src, "rb");
	uint64_t done = 0;
	size_t n;

	if (in == NULL || fstat(fileno(in), &st) != 0)
		die(a, "%s: %s", src, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die(a, "%s: not a regular file", src);
	if ((uint64_t)st.st_size > UINT32_MAX)
		die(a, "%s: larger than a newc entry can hold (4 GiB)", src);
	if (mode == 0)
		mode = st.st_mode & 07777;
	put_parents(a, name);
	put_header(a, name, S_IFREG | mode, 1, (uint32_t)st.st_size, 0, 0);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
		put_bytes(a, buf, n);
		done += n;
	}
	if (ferror(in))
		die(a, "%s: read: %s", src, strerror(errno));
	if (done != (uint64_t)st.st_size)
		die(a, "%s: changed size while being read", src);
	fclose(in);
	put_pad(a, done);
}

/* check_name rejects member names the kernel would place outside the rootfs or reject. */
static void check_name(struct archive *a, const char *name, size_t len)
{
	if (len == 0 || name[0] == '/' || name[len - 1] == '/')
		die(a, "bad member name '%.*s': want a relative path like bin/prog", (int)len,
		    name);
	for (size_t i = 0; i < len; i++) {
		if (name[i] == '.' && (i == 0 || name[i - 1] == '/') &&
		    (i + 1 == len || name[i + 1] == '/' ||
		     (name[i + 1] == '.' && (i + 2 == len || name[i + 2] == '/'))))
			die(a, "bad member name '%.*s': no . or .. components", (int)len, name);
		if (name[i] == '/' && name[i + 1] == '/')
			die(a, "bad member name '%.*s': empty component", (int)len, name);
	}
}

static void usage(void)
{
	fputs("usage: mkinitramfs OUT.cpio init=PATH [NAME=PATH ...]\n"
	      "  Writes an uncompressed newc cpio archive holding dev/console, the host file\n"
	      "  PATH as /init, and each further host PATH as NAME.\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct archive a = {.next_ino = 1};
	const char *init = NULL;

	if (argc < 3)
		usage();
	for (int i = 2; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');

		if (eq == NULL || eq[1] == '\0')
			usage();
		check_name(NULL, argv[i], (size_t)(eq - argv[i]));
		if (strncmp(argv[i], "init=", 5) == 0) {
			if (init != NULL)
				die(NULL, "init= given twice");
			init = eq + 1;
		}
	}
	if (init == NULL)
		die(NULL, "init=PATH is required");

	a.path = argv[1];
	a.out = fopen(a.path, "wb");
	if (a.out == NULL)
		die(NULL, "%s: %s", a.path, strerror(errno));
	put_dir(&a, "dev");
	put_header(&a, "dev/console", S_IFCHR | 0600, 1, 0, CONSOLE_MAJOR, CONSOLE_MINOR);
	put_file(&a, "init", init, 0755);
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (strncmp(argv[i], "init=", 5) == 0)
			continue;
		*eq = '\0';
		put_file(&a, argv[i], eq + 1, 0);
	}
	put_header(&a, "TRAILER!!!", 0, 1, 0, 0, 0);
	if (fclose(a.out) != 0) {
		a.out = NULL;
		unlink(a.path);
		die(NULL, "%s: %s", a.path, strerror(errno));
	}
	for (int i = 0; i < a.ndirs; i++)
		free(a.dirs[i]);
	return 0;
}
