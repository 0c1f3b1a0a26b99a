/*
 * shape.c - recognising the export shape of each record and handing it to
 * its adapter, plus the helpers the adapters share.
 *
 * Shapes are tried in a fixed order, each by the members that only it
 * has: evtx (Event.System), winlogbeat (winlog, or event_data with
 * event_id), wazuh (win.system, at the top or under data), powershell
 * (Properties with Id and ProviderName), flat (EventID with SourceName,
 * ProviderName, Provider or Channel).
 */
#include <stdio.h>
#include <string.h>

#include "s2q/shape.h"
#include "shape_impl.h"

struct adapter {
    enum s2q_shape shape;
    bool (*match)(const cJSON *root);
    int (*read)(const cJSON *root, struct s2q_event *ev, char *err,
                size_t errlen);
};

/* In the order they are tried. */
static const struct adapter adapters[] = {
    { S2Q_SHAPE_EVTX, s2q_evtx_match, s2q_evtx_read },
    { S2Q_SHAPE_WINLOGBEAT, s2q_winlogbeat_match, s2q_winlogbeat_read },
    { S2Q_SHAPE_WAZUH, s2q_wazuh_match, s2q_wazuh_read },
    { S2Q_SHAPE_POWERSHELL, s2q_powershell_match, s2q_powershell_read },
    { S2Q_SHAPE_FLAT, s2q_flat_match, s2q_flat_read },
};

#define NADAPTERS (sizeof(adapters) / sizeof(adapters[0]))

static const char *const shape_names[S2Q_SHAPE_COUNT] = {
    [S2Q_SHAPE_EVTX] = "evtx",
    [S2Q_SHAPE_WINLOGBEAT] = "winlogbeat",
    [S2Q_SHAPE_FLAT] = "flat",
    [S2Q_SHAPE_WAZUH] = "wazuh",
    [S2Q_SHAPE_POWERSHELL] = "powershell",
};

const char *s2q_shape_name(enum s2q_shape shape)
{
    if (shape >= S2Q_SHAPE_COUNT) {
        return "auto";
    }
    return shape_names[shape];
}

enum s2q_shape s2q_shape_find(const char *name)
{
    for (int i = 0; i < S2Q_SHAPE_COUNT; i++) {
        if (strcmp(shape_names[i], name) == 0) {
            return (enum s2q_shape)i;
        }
    }
    return S2Q_SHAPE_COUNT;
}

/* Read the record with one adapter; the event learns its shape. */
static int read_with(const struct adapter *a, const cJSON *root,
                     struct s2q_event *ev, char *err, size_t errlen)
{
    ev->shape = a->shape;
    return a->read(root, ev, err, errlen);
}

int s2q_shape_read(const cJSON *root, enum s2q_shape forced,
                   struct s2q_event *ev, char *err, size_t errlen)
{
    for (size_t i = 0; i < NADAPTERS; i++) {
        const struct adapter *a = &adapters[i];

        if (forced != S2Q_SHAPE_COUNT && a->shape != forced) {
            continue;
        }
        if (a->match(root)) {
            return read_with(a, root, ev, err, errlen);
        }
        if (forced != S2Q_SHAPE_COUNT) {
            snprintf(err, errlen, "record is not in the %s shape",
                     shape_names[forced]);
            return -1;
        }
    }
    snprintf(err, errlen,
             "record matches no known export shape (tried: evtx, "
             "winlogbeat, wazuh, powershell, flat)");
    return -1;
}
