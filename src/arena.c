/*
 * arena.c - a per-thread bump allocator for cJSON (see arena.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "s2q/arena.h"
#include "s2q/buf.h"

/* Size of an ordinary block; a larger request gets a block of its own. */
#define BLOCK_SIZE (256u << 10)

/* Blocks kept from one record to the next. */
#define KEEP_BYTES (4u << 20)

/* Every allocation is aligned for any type. */
#define ALIGN (sizeof(max_align_t))

struct block {
    struct block *next;
    size_t size;         /* bytes in data */
    size_t used;
    max_align_t data[];
};

struct arena {
    struct block *first;     /* blocks in use, newest first */
    struct block *spare;     /* emptied blocks ready for reuse */
};

static _Thread_local struct arena arena;

/* A new block with at least n bytes of room. */
static struct block *new_block(size_t n)
{
    size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
    struct block *b = s2q_xmalloc(sizeof(*b) + size);

    b->size = size;
    b->used = 0;
    b->next = NULL;
    return b;
}

void *s2q_arena_alloc(size_t n)
{
    struct block *b = arena.first;
    void *p;

    n = (n + ALIGN - 1) & ~(ALIGN - 1);
    if (b == NULL || b->size - b->used < n) {
        if (arena.spare != NULL && arena.spare->size >= n) {
            b = arena.spare;
            arena.spare = b->next;
        } else {
            b = new_block(n);
        }
        b->next = arena.first;
        arena.first = b;
    }
    p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

/* cJSON's free: nothing; the arena is released as a whole. */
static void arena_free(void *p)
{
    (void)p;
}

void s2q_arena_install(void)
{
    cJSON_Hooks hooks = { s2q_arena_alloc, arena_free };

    cJSON_InitHooks(&hooks);
}

void s2q_arena_reset(void)
{
    size_t kept = 0;
    struct block *b = arena.first;

    /* Move the blocks to the spare list, keeping only a bounded amount. */
    arena.first = NULL;
    for (struct block *s = arena.spare; s != NULL; s = s->next) {
        kept += s->size;
    }
    while (b != NULL) {
        struct block *next = b->next;

        if (kept + b->size <= KEEP_BYTES && b->size == BLOCK_SIZE) {
            b->used = 0;
            b->next = arena.spare;
            arena.spare = b;
            kept += b->size;
        } else {
            free(b);
        }
        b = next;
    }
}

void s2q_arena_release(void)
{
    s2q_arena_reset();
    while (arena.spare != NULL) {
        struct block *next = arena.spare->next;

        free(arena.spare);
        arena.spare = next;
    }
}
