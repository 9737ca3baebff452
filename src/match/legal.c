/*
 * legal.c - legal forms: the built-in table and the loaded ones (an
 * org_types.yml: data/, or --legal-forms), each alias prepared as a name
 * is and held under its first word's skeleton, and finding them in a name
 * being prepared (vigil__legal_mark), longest first, a typing error allowed
 * in long words. Design: docs/matching.md.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "match.h"

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* Canonical legal form, its class (1 limited liability, 2 joint stock, 3
 * corporation, 4 partnership, 5 other), and aliases in any script: each
 * alias is prepared like a name, so that it meets names in the same form. */
static const struct {
    const char *canon;
    int cls;
    const char *aliases[10];
} legal_table[] = {
    {"llc",
     1,
     {"LLC", "Limited Liability Company", "Limited Liability Co", "ООО", "OOO",
      "Общество с ограниченной ответственностью", "ТОВ",
      "Товариство з обмеженою відповідальністю", "ТОО", NULL}},
    {"llc",
     1,
     {"Obshchestvo s Ogranichennoy Otvetstvennostyu", "Limited Liability Corporation",
      "LLC Company", NULL}},
    {"gmbh", 1, {"GmbH", "Gesellschaft mit beschränkter Haftung", "GesmbH", NULL}},
    {"srl",
     1,
     {"SRL", "Societatea cu Răspundere Limitată", "Società a responsabilità limitata",
      "Sociedad de Responsabilidad Limitada", "SARL", "Société à responsabilité limitée",
      NULL}},
    {"spzoo", 1, {"Sp. z o.o.", "Spółka z ograniczoną odpowiedzialnością", "Sp z oo", NULL}},
    {"bv", 1, {"BV", "Besloten Vennootschap", NULL}},
    {"ltd",
     1,
     {"Ltd", "Limited", "Pvt Ltd", "Private Limited", "Pte Ltd", "Pte", "Pvt",
      "Private Limited Company", "Company Limited", NULL}},
    {"jsc",
     2,
     {"JSC", "Joint Stock Company", "Joint-Stock Company", "AO", "АО", "Акционерное общество",
      "Aktsionernoe Obshchestvo", "AD", "АД", NULL}},
    {"ojsc",
     2,
     {"OJSC", "OAO", "ОАО", "Open Joint Stock Company", "Открытое акционерное общество", NULL}},
    {"cjsc",
     2,
     {"CJSC", "ZAO", "ЗАО", "Closed Joint Stock Company", "Закрытое акционерное общество",
      NULL}},
    {"pjsc",
     2,
     {"PJSC", "PAO", "ПАО", "Public Joint Stock Company", "Публичное акционерное общество",
      NULL}},
    {"ag", 2, {"AG", "Aktiengesellschaft", NULL}},
    {"sa", 2, {"SA", "Sociedad Anónima", "Société Anonyme", "Sociedade Anónima", "SAS", NULL}},
    /* Lebanon's société anonyme libanaise: OFAC lists dozens of Lebanese
     * companies so ("ELLISSA SAL (HOLDING)") */
    {"sal", 2, {"SAL", "S.A.L.", "Société Anonyme Libanaise", NULL}},
    {"nv", 2, {"NV", "Naamloze Vennootschap", NULL}},
    {"spa", 2, {"SpA", "Società per Azioni", NULL}},
    {"ab", 2, {"AB", "Aktiebolag", "Aktiebolaget", NULL}},
    {"as", 2, {"AS", "A/S", "Aksjeselskap", "Aktieselskab", "ASA", NULL}},
    {"plc", 2, {"PLC", "Public Limited Company", NULL}},
    {"oy", 2, {"Oy", "Oyj", "Osakeyhtiö", NULL}},
    {"pt", 2, {"PT", "Perseroan Terbatas", "Tbk", NULL}},
    {"inc", 3, {"Inc", "Incorporated", NULL}},
    {"corp", 3, {"Corp", "Corporation", NULL}},
    {"co", 3, {"Co", "Company", NULL}},
    {"lp", 4, {"LP", "Limited Partnership", NULL}},
    {"llp", 4, {"LLP", "Limited Liability Partnership", NULL}},
    {"kg", 4, {"KG", "Kommanditgesellschaft", "GmbH & Co KG", NULL}},
    {"fze", 5, {"FZE", "FZCO", "FZ LLC", "Free Zone Establishment", NULL}},
    {"na", 5, {"N.A.", "National Association", NULL}},
};

