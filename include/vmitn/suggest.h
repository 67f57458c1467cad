/* suggest.h — "did you mean": the nearest of a list of names to a misspelt one. */
#ifndef VMITN_SUGGEST_H
#define VMITN_SUGGEST_H

#include <stddef.h>

/* Returns the candidate nearest to word (edit distance, a swap of two neighbours counting
 * one), or NULL when none is close enough to be a likely typo (at most 1 edit for names
 * up to 4 characters, 2 up to 8, 3 beyond) or word is itself a candidate.  The result
 * points into cands. */
const char *vmitn_suggest(const char *word, const char *const *cands, size_t n);

#endif
