/*
 * output.c - writing generated files, all or nothing.
 *
 * Every file of a run is first written to a temporary file beside its
 * destination; only when all of them were written are they renamed into
 * place, so a full disk changes nothing and a reader never sees a partial
 * file.  Standard output, character devices and FIFOs (/dev/null,
 * /dev/stdout) are written in place, after the temporary files succeeded.
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

struct out_state {
	char		*dest;		/* where the rename goes (a symlink's target) */
	char		*tmp;		/* the temporary file */
	bool		 inplace;	/* stdout, a character device or a FIFO */
	mode_t		 mode;
};

static bool
is_stdout(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

/* How f is written; NULL, or why it is refused. */
static const char *
out_prepare(const struct lyncc_unit *u, const struct lyncc_output *f,
    struct out_state *st, mode_t umask_bits)
{
	struct stat sb, lsb;
	size_t i;

	if (is_stdout(f->path)) {
		st->inplace = true;
		return NULL;
	}
	st->mode = 0666 & ~umask_bits;
	if (lstat(f->path, &lsb) != 0 || stat(f->path, &sb) != 0) {
		st->dest = xstrdup(f->path);	/* new (or a dangling symlink) */
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
	st->dest = S_ISLNK(lsb.st_mode) ? realpath(f->path, NULL) : xstrdup(f->path);
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

/* The temporary file of f, beside its destination: ".NAME.tmpXXXXXX". */
static int
out_tmp(const struct lyncc_output *f, struct out_state *st)
{
	const char *slash = strrchr(st->dest, '/');
	int fd, e;

	st->tmp = xmalloc(strlen(st->dest) + 16);
	if (slash)
		sprintf(st->tmp, "%.*s.%s.tmpXXXXXX", (int)(slash - st->dest + 1),
		    st->dest, slash + 1);
	else
		sprintf(st->tmp, ".%s.tmpXXXXXX", st->dest);
	if ((fd = mkstemp(st->tmp)) < 0) {
		e = errno;
		free(st->tmp);
		st->tmp = NULL;
		errno = e;
		return -1;
	}
	if (write_all(fd, f->data, f->len) != 0 || fchmod(fd, st->mode) != 0 ||
	    fsync(fd) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

static int
out_inplace(const struct lyncc_output *f)
{
	FILE *fp = is_stdout(f->path) ? stdout : fopen(f->path, "w");
	int bad, e;

	if (fp == NULL)
		return -1;
	bad = f->len && fwrite(f->data, 1, f->len, fp) != f->len;
	e = errno;
	if (fp == stdout) {
		if (fflush(fp) != 0)
			return -1;
	} else if (fclose(fp) != 0)
		return -1;
	errno = e;
	return bad ? -1 : 0;
}

int
lyncc_write_outputs(const struct lyncc_unit *u, const struct lyncc_output *v,
    size_t n, size_t *failed, const char **why)
{
	struct out_state *st = xcalloc(n + 1, sizeof(*st));
	mode_t m = umask(0);
	size_t i;
	int rc = 0, e = 0;

	umask(m);
	*why = NULL;
	*failed = 0;
	for (i = 0; i < n && rc == 0; i++)
		if ((*why = out_prepare(u, &v[i], &st[i], m)) != NULL)
			rc = -1, *failed = i;
	for (i = 0; i < n && rc == 0; i++)
		if (!st[i].inplace && out_tmp(&v[i], &st[i]) != 0)
			rc = -1, *failed = i, e = errno;
	for (i = 0; i < n && rc == 0; i++) {
		if (st[i].inplace ? out_inplace(&v[i]) != 0 :
		    rename(st[i].tmp, st[i].dest) != 0)
			rc = -1, *failed = i, e = errno;
		else if (!st[i].inplace) {
			free(st[i].tmp);
			st[i].tmp = NULL;
		}
	}
	for (i = 0; i < n; i++) {
		if (st[i].tmp != NULL)
			unlink(st[i].tmp);
		free(st[i].tmp);
		free(st[i].dest);
	}
	free(st);
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
