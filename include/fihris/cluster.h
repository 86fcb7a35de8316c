/*
 * cluster.h - reading a cluster description: the shards one search reaches.
 *
 * The description is a Xapian stub database file, so Xapian's own tools
 * (xapian-delve, quest) read it too.  Each line is one of:
 *   auto PATH           a local database (PATH relative to the file's folder)
 *   glass PATH          the same
 *   remote HOST:PORT    a database served by xapian-tcpsrv on HOST:PORT
 *   #fihris names PATH  where the name spellings of every shard are: Xapian's
 *                       remote backend serves no synonyms, so a client reads
 *                       them from this local database (indexer --shards
 *                       keeps one in DB.shards/names)
 * Blank lines and other lines starting with # are ignored.  `remote :PROG`
 * (a program Xapian would spawn) is refused: only TCP servers are shards.
 * The shards of a sharded database (indexer --shards) are listed in the
 * order of their numbers, DB.shards/0 first: deleting a document goes to
 * the shard its id hashes to (fh_shard_of) by that order.
 */
#ifndef FIHRIS_CLUSTER_H
#define FIHRIS_CLUSTER_H

#include <stddef.h>

#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fh_shard_spec {
    int remote;          /* served by xapian-tcpsrv, else a local database */
    char *path;          /* local: the database's path */
    char *host;          /* remote: where the server listens */
    unsigned port;
    char *label;         /* "remote HOST:PORT" or "auto PATH", as written */
} fh_shard_spec;

typedef struct {
    fh_shard_spec *shards;
    size_t n;
    char *names;         /* the names database, or NULL */
} fh_cluster;

/* Whether path is a file (a stub) rather than a database folder. */
int fh_cluster_is_stub(const char *path);

/* Read the description at path.  FH_ERR_INVALID, naming the line, for a
 * line of another form or a description without shards. */
fh_status fh_cluster_read(const char *path, fh_cluster *out, fh_error *err);
void fh_cluster_free(fh_cluster *c);

#ifdef __cplusplus
}
#endif

#endif
