/*
 * export.h - FH_API, the mark of the public interface.
 *
 * libfihris is built with every symbol hidden; the functions its public
 * headers declare with FH_API are the only ones it exports.  The public
 * headers are the ones installed: fihris.h and those it includes.  A public
 * header includes only public headers.
 */
#ifndef FIHRIS_EXPORT_H
#define FIHRIS_EXPORT_H

#if defined(__GNUC__)
#define FH_API __attribute__((visibility("default")))
#else
#define FH_API
#endif

#endif
