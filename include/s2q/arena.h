/*
 * arena.h - a per-thread arena behind cJSON's allocation hooks.
 *
 * Parsing one record makes one allocation per value and per string;
 * freeing them one by one costs as much again. The record parser (json.h)
 * takes its memory from the thread's arena with s2q_arena_alloc(), and
 * once the arena is installed so do cJSON's own allocations, while
 * cJSON_Delete frees nothing: s2q_arena_reset() releases everything the
 * thread allocated at once, when its record is done.
 */
#ifndef S2Q_ARENA_H
#define S2Q_ARENA_H

#include <stddef.h>

/**
 * Make every cJSON allocation come from the calling thread's arena.
 * Call once, before any thread parses; trees parsed before it must not be
 * freed after it.
 */
void s2q_arena_install(void);

/**
 * n bytes from the calling thread's arena, aligned for any type; they
 * stay valid until the thread's next s2q_arena_reset(). Never NULL.
 */
void *s2q_arena_alloc(size_t n);

/**
 * Release everything the calling thread took from its arena since the
 * last reset. Every tree the thread parsed is gone: use none of them
 * after this. Keeps up to a few MiB of blocks for the next record and
 * frees the rest, so memory stays flat.
 */
void s2q_arena_reset(void);

/** Free the calling thread's arena entirely (at thread exit). */
void s2q_arena_release(void);

#endif /* S2Q_ARENA_H */
