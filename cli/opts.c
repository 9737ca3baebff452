/*
 * opts.c - reading the vigil command's options: one table says each option's
 * name, what it takes and its bounds, and one loop reads them for any
 * command (getopt_long); a command lists the options it accepts.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

const char *vigil_cli_default_db(void)
{
    const char *env = getenv("VIGIL_DB");
    return env && *env ? env : "vigil.db";
}

typedef enum {
    K_FLAG,  /* no argument: sets an int to 1 */
    K_TEXT,  /* a string */
    K_TEXTS, /* a string, given up to 8 times (names[], nnames) */
    K_INT,   /* a whole number in [lo, hi] */
    K_REAL,  /* a number in (lo, hi] (hi_open: (lo, hi)) */
    K_CHOICE /* one of the words of choices, separated by '|' */
} opt_kind;

typedef struct {
    const char *name;
    opt_kind kind;
    size_t off; /* where it goes in opts */
    double lo, hi;
    int hi_open;
    const char *choices;
    const char *says; /* what a bad argument is told */
} opt_spec;

#define O(f) offsetof(vigil_cli_opts, f)
static const opt_spec specs[] = {
    {"db", K_TEXT, O(db), 0, 0, 0, NULL, NULL},
    {"lenient", K_FLAG, O(lenient), 0, 0, 0, NULL, NULL},
    {"published", K_TEXT, O(published), 0, 0, 0, NULL, NULL},
    {"json", K_FLAG, O(json), 0, 0, 0, NULL, NULL},
    {"store", K_FLAG, O(store), 0, 0, 0, NULL, NULL},
    {"version", K_INT, O(version), 1, 9e18, 0, NULL, "takes a version id"},
    {"schema", K_TEXT, O(schema), 0, 0, 0, NULL, NULL},
    {"threshold", K_REAL, O(threshold), 0, 1, 0, NULL, "takes a number in (0, 1]"},
    {"explain", K_FLAG, O(explain), 0, 0, 0, NULL, NULL},
    {"names", K_TEXTS, O(names), 0, 0, 0, NULL, NULL},
    {"legal-forms", K_TEXT, O(legal_forms), 0, 0, 0, NULL, NULL},
    {"dob", K_TEXT, O(dob), 0, 0, 0, NULL, NULL},
    {"country", K_TEXT, O(country), 0, 0, 0, NULL, NULL},
    {"gender", K_TEXT, O(gender), 0, 0, 0, NULL, NULL},
    {"id", K_TEXT, O(id), 0, 0, 0, NULL, NULL},
    {"source", K_TEXT, O(source), 0, 0, 0, NULL, NULL},
    {"limit", K_INT, O(limit), 1, 1000, 0, NULL, "takes a number from 1 to 1000"},
    {"threads", K_INT, O(threads), 1, 64, 0, NULL, "takes a number from 1 to 64"},
    {"format", K_CHOICE, O(format), 0, 0, 0, "jsonl|csv|payments", "is jsonl, csv or payments"},
    {"listen", K_TEXT, O(listen), 0, 0, 0, NULL, NULL},
    {"port", K_INT, O(port), 1, 65535, 0, NULL, "takes a number from 1 to 65535"},
    {"admin-token", K_TEXT, O(admin_token), 0, 0, 0, NULL, NULL},
    {"access-log", K_TEXT, O(access_log), 0, 0, 0, NULL, NULL},
    {"host", K_TEXT, O(host), 0, 0, 0, NULL, NULL},
    {"tls-cert", K_TEXT, O(tls_cert), 0, 0, 0, NULL, NULL},
    {"tls-key", K_TEXT, O(tls_key), 0, 0, 0, NULL, NULL},
    {"no-auth", K_FLAG, O(no_auth), 0, 0, 0, NULL, NULL},
    {"four-eyes", K_FLAG, O(four_eyes), 0, 0, 0, NULL, NULL},
    {"key-rate", K_INT, O(key_rate), 1, 1000000, 0, NULL, "takes a number from 1 to 1000000"},
    {"key-concurrency", K_INT, O(key_concurrency), 1, 10000, 0, NULL,
     "takes a number from 1 to 10000"},
    {"max-connections", K_INT, O(max_connections), 16, 1000000, 0, NULL,
     "takes a number from 16 to 1000000"},
    {"body-memory", K_INT, O(body_memory), 16, 65536, 0, NULL,
     "takes a number of MiB from 16 to 65536"},
    {"header-timeout", K_INT, O(header_timeout), 1, 3600, 0, NULL,
     "takes a number of seconds from 1 to 3600"},
    {"body-timeout", K_INT, O(body_timeout), 1, 3600, 0, NULL,
     "takes a number of seconds from 1 to 3600"},
    {"batch-days", K_INT, O(batch_days), 1, 3650, 0, NULL, "takes a number from 1 to 3650"},
    {"force", K_FLAG, O(force), 0, 0, 0, NULL, NULL},
    {"max-shrink", K_REAL, O(max_shrink), 0, 1, 1, NULL, "takes a fraction in (0, 1)"},
    {"open", K_FLAG, O(open_only), 0, 0, 0, NULL, NULL},
    {"full", K_FLAG, O(full), 0, 0, 0, NULL, NULL},
    {"note", K_TEXT, O(note), 0, 0, 0, NULL, NULL},
    {"by", K_TEXT, O(by), 0, 0, 0, NULL, NULL},
    {"role", K_CHOICE, O(role), 0, 0, 0, "screen|analyst|reviewer|admin",
     "is screen, analyst, reviewer or admin"},
};
#undef O
#define NSPECS (int)(sizeof(specs) / sizeof(specs[0]))

