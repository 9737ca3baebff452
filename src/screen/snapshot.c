/*
 * snapshot.c - a built screening engine saved next to its database and read
 * back, so that a process starts screening without preparing every listed
 * name again (building takes seconds; reading the saved engine a fraction of
 * one). Design: docs/screening.md, "Saved engine".
 *
 * The file is a cache: whatever is wrong with it (absent, written by another
 * build, for other list versions, with other name data, damaged), the engine
 * is built from the database as if it were not there, and saved again. It is
 * read whole into one buffer; the names' prepared forms, texts, entity strings
 * and index lists are used where they lie in it. Every length and offset read
 * is checked against the buffer, a checksum covers the body, and a sample of
 * names is prepared again and compared byte for byte (the preparation code or
 * its data may have changed since the file was written).
 *
 * Layout (native byte order and sizes; the header records the sizes):
 *   head | versions | sources | entities | names | meta | index
 * each part padded to 8 bytes. An entity is its struct (pointers zeroed),
 * its dates of birth, then its strings; a name its struct, the size of its prepared form, the
 * form, then its text; the index its used slots as key, count, names.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"

#define MAGIC "VIGILIX\0"
#define FORMAT 9
#define SAMPLE 64 /* names prepared again to check the file */

typedef struct {
    char magic[8];
    uint32_t format, pname_head, tok_size, entity_size, name_size;
    uint32_t nsources;
    uint64_t data_fp;
    uint64_t nents, nnames, nused;
    uint64_t versions_len;
    uint64_t body_len, body_sum;
} head;

/* Sets what a header says of the build and the data that wrote it: the
 * magic, the format, the structures' sizes, the name-data fingerprint. A
 * file is read only when these are what stamp gives now. */
static void stamp(head *h)
{
    memcpy(h->magic, MAGIC, 8);
    h->format = FORMAT;
    h->pname_head = (uint32_t)offsetof(vigil__pname, tok);
    h->tok_size = (uint32_t)sizeof(vigil__tok);
    h->entity_size = (uint32_t)sizeof(vigil__entity);
    h->name_size = (uint32_t)sizeof(vigil__ename);
    h->data_fp = vigil__match_data_fp();
}

/* ------------------------------------------------------------ checksum */

#define SUM_START VIGIL__HASH_START

/* Adds p[0..n) to the checksum h. Calls over consecutive pieces give the
 * checksum of the whole when every piece but the last is a multiple of 8. */
static uint64_t sum_more(uint64_t h, const char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = vigil__hash_mix(h, w); /* FNV-1a over 8 bytes at a time */
        h ^= h >> 29;
    }
    return vigil__hash64_more(h, p + i, n - i);
}

static uint64_t checksum(const char *p, size_t n)
{
    return sum_more(SUM_START, p, n);
}

/* -------------------------------------------------------------- writing */

/* The file written through a buffer whose flushes (64 KiB, a multiple of 8)
 * add to the body's checksum: memory stays small however large the engine. */
typedef struct {
    FILE *f;
    char buf[1 << 16];
    size_t n;
    uint64_t at; /* bytes written so far, the header included */
    uint64_t sum;
    int err;
} buf;

static void flush(buf *b)
{
    if (!b->err && b->n && fwrite(b->buf, 1, b->n, b->f) != b->n)
        b->err = 1;
    b->sum = sum_more(b->sum, b->buf, b->n);
    b->n = 0;
}

static void put(buf *b, const void *p, size_t n)
{
    const char *s = p;
    while (n && !b->err) {
        size_t k = sizeof(b->buf) - b->n < n ? sizeof(b->buf) - b->n : n;
        memcpy(b->buf + b->n, s, k);
        b->n += k;
        b->at += k;
        s += k;
        n -= k;
        if (b->n == sizeof(b->buf))
            flush(b);
    }
}

static void pad(buf *b)
{
    static const char zero[8] = {0};
    put(b, zero, (size_t)((8 - b->at % 8) % 8));
}

static void put_str(buf *b, const char *s)
{
    put(b, s ? s : "", strlen(s ? s : "") + 1);
}

