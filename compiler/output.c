/*
 * output.c - writing generated files, all or nothing.
 *
 * Every file of a run is first written to a temporary file beside its
 * destination; only when all of them were written are they renamed into
 * place, so a full disk changes nothing and a reader never sees a partial
 * file.  A backend's output streams into its temporary file while it is
 * generated (lyncc_outs_open, _close, _commit), so a run never holds a
 * whole config in memory.  Standard output, character devices and FIFOs
 * (/dev/null, /dev/stdout) cannot take back what they were given: their
 * bytes are kept in memory and written in place, after every temporary
 * file succeeded.
 * A block device, a directory and a file the run read (the site, an
 * include) are refused.  An existing file keeps its mode and a symlink
 * keeps pointing at the file it names; a new file gets 0666 & ~umask.
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include "lyncc.h"
#include "arena.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A backend's text is written to its temporary file in chunks of this
 * size as it is generated (sb_stream): a run holds about one chunk of each
 * regular output, not the output. */
#define OUT_CHUNK	((size_t)1 << 20)

struct out_state {
	const char	*path;		/* as given (NULL or "-": stdout) */
	char		*dest;		/* where the rename goes (a symlink's target) */
	char		*tmp;		/* the temporary file */
	int		 fd;		/* tmp while it is written, else -1 */
	bool		 inplace;	/* stdout, a character device or a FIFO */
	bool		 closed;	/* complete: ready for the commit */
	mode_t		 mode;
	const char	*data;		/* in place: the bytes the commit writes */
	size_t		 len;
	struct sb_sink	 sink;		/* the strbuf streaming into fd */
};

struct lyncc_outs {
	struct out_state	*st;
	size_t			 n;
};

static bool
is_stdout(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

/* How f is written; NULL, or why it is refused. */
static const char *
out_prepare(const struct lyncc_unit *u, struct out_state *st, mode_t umask_bits)
{
	struct stat sb, lsb;
	size_t i;

	if (is_stdout(st->path)) {
		st->inplace = true;
		return NULL;
	}
	st->mode = 0666 & ~umask_bits;
	if (lstat(st->path, &lsb) != 0 || stat(st->path, &sb) != 0) {
		st->dest = xstrdup(st->path);	/* new (or a dangling symlink) */
		return NULL;
	}
	if (S_ISBLK(sb.st_mode))
		return "it is a block device";
	if (S_ISDIR(sb.st_mode))
		return "it is a directory";
	if (S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode)) {
		st->inplace = true;
		return NULL;
	}
	if (!S_ISREG(sb.st_mode))
		return "it is not a regular file";
	for (i = 0; u != NULL && i < u->nloaded; i++)
		if (u->loaded[i]->has_id &&
		    u->loaded[i]->dev == (unsigned long long)sb.st_dev &&
		    u->loaded[i]->ino == (unsigned long long)sb.st_ino)
			return "it is an input file of this run";
	st->mode = sb.st_mode & 07777;
	/* replace the file a symlink points to, not the symlink */
	st->dest = S_ISLNK(lsb.st_mode) ? realpath(st->path, NULL) : xstrdup(st->path);
	return st->dest == NULL ? strerror(errno) : NULL;
}

static int
write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

static int
sink_write(void *ctx, const char *data, size_t len)
{
	return write_all(((struct out_state *)ctx)->fd, data, len);
}

/* Create the temporary file of st, beside its destination:
 * ".NAME.tmpXXXXXX". */
static int
tmp_open(struct out_state *st)
{
	const char *slash = strrchr(st->dest, '/');
	int e;

	st->tmp = xmalloc(strlen(st->dest) + 16);
	if (slash)
		sprintf(st->tmp, "%.*s.%s.tmpXXXXXX", (int)(slash - st->dest + 1),
		    st->dest, slash + 1);
	else
		sprintf(st->tmp, ".%s.tmpXXXXXX", st->dest);
	if ((st->fd = mkstemp(st->tmp)) < 0) {
		e = errno;
		free(st->tmp);
		st->tmp = NULL;
		errno = e;
		return -1;
	}
	return 0;
}

