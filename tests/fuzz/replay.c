/*
 * replay.c - run the fuzz target (fuzz_lyncc.c) on files and directories
 * of inputs without libFuzzer, with any compiler: the committed corpus and
 * every crash the fuzzer ever found stay tested in every build (a ctest,
 * also under ASan+UBSan and valgrind).
 *
 *   lyncc_fuzz_replay FILE|DIR...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	do {
		if (n == cap) {
			unsigned char *nb;

			cap = cap ? 2 * cap : 4096;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int
run_path(const char *path, unsigned *count)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t nn = 0, i;
	int rc = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	if ((d = opendir(path)) == NULL) {
		perror(path);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char **nv;

		if (e->d_name[0] == '.')
			continue;
		if ((nv = realloc(names, (nn + 1) * sizeof(*names))) == NULL)
			break;
		names = nv;
		if ((names[nn] = malloc(strlen(path) + strlen(e->d_name) + 2)) == NULL)
			break;
		sprintf(names[nn++], "%s/%s", path, e->d_name);
	}
	closedir(d);
	if (nn)
		qsort(names, nn, sizeof(*names), name_cmp);	/* a stable order */
	for (i = 0; i < nn; i++) {
		if (run_path(names[i], count) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned count = 0;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &count) != 0)
			rc = 1;
	printf("replayed %u inputs\n", count);
	return rc;
}