int vigil__snapshot_save(const vigil_engine *e, const char *path)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof(tmp))
        return -1;
    buf *b = calloc(1, sizeof(*b));
    if (!b)
        return -1;
    b->f = fopen(tmp, "wb");
    b->sum = SUM_START;
    head h;
    memset(&h, 0, sizeof(h));
    /* the header is written again at the end, with the body's length and sum */
    if (!b->f || fwrite(&h, 1, sizeof(h), b->f) != sizeof(h))
        b->err = 1;
    b->at = sizeof(h);
    put_str(b, e->versions);
    pad(b);
    put(b, e->sources, sizeof(e->sources[0]) * (size_t)e->nsources);
    pad(b);
    for (size_t i = 0; i < e->nents; i++) {
        vigil__entity en = e->ents[i];
        en.source_id = en.caption = NULL;
        en.ids = NULL;
        en.dates = NULL;
        put(b, &en, sizeof(en));
        put(b, e->ents[i].dates, sizeof(vigil__date) * (size_t)en.ndates);
        put_str(b, e->ents[i].source_id);
        put_str(b, e->ents[i].caption);
        for (int k = 0; k < en.nids; k++)
            put_str(b, e->ents[i].ids[k]);
        pad(b);
    }
    for (size_t i = 0; i < e->nnames; i++) {
        const vigil__ename *src = &e->names[i];
        vigil__ename nm = *src;
        nm.p = NULL;
        nm.text = NULL;
        put(b, &nm, sizeof(nm));
        uint64_t psize = offsetof(vigil__pname, tok) + (size_t)src->p->n * sizeof(vigil__tok) +
                         src->p->text_len;
        put(b, &psize, sizeof(psize));
        put(b, src->p, psize);
        pad(b);
        put_str(b, src->text);
        pad(b);
    }
    put(b, e->meta, e->nnames);
    pad(b);
    uint64_t nused = 0;
    for (size_t i = 0; i < e->index_cap; i++) {
        const vigil__posting *p = &e->index[i];
        if (!p->key)
            continue;
        uint64_t n = p->n;
        put(b, &p->key, sizeof(p->key));
        put(b, &n, sizeof(n));
        put(b, p->ids, sizeof(uint32_t) * p->n);
        pad(b);
        nused++;
    }
    flush(b);
    stamp(&h);
    h.nsources = (uint32_t)e->nsources;
    h.nents = e->nents;
    h.nnames = e->nnames;
    h.nused = nused;
    h.versions_len = strlen(e->versions) + 1;
    h.body_len = b->at - sizeof(h);
    h.body_sum = b->sum;
    int ok =
        !b->err && fseek(b->f, 0, SEEK_SET) == 0 && fwrite(&h, 1, sizeof(h), b->f) == sizeof(h);
    ok = b->f && fclose(b->f) == 0 && ok;
    free(b);
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

/* -------------------------------------------------------------- reading */

typedef struct {
    char *base;
    size_t at, len;
} cursor;

/* The next n bytes, or NULL when the file is too short. */
static void *take(cursor *c, size_t n)
{
    if (n > c->len - c->at)
        return NULL;
    void *p = c->base + c->at;
    c->at += n;
    return p;
}

static int skip_pad(cursor *c)
{
    size_t n = (8 - c->at % 8) % 8;
    return take(c, n) || n == 0 ? 0 : -1;
}

/* The next NUL-terminated string, or NULL. */
static char *take_str(cursor *c)
{
    char *s = c->base + c->at;
    char *end = memchr(s, '\0', c->len - c->at);
    if (!end)
        return NULL;
    c->at += (size_t)(end - s) + 1;
    return s;
}

/* 1 when the text at offset at of a prepared form of size bytes lies in it. */
static int text_ok(const vigil__pname *p, size_t size, size_t head_len, uint16_t at)
{
    if (!at)
        return 1;
    if (at < head_len || at >= size)
        return 0;
    return memchr((const char *)p + at, '\0', size - at) != NULL;
}

/* 1 when p, size bytes read from the file, is a prepared form that the
 * matcher can read without leaving it. */