typedef struct {
    char tok[24][VIGIL__TOKLEN];
    int n;
    char canon[16];  /* canonical form, e.g. "llc" */
    char script[16]; /* an abbreviation's own script when not Latin ("Cyrillic"), else "" */
    /* the alias as the table writes it in brackets ("(yu)", "(유)"), else "" */
    char bracketed[32];
    int cls;      /* its kind: 1 limited liability, 2 joint stock, ... */
    size_t order; /* when it was added: the first of equals wins */
} legal_alias;

static legal_alias *aliases;
static size_t naliases, aliases_cap;
static pthread_once_t legal_once = PTHREAD_ONCE_INIT;

/* Aliases by the skeleton of their first word, so that a name is checked
 * against the few aliases that can start at each of its words, not all of
 * them: lists of alias indices, in the aliases' order. */
typedef struct {
    char skel[VIGIL__TOKLEN];
    uint32_t *ids;
    size_t n, cap;
} alias_bucket;
static alias_bucket *buckets;
static size_t nbuckets; /* a power of two, or 0 */

static alias_bucket *bucket_of(const char *skel, int create)
{
    if (!nbuckets)
        return NULL;
    size_t k = vigil__hash64(skel) & (nbuckets - 1);
    while (buckets[k].ids || buckets[k].cap) {
        if (strcmp(buckets[k].skel, skel) == 0)
            return &buckets[k];
        k = (k + 1) & (nbuckets - 1);
    }
    if (!create)
        return NULL;
    snprintf(buckets[k].skel, sizeof(buckets[k].skel), "%s", skel);
    return &buckets[k];
}

/* Rebuilds the buckets after aliases were added. */
static int index_aliases(void)
{
    for (size_t i = 0; i < nbuckets; i++)
        free(buckets[i].ids);
    free(buckets);
    nbuckets = 1;
    while (nbuckets < naliases * 2)
        nbuckets *= 2;
    buckets = calloc(nbuckets, sizeof(*buckets));
    if (!buckets) {
        nbuckets = 0;
        return -1;
    }
    for (size_t a = 0; a < naliases; a++) {
        char sk[VIGIL__TOKLEN];
        uint8_t sl;
        vigil__skeleton(aliases[a].tok[0], sk, &sl);
        alias_bucket *b = bucket_of(sk, 1);
        if (b->n == b->cap) {
            size_t nc = b->cap ? b->cap * 2 : 4;
            uint32_t *ni = realloc(b->ids, nc * sizeof(uint32_t));
            if (!ni)
                return -1;
            b->ids = ni;
            b->cap = nc;
        }
        b->ids[b->n++] = (uint32_t)a;
    }
    return 0;
}

static vigil__set64 alias_seen; /* the hashes of the aliases held */

/* An abbreviation of a legal form written in another script than Latin
 * ("ГУ", "МОУ", "ИП") is one of names written, at least in part, in that
 * script: read into Latin it is a short word that other names hold ("hu",
 * "mou" of a Chinese name), while a long form read into Latin is a
 * transliterated legal form ("Blahodiynyy fond") */
#define SHORT_ALIAS 3

/* The lines of a derived table being written (vigil__legal_derive): an
 * alias read into Latin is written there instead of being added. */
typedef struct {
    char *text;
    size_t len, cap;
    int err;
} derived;

static void derived_put(derived *d, const char *s)
{
    size_t n = strlen(s);
    if (d->err)
        return;
    if (d->len + n + 1 > d->cap) {
        size_t nc = (d->len + n + 1) * 2;
        char *t = realloc(d->text, nc);
        if (!t) {
            d->err = 1;
            return;
        }
        d->text = t;
        d->cap = nc;
    }
    memcpy(d->text + d->len, s, n + 1);
    d->len += n;
}

/* Adds one alias of a legal form, already read into Latin (latin), prepared
 * like a name; script and bracketed as legal_alias keeps them. 0, or -1
 * (memory). */
