/*
 * shape.h - recognising the export shape of a record and reading it into
 * the canonical event.
 */
#ifndef S2Q_SHAPE_H
#define S2Q_SHAPE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "s2q/event.h"

/** Name of a shape ("evtx", ...); "auto" for S2Q_SHAPE_COUNT. */
const char *s2q_shape_name(enum s2q_shape shape);

/** The shape of that name, or S2Q_SHAPE_COUNT when there is none. */
enum s2q_shape s2q_shape_find(const char *name);

/**
 * Recognise the shape of a parsed record and fill ev from it. ev must
 * have been reset; its values point into root, which must outlive them.
 * @param forced  a shape to use, or S2Q_SHAPE_COUNT to recognise it
 * @return 0, or -1 with a message in err (the record matches no shape,
 *         or has no usable EventID). A message about a record that
 *         matches no shape names the shapes tried.
 */
int s2q_shape_read(const cJSON *root, enum s2q_shape forced,
                   struct s2q_event *ev, char *err, size_t errlen);

#endif /* S2Q_SHAPE_H */
