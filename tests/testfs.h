/*
 * testfs.h - temporary directories for the unit tests: made with
 * check_tmpdir(), removed (with everything in them, whatever their
 * permissions) by check_remove_tree().
 */
#ifndef FIHRIS_TESTFS_H
#define FIHRIS_TESTFS_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    chmod(path, 0700); /* a test may have made it unreadable */
    DIR *d = opendir(path);
    const struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(n);
        if (child == NULL)
            break;
        snprintf(child, n, "%s/%s", path, e->d_name);
        check_remove_tree(child);
        free(child);
    }
    if (d)
        closedir(d);
    rmdir(path);
}

#endif
