/*
 * remote.h - options for reading a cluster description, a file naming the
 * shards of one database (cluster.h), some of them served by xapian-tcpsrv
 * on other machines: how long a remote shard may take, and whether a search
 * goes on without the shards it cannot reach.
 */
#ifndef FIHRIS_REMOTE_H
#define FIHRIS_REMOTE_H

#include "fihris/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    unsigned connect_timeout_ms; /* connecting to a shard server (default 2000) */
    unsigned timeout_ms;         /* any one request to it (default 10000) */
    int allow_partial;           /* leave out, rather than fail on, a shard that
                                  * cannot be reached (default 0) */
} fh_remote_opts;

/* The defaults. */
FH_API void fh_remote_opts_init(fh_remote_opts *o);
/* Both timeouts from one figure: requests ms, connecting at most that. */
FH_API void fh_remote_opts_timeout(fh_remote_opts *o, unsigned ms);

#ifdef __cplusplus
}
#endif

#endif
