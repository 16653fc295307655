/*
 * import.c - lyncc import TOPOLOGY.xml [-o SITE.lync | -o DIR/]: a Topology
 * Builder topology to .lync sites (compiler/import.c, docs/import.md).
 *
 * One central site goes to standard output or -o FILE; several need
 * -o DIR/, which receives DIR/SITE.lync for each, all or nothing
 * (lyncc_write_outputs).  Exit 0; 1 when the topology has errors (nothing
 * is written); 2 for usage and I/O errors.
 */
#include "cli.h"
#include "import.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read at most LYNCC_IMPORT_MAX_BYTES + 1 bytes of a regular file (or
 * standard input for "-"). */
static char *
read_topology(const char *path, size_t *len)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
	size_t cap = 65536, n = 0;
	char *buf;
	struct stat st;

	if (fd < 0)
		return NULL;
	if (fd != STDIN_FILENO && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	buf = xmalloc(cap);
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap > LYNCC_IMPORT_MAX_BYTES)
				break;
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			if (fd != STDIN_FILENO)
				close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	*len = n;
	return buf;
}

int
cli_import(const struct cli_opts *o)
{
	struct lyncc_import r;
	struct lyncc_output *w;
	struct stat st;
	size_t len = 0, i;
	char *data;
	bool dir = false, made = false;
	int rc = LYNCC_EXIT_OK;

	if (o->output && strcmp(o->output, "-") != 0 &&
	    ((stat(o->output, &st) == 0 && S_ISDIR(st.st_mode)) ||
	    o->output[strlen(o->output) - 1] == '/'))
		dir = true;
	if ((data = read_topology(o->input, &len)) == NULL) {
		fprintf(stderr, "lyncc: cannot read %s: %s\n", o->input,
		    errno == EINVAL ? "not a regular file" : strerror(errno));
		return LYNCC_EXIT_USAGE;
	}
	if (lyncc_import_buffer(strcmp(o->input, "-") ? o->input : "<stdin>", data, len,
	    &r) != 0) {
		fputs(r.diags, stderr);
		fprintf(stderr, "lyncc import: %u error%s; nothing was written\n",
		    r.nerrors, r.nerrors == 1 ? "" : "s");
		free(data);
		lyncc_import_free(&r);
		return LYNCC_EXIT_INPUT;
	}
	free(data);
	if (r.nsites > 1 && !dir) {
		fprintf(stderr, "lyncc import: the topology has %zu central sites (", r.nsites);
		for (i = 0; i < r.nsites; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", r.sites[i].name);
		fputs("): give a directory with -o DIR/ for one .lync file per site\n",
		    stderr);
		lyncc_import_free(&r);
		return LYNCC_EXIT_USAGE;
	}
	if (dir && stat(o->output, &st) != 0) {
		if (mkdir(o->output, 0777) != 0) {
			fprintf(stderr, "lyncc: cannot create directory '%s': %s\n",
			    o->output, strerror(errno));
			lyncc_import_free(&r);
			return LYNCC_EXIT_USAGE;
		}
		made = true;
	} else if (dir && !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "lyncc: '%s' is not a directory\n", o->output);
		lyncc_import_free(&r);
		return LYNCC_EXIT_USAGE;
	}
	/* never replace the topology with its import */
	if (!dir && o->output && strcmp(o->output, "-") != 0 && strcmp(o->input, "-") != 0) {
		struct stat in, out;

		if (stat(o->input, &in) == 0 && stat(o->output, &out) == 0 &&
		    in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
			fprintf(stderr, "lyncc: refusing to write '%s': it is the input "
			    "topology\n", o->output);
			lyncc_import_free(&r);
			return LYNCC_EXIT_USAGE;
		}
	}
	w = xcalloc(r.nsites + 1, sizeof(*w));
	for (i = 0; i < r.nsites; i++) {
		size_t ol = dir ? strlen(o->output) : 0;
		char *p = NULL;

		if (dir) {
			p = xmalloc(ol + strlen(r.sites[i].name) + 8);
			sprintf(p, "%s%s%s.lync", o->output, o->output[ol - 1] == '/' ? "" : "/",
			    r.sites[i].name);
		}
		w[i].path = dir ? p : o->output;
		w[i].data = r.sites[i].text;
		w[i].len = r.sites[i].len;
	}
	if (cli_write_outputs(w, r.nsites) != 0) {
		rc = LYNCC_EXIT_USAGE;
		if (made)
			rmdir(o->output);
	}
	for (i = 0; dir && i < r.nsites; i++)
		free((char *)w[i].path);
	free(w);
	lyncc_import_free(&r);
	return rc;
}