/* The temporary file is complete: its mode, on disk, closed. */
static int
tmp_close(struct out_state *st, int rc)
{
	int fd = st->fd, e;

	st->fd = -1;
	if (rc != 0 || fchmod(fd, st->mode) != 0 || fsync(fd) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

static int
out_inplace(const struct out_state *st)
{
	FILE *fp = is_stdout(st->path) ? stdout : fopen(st->path, "w");
	int bad, e;

	if (fp == NULL)
		return -1;
	bad = st->len && fwrite(st->data, 1, st->len, fp) != st->len;
	e = errno;
	if (fp == stdout) {
		if (fflush(fp) != 0)
			return -1;
	} else if (fclose(fp) != 0)
		return -1;
	errno = e;
	return bad ? -1 : 0;
}

struct lyncc_outs *
lyncc_outs_new(const struct lyncc_unit *u, const char *const *paths, size_t n,
    size_t *failed, const char **why)
{
	struct lyncc_outs *o = xcalloc(1, sizeof(*o));
	mode_t m = umask(0);
	size_t i;

	umask(m);
	o->st = xcalloc(n + 1, sizeof(*o->st));
	o->n = n;
	*why = NULL;
	*failed = 0;
	for (i = 0; i < n; i++) {
		o->st[i].path = paths[i];
		o->st[i].fd = -1;
	}
	for (i = 0; i < n; i++)
		if ((*why = out_prepare(u, &o->st[i], m)) != NULL) {
			*failed = i;
			lyncc_outs_free(o);
			return NULL;
		}
	return o;
}

int
lyncc_outs_open(struct lyncc_outs *o, size_t i, struct strbuf *b)
{
	struct out_state *st = &o->st[i];

	if (st->inplace)
		return 0;	/* b keeps it all: written by the commit */
	if (tmp_open(st) != 0)
		return -1;
	memset(&st->sink, 0, sizeof(st->sink));
	st->sink.write = sink_write;
	st->sink.ctx = st;
	sb_stream(b, &st->sink, OUT_CHUNK);
	return 0;
}

int
lyncc_outs_close(struct lyncc_outs *o, size_t i, struct strbuf *b)
{
	struct out_state *st = &o->st[i];

	if (st->inplace) {
		st->data = b->s ? b->s : "";
		st->len = b->len;
	} else {
		int r = tmp_close(st, sb_unstream(b)), e = errno;

		sb_free(b);	/* its last chunk */
		errno = e;
		if (r != 0)
			return -1;
	}
	st->closed = true;
	return 0;
}

/* Output i in one piece: its temporary file written now, or (in place)
 * its bytes kept for the commit. */
static int
outs_put(struct lyncc_outs *o, size_t i, const char *data, size_t len)
{
	struct out_state *st = &o->st[i];

	if (st->inplace) {
		st->data = data;
		st->len = len;
	} else if (tmp_open(st) != 0 || tmp_close(st, write_all(st->fd, data, len)) != 0)
		return -1;
	st->closed = true;
	return 0;
}

int
lyncc_outs_commit(struct lyncc_outs *o, size_t *failed)
{
	size_t i;

	*failed = 0;
	for (i = 0; i < o->n; i++)
		if (!o->st[i].closed) {	/* a caller's mistake: commit nothing */
			*failed = i;
			errno = EINVAL;
			return -1;
		}
	for (i = 0; i < o->n; i++) {
		struct out_state *st = &o->st[i];

		if (st->inplace ? out_inplace(st) != 0 : rename(st->tmp, st->dest) != 0) {
			*failed = i;
			return -1;
		}
		if (!st->inplace) {
			free(st->tmp);
			st->tmp = NULL;
		}
	}
	return 0;
}

void
lyncc_outs_free(struct lyncc_outs *o)
{
	size_t i;
	int e = errno;

	if (o == NULL)
		return;
	for (i = 0; i < o->n; i++) {
		if (o->st[i].fd >= 0)
			close(o->st[i].fd);
		if (o->st[i].tmp != NULL)
			unlink(o->st[i].tmp);
		free(o->st[i].tmp);
		free(o->st[i].dest);
	}
	free(o->st);
	free(o);
	errno = e;
}

int
lyncc_write_outputs(const struct lyncc_unit *u, const struct lyncc_output *v,
    size_t n, size_t *failed, const char **why)
{
	const char **paths = xcalloc(n + 1, sizeof(*paths));
	struct lyncc_outs *o;
	size_t i;
	int rc = 0, e = 0;

	for (i = 0; i < n; i++)
		paths[i] = v[i].path;
	o = lyncc_outs_new(u, paths, n, failed, why);
	free(paths);
	if (o == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		if (outs_put(o, i, v[i].data, v[i].len) != 0)
			rc = -1, *failed = i, e = errno;
	if (rc == 0 && lyncc_outs_commit(o, failed) != 0)
		rc = -1, e = errno;
	lyncc_outs_free(o);
	errno = e;
	return rc;
}

int
lyncc_write_file(const char *path, const char *data, size_t len)
{
	struct lyncc_output f;
	size_t bad;
	const char *why;

	f.path = path;
	f.data = data ? data : "";
	f.len = len;
	if (lyncc_write_outputs(NULL, &f, 1, &bad, &why) == 0)
		return 0;
	if (why != NULL)
		errno = EINVAL;
	return -1;
}
