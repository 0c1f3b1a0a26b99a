/*
 * listing.h - the mapping tables as a Markdown document.
 */
#ifndef S2Q_LISTING_H
#define S2Q_LISTING_H

#include <stdio.h>

/**
 * Print every mapping table the binary uses, as Markdown: the constant and
 * System tokens, the default table and one section per event ID.
 * docs/mapping.md is this output.
 */
void s2q_list_mappings(FILE *f);

#endif /* S2Q_LISTING_H */
