/*
 * replay.c - runs every file of fuzz/corpus/<target>/ through its parser,
 * strict and lenient, without a fuzzer, under the sanitizers (make test).
 * A crash, leak or sanitizer report fails the run. Prints one line per target.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "../cli/request.h"
#include "batch_target.h"
#include "targets.h"

static int replay_dir(const char *root, const char *name, const vigil__list_format *fmt,
                      size_t *count)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/%s", root, name);
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: cannot read %s\n", dir);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        if (ents[i]->d_name[0] != '.') {
            char path[2048];
            snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
            char *data = NULL;
            size_t len = 0;
            char msg[256];
            if (vigil__read_file(path, &data, &len, msg, sizeof(msg)) == VIGIL_OK) {
                if (strcmp(name, "compare") == 0) {
                    fuzz_compare((const uint8_t *)data, len);
                } else if (strcmp(name, "batch") == 0) {
                    fuzz_batch((const uint8_t *)data, len);
                } else if (strcmp(name, "snapshot") == 0) {
                    vigil__snapshot_fuzz((const uint8_t *)data, len);
                } else if (strcmp(name, "iso20022") == 0 || strcmp(name, "mt") == 0) {
                    fuzz_message((const uint8_t *)data, len);
                } else if (strcmp(name, "request") == 0) {
                    vigil_match_request r;
                    char why[512];
                    if (vigil_match_request_parse(data, len, &r, why, sizeof(why)) == 0)
                        vigil_match_request_free(&r);
                } else {
                    fuzz_one(fmt, (const uint8_t *)data, len, 0);
                    fuzz_one(fmt, (const uint8_t *)data, len, 1);
                }
                (*count)++;
            }
            free(data);
        }
        free(ents[i]);
    }
    free(ents);
    return 0;
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : "fuzz/corpus";
    int bad = 0;
    /* each list format's corpus (the table of src/lists/formats.c), then
     * detection's */
    size_t count;
    for (const vigil__list_format *const *f = vigil__list_formats; *f; f++) {
        if (!(*f)->fuzz)
            continue;
        count = 0;
        bad |= replay_dir(root, (*f)->fuzz, *f, &count);
        printf("replayed %zu corpus files through %s\n", count, (*f)->fuzz);
        if (count == 0)
            bad = 1;
    }
    static const char *const others[] = {"detect",  "compare",  "snapshot",
                                         "request", "iso20022", "mt"};
    for (int i = 0; i < 6; i++) {
        count = 0;
        bad |= replay_dir(root, others[i], NULL, &count);
        printf("replayed %zu corpus files through %s\n", count, others[i]);
        if (count == 0)
            bad = 1;
    }
    /* batch writes result lines to standard output and a summary to standard
     * error: both to /dev/null while it runs */
    fflush(stdout);
    int out = dup(1), err = dup(2);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    count = 0;
    bad |= replay_dir(root, "batch", NULL, &count);
    fflush(stdout);
    fflush(stderr);
    dup2(out, 1);
    dup2(err, 2);
    close(null);
    close(out);
    close(err);
    printf("replayed %zu corpus files through batch\n", count);
    if (count == 0)
        bad = 1;
    batch_done();
    vigil_thread_done();
    return bad;
}