static int pname_ok(const vigil__pname *p, size_t size)
{
    if (size < offsetof(vigil__pname, tok) || p->n < 0 || p->n > VIGIL__MAX_TOKENS ||
        p->cls < 0 || p->cls > 2 || p->nlegal < 0 || p->nlegal > VIGIL__MAX_LEGAL ||
        p->jlen >= 128)
        return 0;
    size_t head_len = offsetof(vigil__pname, tok) + (size_t)p->n * sizeof(vigil__tok);
    if (head_len + p->text_len != size)
        return 0;
    if (!text_ok(p, size, head_len, p->latin_at) || !text_ok(p, size, head_len, p->joined_at) ||
        !text_ok(p, size, head_len, p->jskel_at))
        return 0;
    for (int i = 0; i < VIGIL__MAX_TOKENS; i++)
        if (!text_ok(p, size, head_len, p->alt_at[i]))
            return 0;
    for (int i = 0; i < p->n; i++) {
        const vigil__tok *t = &p->tok[i];
        if (t->len >= VIGIL__TOKLEN || t->slen >= VIGIL__TOKLEN ||
            memchr(t->t, '\0', VIGIL__TOKLEN) == NULL ||
            memchr(t->skel, '\0', VIGIL__TOKLEN) == NULL)
            return 0;
    }
    for (int i = 0; i < p->nlegal; i++)
        if (memchr(p->legal[i], '\0', sizeof(p->legal[i])) == NULL)
            return 0;
    return 1;
}

static int read_all(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *data = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size > (long)sizeof(head) && fseek(f, 0, SEEK_SET) == 0)
        data = malloc((size_t)size);
    int ok = data && fread(data, 1, (size_t)size, f) == (size_t)size;
    fclose(f);
    if (!ok) {
        free(data);
        return -1;
    }
    *out = data;
    *len = (size_t)size;
    return 0;
}

static int load(vigil_engine *e, cursor *c, const head *h)
{
    if (!take(c, sizeof(head)) || !take_str(c) || skip_pad(c) != 0)
        return -1;
    if (h->nsources > MAX_SOURCES)
        return -1;
    const char *src = take(c, sizeof(e->sources[0]) * h->nsources);
    if (!src || skip_pad(c) != 0)
        return -1;
    memcpy(e->sources, src, sizeof(e->sources[0]) * h->nsources);
    e->nsources = (int)h->nsources;
    for (int i = 0; i < e->nsources; i++)
        if (!memchr(e->sources[i], '\0', sizeof(e->sources[i])))
            return -1;
    /* the counts are bounded by the file's size before anything is sized by them */
    if (h->nents > c->len / sizeof(vigil__entity) ||
        h->nnames > c->len / sizeof(vigil__ename) || h->nused > c->len / 16)
        return -1;
    /* the table sized by the keys it holds, at most half full */
    size_t cap = 1024;
    while (cap < h->nused * 2)
        cap *= 2;
    e->ents = calloc(h->nents ? h->nents : 1, sizeof(vigil__entity));
    e->names = calloc(h->nnames ? h->nnames : 1, sizeof(vigil__ename));
    e->meta = malloc(h->nnames ? h->nnames : 1);
    e->index = calloc(cap, sizeof(vigil__posting));
    if (!e->ents || !e->names || !e->meta || !e->index)
        return -1;
    e->index_cap = cap;
    for (size_t i = 0; i < h->nents; i++) {
        const vigil__entity *en = take(c, sizeof(vigil__entity));
        if (!en)
            return -1;
        vigil__entity *to = &e->ents[e->nents++];
        *to = *en;
        /* the file's pointers are nothing: set before anything can fail */
        to->source_id = to->caption = NULL;
        to->ids = NULL;
        to->dates = NULL;
        int nids = to->nids;
        to->nids = 0;
        if (to->ndates < 0 || to->ndates > MAX_DATES)
            return -1;
        if (to->ndates && !(to->dates = take(c, sizeof(vigil__date) * (size_t)to->ndates)))
            return -1;
        to->source_id = take_str(c);
        to->caption = take_str(c);
        if (!to->source_id || !to->caption || to->src >= e->nsources || nids < 0 ||
            nids > 4096 || to->ndates < 0 || to->ndates > MAX_DATES || to->ncountries < 0 ||
            to->ncountries > MAX_COUNTRIES || to->cls < 0 || to->cls > 2 ||
            !memchr(to->schema, '\0', sizeof(to->schema)))
            return -1;
        for (int k = 0; k < to->ncountries; k++)
            if (!memchr(to->countries[k], '\0', sizeof(to->countries[k])))
                return -1;
        if (nids) {
            to->ids = calloc((size_t)nids, sizeof(char *));
            if (!to->ids)
                return -1;
            for (int k = 0; k < nids; k++)
                if (!(to->ids[to->nids++] = take_str(c)))
                    return -1;
        }
        if (skip_pad(c) != 0)
            return -1;
    }
    for (size_t i = 0; i < h->nnames; i++) {
        const vigil__ename *nm = take(c, sizeof(vigil__ename));
        const uint64_t *psize = take(c, sizeof(uint64_t));
        if (!nm || !psize || *psize > VIGIL__PNAME_TEXT + sizeof(vigil__pname))
            return -1;
        vigil__pname *p = take(c, (size_t)*psize);
        if (!p || skip_pad(c) != 0 || !pname_ok(p, (size_t)*psize))
            return -1;
        vigil__ename *to = &e->names[e->nnames++];
        *to = *nm;
        to->text = NULL;
        to->p = p;
        to->text = take_str(c);
        if (!to->text || skip_pad(c) != 0 || to->ent >= e->nents || to->cls > 2 ||
            to->reading > 1 || to->src >= e->nsources || p->cls != to->cls)
            return -1;
    }
    const uint8_t *meta = take(c, e->nnames);
    if (!meta || skip_pad(c) != 0)
        return -1;
    memcpy(e->meta, meta, e->nnames);
    for (size_t i = 0; i < h->nused; i++) {
        const uint64_t *key = take(c, sizeof(uint64_t));
        const uint64_t *n = take(c, sizeof(uint64_t));
        if (!key || !*key || !n || *n > e->nnames)
            return -1;
        uint32_t *ids = take(c, sizeof(uint32_t) * (size_t)*n);
        if (!ids || skip_pad(c) != 0)
            return -1;
        for (uint64_t k = 0; k < *n; k++)
            if (ids[k] >= e->nnames)
                return -1;
        size_t at = *key & (e->index_cap - 1);
        while (e->index[at].key && e->index[at].key != *key)
            at = (at + 1) & (e->index_cap - 1);
        if (e->index[at].key)
            return -1; /* a key twice */
        e->index[at] = (vigil__posting){*key, ids, (uint32_t)*n, (uint32_t)*n};
        e->index_used++;
    }
    return c->at == c->len ? 0 : -1;
}