/* Reads arg as option s into o. 0, or -1 after a message. */
static int set_opt(vigil_cli_opts *o, const opt_spec *s, const char *arg, const char *cmd)
{
    char *at = (char *)o + s->off, *end = NULL;
    switch (s->kind) {
    case K_FLAG:
        *(int *)(void *)at = 1;
        return 0;
    case K_TEXT:
        *(const char **)(void *)at = arg;
        return 0;
    case K_TEXTS:
        if (o->nnames == 8) {
            fprintf(stderr, "vigil %s: at most 8 --%s files\n", cmd, s->name);
            return -1;
        }
        o->names[o->nnames++] = arg;
        return 0;
    case K_INT: {
        long long v = strtoll(arg, &end, 10);
        if (*end || end == arg || (double)v < s->lo || (double)v > s->hi)
            break;
        *(long long *)(void *)at = v;
        return 0;
    }
    case K_REAL: {
        double v = strtod(arg, &end);
        if (*end || end == arg || !(v > s->lo) || v > s->hi || (s->hi_open && v >= s->hi))
            break;
        *(double *)(void *)at = v;
        return 0;
    }
    case K_CHOICE: {
        size_t n = strlen(arg);
        for (const char *c = s->choices; n && *c;) {
            size_t l = strcspn(c, "|");
            if (l == n && strncmp(c, arg, n) == 0) {
                *(const char **)(void *)at = arg;
                return 0;
            }
            c += l + (c[l] == '|');
        }
        break;
    }
    }
    fprintf(stderr, "vigil %s: --%s %s\n", cmd, s->name, s->says);
    return -1;
}

int vigil_cli_parse_opts(int argc, char **argv, vigil_cli_opts *o, const char *cmd,
                         const char *const *allowed)
{
    static struct option longs[NSPECS + 2];
    for (int i = 0; i < NSPECS; i++)
        longs[i] = (struct option){specs[i].name,
                                   specs[i].kind == K_FLAG ? no_argument : required_argument,
                                   NULL, 1000 + i};
    longs[NSPECS] = (struct option){"help", no_argument, NULL, 'h'};
    memset(o, 0, sizeof(*o));
    o->db = vigil_cli_default_db();
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        if (c == 'h') {
            vigil_cli_usage(stdout);
            exit(0);
        }
        const opt_spec *s = c >= 1000 && c < 1000 + NSPECS ? &specs[c - 1000] : NULL;
        int ok = 0;
        for (const char *const *a = allowed; s && *a && !ok; a++)
            ok = strcmp(*a, s->name) == 0;
        if (!ok) {
            fprintf(stderr, "vigil %s: unknown option %s\n", cmd, argv[optind - 1]);
            return -1;
        }
        if (set_opt(o, s, optarg, cmd) != 0)
            return -1;
    }
    return optind;
}
