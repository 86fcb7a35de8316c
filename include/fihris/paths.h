/*
 * paths.h - where the database lives when the user does not say.
 *
 * Order: an explicit path (-d), else $FIHRIS_DB, else
 * $XDG_DATA_HOME/fihris/db, else $HOME/.local/share/fihris/db.
 */
#ifndef FIHRIS_PATHS_H
#define FIHRIS_PATHS_H

#include "fihris/buf.h"
#include "fihris/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The database path (replaces out's content). */
fh_status fh_db_path(const char *explicit_path, fh_buf *out, fh_error *err);
/* path made absolute (from the working directory) with "." and ".."
 * components and repeated slashes removed, without resolving symbolic links:
 * the one spelling of a file's path used as its document id, so that
 * corpus/a.txt, ./corpus/a.txt and /home/u/corpus/a.txt are one document. */
fh_status fh_absolute_path(const char *path, fh_buf *out, fh_error *err);

/* Create the parent directories of path, as `mkdir -p $(dirname path)`. */
fh_status fh_make_parent_dirs(const char *path, fh_error *err);

#ifdef __cplusplus
}
#endif

#endif
