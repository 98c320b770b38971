/* elfcache.c - each ELF file read once, by device and inode (see elfinfo.h)
 *
 * One mutex guards the table: the workers of --all share one cache.  A file is read
 * outside the lock; two workers that miss the same file at once both read it, and
 * the second insert keeps the first entry (entries never move or change once in). */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "elf/elfinfo.h"

struct elf_cache {
	struct elf_cache_entry **slots;	/* open addressing, linear probing */
	size_t cap;			/* a power of two */
	size_t count;
	pthread_mutex_t lock;
};

static size_t hash_key(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * UINT64_C(0x9e3779b97f4a7c15);

	h ^= (uint64_t)dev + UINT64_C(0x632be59bd9b4e019) + (h << 6) + (h >> 2);
	h ^= h >> 31;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	h ^= h >> 29;
	return (size_t)h;
}

static size_t find_slot(struct elf_cache_entry *const *slots, size_t cap, dev_t dev, ino_t ino)
{
	size_t i = hash_key(dev, ino) & (cap - 1);

	while (slots[i] != NULL && (slots[i]->dev != dev || slots[i]->ino != ino))
		i = (i + 1) & (cap - 1);
	return i;
}

struct elf_cache *elf_cache_new(void)
{
	struct elf_cache *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	c->cap = 64;
	c->slots = calloc(c->cap, sizeof *c->slots);
	if (c->slots == NULL) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

void elf_cache_free(struct elf_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->cap; i++) {
		if (c->slots[i] != NULL) {
			elf_info_free(&c->slots[i]->ei);
			free(c->slots[i]);
		}
	}
	free(c->slots);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

struct elf_cache_entry *elf_cache_lookup(const struct elf_cache *c, dev_t dev, ino_t ino)
{
	struct elf_cache *m = (struct elf_cache *)c;	/* the lock only */
	struct elf_cache_entry *e;

	if (c == NULL)
		return NULL;
	pthread_mutex_lock(&m->lock);
	e = c->slots[find_slot(c->slots, c->cap, dev, ino)];
	pthread_mutex_unlock(&m->lock);
	return e;
}

/* Double the table; -1 on ENOMEM (the table is unchanged). */
static int grow(struct elf_cache *c)
{
	size_t ncap = c->cap * 2;
	struct elf_cache_entry **ns;

	/* GCOVR_EXCL_START: the table would hold more entries than memory can */
	if (ncap < c->cap || ncap > SIZE_MAX / sizeof *ns) {
		errno = ENOMEM;
		return -1;
	}
	/* GCOVR_EXCL_STOP */
	ns = calloc(ncap, sizeof *ns);
	if (ns == NULL)
		return -1;
	for (size_t i = 0; i < c->cap; i++) {
		struct elf_cache_entry *e = c->slots[i];

		if (e != NULL)
			ns[find_slot(ns, ncap, e->dev, e->ino)] = e;
	}
	free(c->slots);
	c->slots = ns;
	c->cap = ncap;
	return 0;
}

struct elf_cache_entry *elf_cache_insert(struct elf_cache *c, dev_t dev, ino_t ino,
					 int err, struct elf_info *ei)
{
	struct elf_cache_entry *e;
	size_t i;

	pthread_mutex_lock(&c->lock);
	e = c->slots[find_slot(c->slots, c->cap, dev, ino)];
	if (e != NULL) {
		pthread_mutex_unlock(&c->lock);
		elf_info_free(ei);
		return e;
	}
	/* keep the load factor at most 1/2 */
	if ((c->count + 1) * 2 > c->cap && grow(c) < 0) {
		pthread_mutex_unlock(&c->lock);
		elf_info_free(ei);
		errno = ENOMEM;
		return NULL;
	}
	e = calloc(1, sizeof *e);
	if (e == NULL) {
		pthread_mutex_unlock(&c->lock);
		elf_info_free(ei);
		errno = ENOMEM;
		return NULL;
	}
	e->dev = dev;
	e->ino = ino;
	e->ok = err == 0;
	e->err = err;
	if (ei != NULL) {
		e->ei = *ei;
		memset(ei, 0, sizeof *ei);
	}
	i = find_slot(c->slots, c->cap, dev, ino);
	c->slots[i] = e;
	c->count++;
	pthread_mutex_unlock(&c->lock);
	return e;
}

struct elf_cache_entry *elf_cache_read(struct elf_cache *c, dev_t dev, ino_t ino, int fd)
{
	struct elf_cache_entry *e = elf_cache_lookup(c, dev, ino);
	struct elf_info ei;
	int err = 0;

	if (e != NULL)
		return e;
	if (elf_info_read(fd, &ei) < 0) {
		err = errno;
		if (err == ENOMEM) {
			elf_info_free(&ei);
			errno = ENOMEM;
			return NULL;
		}
	}
	return elf_cache_insert(c, dev, ino, err, &ei);
}

size_t elf_cache_count(const struct elf_cache *c)
{
	struct elf_cache *m = (struct elf_cache *)c;	/* the lock only */
	size_t n;

	if (c == NULL)
		return 0;
	pthread_mutex_lock(&m->lock);
	n = c->count;
	pthread_mutex_unlock(&m->lock);
	return n;
}