/* 1 when a sample of e's names prepares now as it was saved. */
static int sample_ok(const vigil_engine *e)
{
    vigil__pname *p = malloc(sizeof(*p));
    int ok = p != NULL;
    size_t step = e->nnames / SAMPLE + 1;
    for (size_t i = 0; ok && i < e->nnames; i += step) {
        const vigil__ename *nm = &e->names[i];
        ok = vigil__name_prepare_as(nm->text, nm->cls, vigil__engine_name_lang(nm), p) == 0;
        vigil__pname *c = ok ? vigil__pname_copy(p) : NULL;
        size_t size = offsetof(vigil__pname, tok) + (size_t)nm->p->n * sizeof(vigil__tok) +
                      nm->p->text_len;
        ok = c && c->n == nm->p->n && c->text_len == nm->p->text_len &&
             memcmp(c, nm->p, size) == 0;
        free(c);
    }
    free(p);
    return ok;
}

/* Why a saved engine was not read, for vigil_engine_open_file's caller. */
static void say(char *err, size_t errlen, const char *why)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", why);
}

/* Reads the saved engine in data (len bytes) into e (zeroed), checking that
 * it was saved by this build with the name data loaded now, for versions
 * (NULL: whatever versions the file says), and (verify_sum) its checksum.
 * data is malloc'd, or (mapped) a read-only mapping of the file: either way
 * e keeps it, or it is let go. 0, or -1 with the reason in err. */
static int snapshot_read(vigil_engine *e, char *data, size_t len, const char *versions,
                         int verify_sum, int mapped, char *err, size_t errlen)
{
    memset(e, 0, sizeof(*e));
    e->blob = data;
    e->blob_len = len;
    e->blob_mapped = mapped;
    head h;
    memset(&h, 0, sizeof(h));
    if (len >= sizeof(head))
        memcpy(&h, data, sizeof(h));
    head now;
    memset(&now, 0, sizeof(now));
    stamp(&now);
    const char *file_versions = len > sizeof(head) ? data + sizeof(head) : NULL;
    if (file_versions && !memchr(file_versions, '\0', len - sizeof(head)))
        file_versions = NULL;
    int ok = 0;
    if (len < sizeof(head) || memcmp(h.magic, now.magic, 8) != 0)
        say(err, errlen, "not a saved vigil engine");
    else if (h.format != now.format || h.pname_head != now.pname_head ||
             h.tok_size != now.tok_size || h.entity_size != now.entity_size ||
             h.name_size != now.name_size)
        say(err, errlen, "written by another build of vigil: run vigil load again");
    else if (h.data_fp != now.data_fp)
        say(err, errlen, "written with other name data (vigil load --names or --legal-forms?)");
    else if (h.body_len != len - sizeof(head) || !file_versions ||
             h.versions_len != strlen(file_versions) + 1)
        say(err, errlen, "damaged: its length is not what its header says");
    else if (versions && strcmp(versions, file_versions) != 0)
        say(err, errlen, "written for other list versions");
    else if (verify_sum && checksum(data + sizeof(head), len - sizeof(head)) != h.body_sum)
        say(err, errlen, "damaged: its checksum does not match");
    else {
        cursor c = {data, 0, len};
        ok = load(e, &c, &h) == 0;
        if (!ok)
            say(err, errlen, "damaged: its contents do not check");
        else if (!(ok = sample_ok(e)))
            say(err, errlen,
                "its names prepare differently in this build: run vigil load again");
        else if (!(ok = (e->versions = strdup(file_versions)) != NULL))
            say(err, errlen, "out of memory");
    }
    if (!ok) {
        vigil__engine_free_parts(e);
        memset(e, 0, sizeof(*e));
        return -1;
    }
    return 0;
}

