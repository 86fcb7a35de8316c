/*
 * layout.h - where a database's files live while it is written, and the
 * lock that keeps two indexers apart.
 *
 * A database DB is normally one Xapian database directory, written by one
 * writer (Xapian's own lock keeps others out).  A NEW database can instead be
 * built by several writers in parallel: each writes a shard DB.shards/K, DB
 * is meanwhile a Xapian stub file naming the shards (so the database can be
 * searched, and survives a crash, during the build), and at the end the
 * shards are compacted into one database that replaces the stub.  Such a
 * build holds DB.shards/lock for its whole duration, merge included; a run
 * that finds DB.shards without the lock held resumes (or, when the merge had
 * finished, cleans up after) the interrupted build.
 *
 * A SHARDED database (indexer --shards N) keeps its shards: DB stays the stub
 * naming them, DB.shards/sharded marks it, every run writes the N shards in
 * parallel (a document always goes to shard fh_shard_of(id, N)) and holds
 * the lock meanwhile, and DB.shards/names holds the name spellings of all
 * shards for clients that reach the shards through Xapian's remote backend,
 * which serves no synonyms.
 */
#ifndef FIHRIS_LAYOUT_H
#define FIHRIS_LAYOUT_H

#include <stddef.h>

#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char *db;          /* the database path */
    char *shard_dir;   /* DB.shards */
    char **shards;     /* shard paths when building in parallel, else NULL */
    size_t nshards;    /* 0: one writer on db */
    int sharded;       /* the shards are kept: never merged */
    int lock_fd;       /* the build lock, -1 when none is held */
} fh_layout;

#define FH_MAX_SHARDS 64

/* Decide how to write db: write a sharded database's shards, resume an
 * interrupted parallel build, start a new one with want_shards shards (only
 * when db does not exist yet and want_shards > 1), or let one writer update
 * db.  With keep_shards > 0, db must be new (it becomes a sharded database
 * of that many shards) or already sharded so.  Refuses a db that is a file
 * other than a build stub.  FH_ERR_LOCKED when another indexer holds db. */
fh_status fh_layout_open(const char *db, size_t want_shards, size_t keep_shards, fh_layout *out,
                         fh_error *err);

/* The names database of a sharded db (DB.shards/names); caller frees. */
char *fh_layout_names_path(const fh_layout *l);

/* Make db the stub naming the shards. */
fh_status fh_layout_publish(const fh_layout *l, fh_error *err);

/* Compact the shards into one database at db and remove them. */
fh_status fh_layout_merge(fh_layout *l, fh_error *err);

/* Release the lock and the memory; files stay as they are. */
void fh_layout_close(fh_layout *l);

#ifdef __cplusplus
}
#endif

#endif
