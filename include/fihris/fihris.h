/*
 * fihris.h - the public interface of libfihris in one include: writing an
 * index (writer.h, document by document; indexer.h, files and directories
 * as the indexer command does), reading files into documents (reader.h),
 * searching it (search.h), the stored documents (stored.h) and errors
 * (error.h).  docs/api.md describes it with a complete example.
 *
 * Memory: a function that hands out something to free names the function
 * that frees it; strings passed in stay the caller's.  Threads: a writer,
 * a searcher and a result are each used by one thread at a time; different
 * ones may be used by different threads at once.
 */
#ifndef FIHRIS_FIHRIS_H
#define FIHRIS_FIHRIS_H

#include "fihris/buf.h"
#include "fihris/error.h"
#include "fihris/export.h"
#include "fihris/indexer.h"
#include "fihris/reader.h"
#include "fihris/remote.h"
#include "fihris/search.h"
#include "fihris/stored.h"
#include "fihris/writer.h"

#endif
