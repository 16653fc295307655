/*
 * output.c - writing generated files: through a temporary file in the same
 * directory and a rename, so a reader never sees a partial file.
 */
#include "lyncc.h"
#include "arena.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
lyncc_write_file(const char *path, const char *data, size_t len)
{
	char *tmp;
	int fd, e;
	size_t off = 0;
	struct stat st;

	if (path == NULL || strcmp(path, "-") == 0) {
		if (len && fwrite(data, 1, len, stdout) != len)
			return -1;
		return fflush(stdout) == 0 ? 0 : -1;
	}
	/* a device or a pipe (/dev/null, /dev/stdout): write to it in place;
	 * renaming over it would replace the device */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		FILE *f = fopen(path, "w");

		if (f == NULL)
			return -1;
		if ((len && fwrite(data, 1, len, f) != len) || ferror(f)) {
			e = errno;
			fclose(f);
			errno = e;
			return -1;
		}
		return fclose(f) == 0 ? 0 : -1;
	}
	tmp = xmalloc(strlen(path) + 16);
	sprintf(tmp, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		e = errno;
		free(tmp);
		errno = e;
		return -1;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		fd = -1;
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = e;
	return -1;
}