int vigil__snapshot_load(vigil_engine *e, const char *path, const char *versions)
{
    char *data;
    size_t len;
    memset(e, 0, sizeof(*e));
    if (read_all(path, &data, &len) != 0)
        return -1;
    return snapshot_read(e, data, len, versions, 1, 0, NULL, 0);
}

int vigil_engine_open_file(const char *path, vigil_engine **out, char *err, size_t errlen)
{
    say(err, errlen, "");
    if (!out)
        return VIGIL_ERR_ARG;
    *out = NULL;
    if (!path || !*path) {
        say(err, errlen, "no file named");
        return VIGIL_ERR_ARG;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        say(err, errlen, fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        return VIGIL_ERR_IO;
    }
    if ((uint64_t)st.st_size <= sizeof(head) || (uint64_t)st.st_size > SIZE_MAX) {
        close(fd);
        say(err, errlen, "not a saved vigil engine");
        return VIGIL_ERR_FORMAT;
    }
    size_t len = (size_t)st.st_size;
    /* shared and read-only: every process mapping the file reads the same
     * pages of the page cache, and nothing can write them */
    void *data = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
    close(fd); /* the mapping holds the file, even once another replaces it */
    if (data == MAP_FAILED) {
        if (err && errlen)
            snprintf(err, errlen, "cannot be mapped: %s", strerror(errno));
        return VIGIL_ERR_IO;
    }
    vigil_engine *e = malloc(sizeof(*e));
    if (!e) {
        munmap(data, len);
        say(err, errlen, "out of memory");
        return VIGIL_ERR_NOMEM;
    }
    if (snapshot_read(e, data, len, NULL, 1, 1, err, errlen) != 0) {
        free(e);
        return VIGIL_ERR_FORMAT;
    }
    *out = e;
    return VIGIL_OK;
}

void vigil__snapshot_fuzz(const uint8_t *data, size_t size)
{
    if (size < sizeof(head))
        return;
    char *copy = malloc(size);
    if (!copy)
        return;
    memcpy(copy, data, size);
    /* what would turn every mutated input away at the door is made right:
     * the build's sizes, the name data, the body's length; the versions are
     * whatever the file says */
    head h;
    memcpy(&h, copy, sizeof(h));
    stamp(&h);
    h.body_len = size - sizeof(head);
    memcpy(copy, &h, sizeof(h));
    const char *v = copy + sizeof(head);
    char *versions = memchr(v, '\0', size - sizeof(head)) ? strdup(v) : NULL;
    vigil_engine *e = calloc(1, sizeof(*e));
    if (versions && e && snapshot_read(e, copy, size, versions, 0, 0, NULL, 0) == 0) {
        /* what was read must be usable: screen with it */
        static const char *const names[] = {"John Doe", "Mohammed Ali", "OOO Romashka"};
        for (int i = 0; i < 3; i++) {
            vigil_query q = {names[i], NULL, "1960", "ru", NULL, "12345", NULL, 0, 5};
            vigil_hits hits;
            if (vigil_screen(e, &q, &hits) == VIGIL_OK) {
                char *j = vigil_hits_json(&hits);
                vigil_free(j);
                vigil_hits_free(&hits);
            }
        }
        vigil_engine_close(e);
    } else {
        if (!versions || !e)
            free(copy);
        free(e);
    }
    free(versions);
}
