/*
 * registry.c - the only place that lists the targets.
 */
#include "backend.h"

#include <string.h>

const struct lyncc_backend *const lyncc_backends[] = {
	&asa_backend,
	&srx_backend,
	&f5_backend,
	&f5_as3_backend,
	&haproxy_backend,
	&nft_backend,
};
const size_t lyncc_nbackends = sizeof(lyncc_backends) / sizeof(lyncc_backends[0]);

const struct lyncc_backend *
backend_find(const char *name)
{
	size_t i;

	for (i = 0; i < lyncc_nbackends; i++)
		if (strcmp(lyncc_backends[i]->name, name) == 0)
			return lyncc_backends[i];
	return NULL;
}
