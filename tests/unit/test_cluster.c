/*
 * test_cluster.c - reading a cluster description: local and remote shards in
 * order, paths relative to the file's folder, the names line, and a clear
 * refusal (naming the line) of what is not a shard.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fihris/cluster.h"

static char dir[] = "/tmp/fihris-test-cluster.XXXXXX";

static const char *write_stub(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "%s/stub", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static void shards_in_order(void)
{
    const char *stub = write_stub("# three shards\n"
                                  "auto db.shards/0\n"
                                  "\n"
                                  "remote 10.0.0.12:9100  \n"
                                  "glass /srv/shard2\r\n"
                                  "#fihris names db.shards/names\n");
    fh_cluster c;
    fh_error err;
    CHECK_INT(fh_cluster_read(stub, &c, &err), FH_OK);
    CHECK_INT(c.n, 3);
    if (c.n == 3) {
        char want[96];
        snprintf(want, sizeof want, "%s/db.shards/0", dir);
        CHECK(!c.shards[0].remote);
        CHECK_STR(c.shards[0].path, want);
        CHECK(c.shards[1].remote);
        CHECK_STR(c.shards[1].host, "10.0.0.12");
        CHECK_INT(c.shards[1].port, 9100);
        CHECK_STR(c.shards[1].label, "remote 10.0.0.12:9100");
        CHECK_STR(c.shards[2].path, "/srv/shard2");
        snprintf(want, sizeof want, "%s/db.shards/names", dir);
        CHECK_STR(c.names, want);
        fh_cluster_free(&c);
    }
    CHECK(fh_cluster_is_stub(stub));
    CHECK(!fh_cluster_is_stub(dir));
}

static void refused(const char *text, const char *why)
{
    fh_cluster c;
    fh_error err;
    CHECK_INT(fh_cluster_read(write_stub(text), &c, &err), FH_ERR_INVALID);
    CHECK_MSG(strstr(err.message, why) != NULL, "\"%s\" lacks \"%s\"", err.message, why);
}

static void bad_lines(void)
{
    refused("auto a\nremote :xapian-progsrv db\n", "line 2");
    refused("remote host\n", "want remote HOST:PORT");
    refused("remote host:70000\n", "want remote HOST:PORT");
    refused("inmemory\n", "not \"inmemory\"");
    refused("# nothing\n#fihris names n\n", "names no database");
    refused("auto a\n#fihris names\n", "want #fihris names PATH");
    fh_cluster c;
    fh_error err;
    CHECK_INT(fh_cluster_read("/nonexistent/stub", &c, &err), FH_ERR_NOT_FOUND);
}

int main(void)
{
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    shards_in_order();
    bad_lines();
    char path[64];
    snprintf(path, sizeof path, "%s/stub", dir);
    unlink(path);
    rmdir(dir);
    return check_result();
}