static int add_latin_alias(const char *latin, const char *script, const char *bracketed,
                           const char *canon, int cls)
{
    if (naliases == aliases_cap) {
        size_t ncap = aliases_cap ? aliases_cap * 2 : 256;
        legal_alias *na = realloc(aliases, ncap * sizeof(*na));
        if (!na)
            return -1;
        aliases = na;
        aliases_cap = ncap;
    }
    legal_alias *la = &aliases[naliases];
    la->n = vigil__tokenize(latin, VIGIL__CLASS_ORG, la->tok, 24);
    snprintf(la->canon, sizeof(la->canon), "%s", canon);
    snprintf(la->script, sizeof(la->script), "%s", script);
    snprintf(la->bracketed, sizeof(la->bracketed), "%s", bracketed);
    la->cls = cls;
    la->order = naliases;
    /* an alias of one letter would eat initials ("A. B. Holdings"), one of a
     * number the numbers that must agree ("Fund II") */
    if (la->n > 0 &&
        !(la->n == 1 && (strlen(la->tok[0]) < 2 || vigil__roman_value(la->tok[0]) >= 0 ||
                         vigil__all_digits(la->tok[0]))))
        naliases++;
    /* an alias held already (another reading that reads the same, the same
     * table loaded twice) is one: the set of the aliases' hashes */
    if (la == &aliases[naliases - 1]) {
        /* an abbreviation kept to its script is not the same alias as its
         * Latin spelling ("ЧВК" and "ChVK") */
        uint64_t h =
            (vigil__hash64(la->canon) ^ vigil__hash64(la->script)) * 0x9e3779b97f4a7c15ull;
        for (int k = 0; k < la->n; k++)
            h = vigil__hash_mix(h, vigil__hash64(la->tok[k]) + 0x9e3779b97f4a7c15ull +
                                       (h << 6) + (h >> 2));
        h = h ? h : 1;
        int added = vigil__set64_add(&alias_seen, h);
        if (added < 0)
            return -1;
        if (!added)
            naliases--;
    }
    return 0;
}

/* Adds one alias of a legal form, read as lang (VIGIL__LANG_*), of kind cls
 * (generic: the table's tag it came from, "" for none); into out instead
 * when a derived table is being written. 0, or -1 (memory). */
static int add_alias_as(const char *alias, int lang, const char *canon, int cls,
                        const char *generic, derived *out)
{
    char latin[1024];
    if (vigil__to_latin_as(alias, lang, latin, sizeof(latin)) != 0)
        return 0;
    /* an abbreviation (one word of SHORT_ALIAS letters or fewer) in another
     * script than Latin */
    int letters = 0, one_word = 1;
    for (const unsigned char *p = (const unsigned char *)alias; *p; p++) {
        letters += (*p & 0xC0) != 0x80 && *p != ' ' && *p != '.';
        one_word &= *p != ' ';
    }
    const char *script = vigil__script_of(alias);
    if (!(one_word && letters <= SHORT_ALIAS && strcmp(script, "Latin") != 0))
        script = "";
    /* An alias the table writes in brackets is a marker written so, as a
     * Korean company's "(유)" (yuhan hoesa) before its name: a legal form
     * only in brackets. Without them it is a word like any other, and
     * "yu" is the family name of millions ("Yu Holding SA"). */
    size_t alen = strlen(alias);
    const char *bracketed = alen > 2 && alen < sizeof(((legal_alias *)0)->bracketed) &&
                                    alias[0] == '(' && alias[alen - 1] == ')'
                                ? alias
                                : "";
    if (!out)
        return add_latin_alias(latin, script, bracketed, canon, cls);
    /* a line of the derived table: canon, kind (its tag, which numbers it
     * as loading numbers tags), script, bracketed, the Latin reading */
    char kind[80], line[1400];
    if (generic[0])
        snprintf(kind, sizeof(kind), "g:%s", generic);
    else
        snprintf(kind, sizeof(kind), "%d", cls);
    snprintf(line, sizeof(line), "%s\t%s\t%s\t%s\t%s\n", canon, kind, script, bracketed, latin);
    derived_put(out, line);
    return out->err ? -1 : 0;
}

/* Adds an alias in every reading a name holding it may be given: a
 * Cyrillic alias is read as each language reads Cyrillic, since the name
 * around it decides the reading ("ООО" in a Ukrainian company's name). */
static int add_alias(const char *alias, const char *canon, int cls, const char *generic,
                     derived *out)
{
    if (vigil__cyrillic_lang(alias) == VIGIL__LANG_ANY)
        return add_alias_as(alias, VIGIL__LANG_ANY, canon, cls, generic, out);
    for (int lang = 0; lang < VIGIL__LANGS; lang++)
        if (add_alias_as(alias, lang, canon, cls, generic, out) != 0)
            return -1;
    return 0;
}

static int cmp_alias(const void *x, const void *y)
{
    const legal_alias *a = x, *b = y;
    if (a->n != b->n)
        return b->n - a->n;
    return (a->order > b->order) - (a->order < b->order);
}

