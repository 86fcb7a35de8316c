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
    int lock_fd;       /* the build lock, -1 when none is held */
} fh_layout;

/* Decide how to write db: resume an interrupted parallel build, start a new
 * one with want_shards shards (only when db does not exist yet and
 * want_shards > 1), or let one writer update db.  Refuses a db that is a
 * file other than a build stub.  FH_ERR_LOCKED when another build holds db. */
fh_status fh_layout_open(const char *db, size_t want_shards, fh_layout *out, fh_error *err);

/* Make db the stub naming the shards. */
fh_status fh_layout_publish(const fh_layout *l, fh_error *err);

/* Compact the shards into one database at db and remove them. */
fh_status fh_layout_merge(fh_layout *l, fh_error *err);

/* Release the lock and the memory; files stay as they are. */
void fh_layout_close(fh_layout *l);

/* FH_OK when db can be updated by one writer now: no parallel build is
 * running (FH_ERR_LOCKED) or waiting to be finished (FH_ERR_INVALID). */
fh_status fh_layout_check_idle(const char *db, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