/* Longest alias first, so "joint stock company" wins over "company"; among
 * equals, the first added. Then the index. */
static void sort_aliases(void)
{
    qsort(aliases, naliases, sizeof(*aliases), cmp_alias);
    if (index_aliases() != 0)
        nbuckets = 0;
}

/* The aliases of the table above, into out (or the aliases, NULL). 0, or
 * -1 (memory). */
static int table_aliases(derived *out)
{
    for (size_t i = 0; i < sizeof(legal_table) / sizeof(legal_table[0]); i++)
        for (const char *const *a = legal_table[i].aliases; *a; a++)
            if (add_alias(*a, legal_table[i].canon, legal_table[i].cls, "", out) != 0)
                return -1;
    return 0;
}

/* The kind of a legal form named by a table's "generic" tag: the built-in
 * kinds for the tags that are theirs, new ones from 10 on. */
static int kind_of_generic(const char *g)
{
    static char seen[64][16];
    static int nseen;
    if (!*g)
        return 0;
    if (vigil__ieq(g, "LLC"))
        return 1;
    if (vigil__ieq(g, "JSC"))
        return 2;
    if (vigil__ieq(g, "LP") || vigil__ieq(g, "LLP") || vigil__ieq(g, "GP"))
        return 4;
    for (int i = 0; i < nseen; i++)
        if (vigil__ieq(seen[i], g))
            return 10 + i;
    if (nseen == 64)
        return 9;
    snprintf(seen[nseen], sizeof(seen[0]), "%s", g);
    return 10 + nseen++;
}

/* The value of "key: value" (quotes removed) in place, or NULL. */
static char *yaml_value(char *line, const char *key)
{
    char *p = line;
    while (*p == ' ' || *p == '-')
        p++;
    size_t k = strlen(key);
    if (strncmp(p, key, k) != 0 || p[k] != ':')
        return NULL;
    p += k + 1;
    while (*p == ' ')
        p++;
    char *hash_c = strstr(p, " #"); /* a comment */
    if (hash_c)
        *hash_c = '\0';
    size_t n = strlen(p);
    while (n && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' '))
        p[--n] = '\0';
    if (n >= 2 && (p[0] == '"' || p[0] == '\'') && p[n - 1] == p[0]) {
        p[n - 1] = '\0';
        p++;
    }
    return p;
}

/* The next line of text[*at..len) into line (cap bytes; a longer one is cut
 * and the rest read as lines of their own, as fgets would). NULL at the end. */
static char *next_line(const char *text, size_t len, size_t *at, char *line, size_t cap)
{
    if (*at >= len)
        return NULL;
    const char *nl = memchr(text + *at, '\n', len - *at);
    size_t n = nl ? (size_t)(nl - (text + *at)) + 1 : len - *at;
    if (n >= cap)
        n = cap - 1;
    memcpy(line, text + *at, n);
    line[n] = '\0';
    *at += n;
    return line;
}

/* Reads a legal-form table in the layout of org_types.yml from len bytes
 * at text. Returns the number of types, or a VIGIL_ERR_*. */
static int legal_parse(const char *text, size_t len, derived *out, uint64_t *fp)
{
    /* The layout of org_types.yml: a list of types, each with display,
     * generic, compare and a list of aliases, two spaces per level. Lines of
     * any other shape are comments or what vigil does not use. */
    char line[2048], canon[16] = "", display[256] = "", generic[64] = "";
    enum { MAX_PENDING = 512, ALIAS_LEN = 512 };
    char(*pending)[ALIAS_LEN] = malloc(sizeof(char[MAX_PENDING][ALIAS_LEN]));
    if (!pending)
        return VIGIL_ERR_NOMEM;
    size_t at = 0;
    int npending = 0, kind = 0, types = 0, rc = 0;
    int in_aliases = 0;
    for (;;) {
        char *ok = next_line(text, len, &at, line, sizeof(line));
        if (ok && fp)
            *fp = vigil__match_data_fold(*fp, line);
        else if (ok)
            vigil__match_data_mix(1, line);
        int new_type = ok && strncmp(line, "  - display:", 12) == 0;
        if ((new_type || !ok) && display[0]) {
            /* the type ends: its canonical form is its "compare" if any,
             * else its display name, lower-cased and without dots */
            size_t k = 0;
            for (const char *c = canon[0] ? canon : display; *c && k + 1 < sizeof(canon); c++)
                if (*c != '.' && *c != ' ')
                    canon[k++] = (char)tolower((unsigned char)*c);
            canon[k] = '\0';
            /* the display name is a form written, unless the aliases write
             * it only in brackets (display "yu", alias "(yu)") */
            int display_bracketed = 0;
            for (int i = 0; i < npending; i++)
                display_bracketed |=
                    pending[i][0] == '(' &&
                    strncasecmp(pending[i] + 1, display, strlen(display)) == 0 &&
                    strcmp(pending[i] + 1 + strlen(display), ")") == 0;
            if (!display_bracketed)
                rc |= add_alias(display, canon, kind, generic, out);
            for (int i = 0; i < npending; i++)
                rc |= add_alias(pending[i], canon, kind, generic, out);
            types++;
            display[0] = canon[0] = generic[0] = '\0';
            npending = 0;
            kind = 0;
            in_aliases = 0;
        }
        if (!ok)
            break;
        char *v;
        if (new_type && (v = yaml_value(line, "display")) != NULL)
            snprintf(display, sizeof(display), "%s", v);
        else if ((v = yaml_value(line, "generic")) != NULL) {
            /* (a derived table keeps the tag: the kind is numbered as it
             * is loaded) */
            snprintf(generic, sizeof(generic), "%s", v);
            kind = out ? 0 : kind_of_generic(v);
        } else if ((v = yaml_value(line, "compare")) != NULL)
            snprintf(canon, sizeof(canon), "%s", v);
        else if (strncmp(line, "    aliases:", 12) == 0)
            in_aliases = 1;
        else if (in_aliases && strncmp(line, "      - ", 8) == 0 && npending < MAX_PENDING) {
            char *a = line + 8;
            char *hash_c = strstr(a, " #"); /* a comment */
            if (hash_c)
                *hash_c = '\0';
            size_t n = strlen(a);
            while (n && (a[n - 1] == '\n' || a[n - 1] == '\r' || a[n - 1] == ' '))
                a[--n] = '\0';
            if (n >= 2 && (a[0] == '"' || a[0] == '\'') && a[n - 1] == a[0]) {
                a[n - 1] = '\0';
                a++;
            }
            snprintf(pending[npending++], sizeof(pending[0]), "%s", a);
        }
    }
    free(pending);
    if (types == 0)
        return VIGIL_ERR_FORMAT;
    if (!out)
        sort_aliases();
    vigil__translit_release();
    return rc ? VIGIL_ERR_NOMEM : types;
}

int vigil__legal_derive(const char *yaml, size_t len, char **text, size_t *text_len)
{
    derived d = {NULL, 0, 0, 0};
    uint64_t fp = VIGIL__HASH_START;
    derived_put(&d,
                "# vigil's built-in legal forms: the table of src/match/legal.c and\n"
                "# data/org_types.yml, each alias read into Latin in every reading.\n"
                "# Written by `make data` (tools/legaldata.c); do not edit.\n"
                "# canon, kind (g:TAG for a tag of org_types.yml), script, bracketed, Latin\n");
    int rc = table_aliases(&d) == 0 ? legal_parse(yaml, len, &d, &fp) : VIGIL_ERR_NOMEM;
    char line[64];
    snprintf(line, sizeof(line), "fp\t%016llx\n", (unsigned long long)fp);
    derived_put(&d, line);
    if (rc < 0 || d.err) {
        free(d.text);
        return rc < 0 ? rc : VIGIL_ERR_NOMEM;
    }
    *text = d.text;
    *text_len = d.len;
    return VIGIL_OK;
}

/* Loads the derived table built in (vigil__legal_derive's lines): no
 * transliterator is opened, each alias being read into Latin already. The
 * fingerprint of org_types.yml's lines comes with it, so that the data's
 * fingerprint is the one reading the YAML would give. */
static void build_legal(void)
{
    const char *t = (const char *)vigil__data_legal_forms;
    size_t len = vigil__data_legal_forms_len, at = 0;
    char line[2048];
    while (next_line(t, len, &at, line, sizeof(line))) {
        line[strcspn(line, "\r\n")] = '\0';
        char *f[5], *rest = line;
        int n = 0;
        while (n < 5 && rest)
            f[n++] = strsep(&rest, "\t");
        if (n == 2 && strcmp(f[0], "fp") == 0)
            vigil__match_data_start(1, strtoull(f[1], NULL, 16));
        else if (n == 5 && line[0] != '#') {
            int kind = strncmp(f[1], "g:", 2) == 0 ? kind_of_generic(f[1] + 2) : atoi(f[1]);
            if (add_latin_alias(f[4], f[2], f[3], f[0], kind) != 0)
                break;
        }
    }
    sort_aliases();
}

void vigil__legal_builtin(void)
{
    pthread_once(&legal_once, build_legal);
}

#define LEGAL_FILE_MAX (64u << 20) /* a table is a few hundred kilobytes */

int vigil_legal_forms_load(const char *path)
{
    if (!path)
        return VIGIL_ERR_ARG;
    vigil__legal_builtin(); /* what a file adds goes on top */
    char *text = NULL;
    size_t len = 0;
    int rc = vigil__read_data_file(path, LEGAL_FILE_MAX, &text, &len);
    if (rc == VIGIL_OK)
        rc = legal_parse(text, len, NULL, NULL);
    free(text);
    return rc;
}

/* Tokens equal, or one typing error apart for words of 6 letters or more
 * (legal forms are often misspelt: "Aktiengeselschaft", "Joynt"). */
static int legal_word_eq(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    size_t n = strlen(a), m = strlen(b);
    if (n < 5 || m < 5)
        return 0;
    size_t k = n >= 10 ? 2 : 1;
    /* cheap bounds first (most pairs are far apart): the distance is at
     * least the difference in length, and at least the longer length less
     * the characters the two have in common */
    if ((n > m ? n - m : m - n) > k || n >= VIGIL__TOKLEN || m >= VIGIL__TOKLEN)
        return 0;
    int cnt[256] = {0};
    for (size_t i = 0; i < n; i++)
        cnt[(unsigned char)a[i]]++;
    size_t same = 0;
    for (size_t i = 0; i < m; i++)
        if (cnt[(unsigned char)b[i]]-- > 0)
            same++;
    if ((n > m ? n : m) - same > k)
        return 0;
    uint32_t ca[VIGIL__TOKLEN], cb[VIGIL__TOKLEN];
    for (size_t i = 0; i < n; i++)
        ca[i] = (unsigned char)a[i];
    for (size_t i = 0; i < m; i++)
        cb[i] = (unsigned char)b[i];
    return vigil__damerau(ca, n, cb, m) <= k;
}

/* 1 when s holds w, ASCII letters compared without case. */
static int contains_nocase(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; s && *s; s++)
        if (strncasecmp(s, w, n) == 0)
            return 1;
    return 0;
}

void vigil__legal_mark(vigil__pname *o, char toks[][VIGIL__TOKLEN], int n, int *used,
                       const char *src)
{
    const char *scripts[8];
    int nscripts = vigil__scripts_of(src, scripts, 8);
    pthread_once(&legal_once, build_legal);
    /* legal forms, longest alias first, anywhere in the name */
    /* the aliases that may start at one of the name's words */
    uint32_t cand[512];
    size_t nc = 0;
    for (int i = 0; i < n; i++) {
        char sk[VIGIL__TOKLEN];
        uint8_t sl;
        vigil__skeleton(toks[i], sk, &sl);
        const alias_bucket *b = bucket_of(sk, 0);
        for (size_t k = 0; b && k < b->n && nc < 512; k++)
            cand[nc++] = b->ids[k];
    }
    qsort(cand, nc, sizeof(uint32_t), cmp_u32);
    for (size_t c = 0; c < nc; c++) {
        if (c > 0 && cand[c] == cand[c - 1])
            continue;
        const legal_alias *la = &aliases[cand[c]];
        int written = !la->script[0]; /* SHORT_ALIAS */
        for (int k = 0; k < nscripts && !written; k++)
            written = strcmp(scripts[k], la->script) == 0;
        if (!written || (la->bracketed[0] && !contains_nocase(src, la->bracketed)))
            continue;
        for (int i = 0; i + la->n <= n; i++) {
            int ok = 1;
            for (int k = 0; k < la->n && ok; k++)
                ok = !used[i + k] && legal_word_eq(toks[i + k], la->tok[k]);
            if (!ok)
                continue;
            /* a lone legal-form word is the name itself ("Co" of "Co
             * Ltd" aside) only when nothing else is there */
            for (int k = 0; k < la->n; k++)
                used[i + k] = 1;
            const char *canon = la->canon;
            int dup = 0;
            for (int k = 0; k < o->nlegal; k++)
                dup |= strcmp(o->legal[k], canon) == 0;
            if (!dup && o->nlegal < VIGIL__MAX_LEGAL) {
                snprintf(o->legal[o->nlegal], sizeof(o->legal[0]), "%s", canon);
                o->legal_class[o->nlegal++] = la->cls;
            }
        }
    }
}
