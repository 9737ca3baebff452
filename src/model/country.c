/*
 * country.c - country names and codes as the lists write them, to ISO 3166-1
 * alpha-2.
 *
 * The base table comes from ICU: every ISO region code with its English name
 * and alpha-3 code. On top of it, the forms the lists use that ICU does not
 * spell: UN official names ("Iran (Islamic Republic of)"), OFAC's inverted
 * ones ("Korea, North", "Man, Isle of") and older names ("Burma"). Keys are
 * compared folded: diacritics dropped, lower case, punctuation as spaces,
 * "&" as "and". The table is built once, then only read (thread-safe).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "../internal.h"

typedef struct {
    char key[96];
    char code[3];
    size_t order; /* insertion order: our aliases win over ICU on equal keys */
} entry;

static entry *table;
static size_t ntable;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Forms used by the UN, EU, UK and OFAC lists that ICU's English names lack. */
static const char *const aliases[][2] = {
    {"bahamas the", "BS"},
    {"the bahamas", "BS"},
    {"burma", "MM"},
    {"myanmar", "MM"},
    {"congo democratic republic of the", "CD"},
    {"democratic republic of the congo", "CD"},
    {"democratic republic of congo", "CD"},
    {"congo republic of the", "CG"},
    {"republic of the congo", "CG"},
    {"congo", "CG"},
    {"ivory coast", "CI"},
    {"czech republic", "CZ"},
    {"democratic people s republic of korea", "KP"},
    {"korea north", "KP"},
    {"korea democratic people s republic of", "KP"},
    {"dprk", "KP"},
    {"korea south", "KR"},
    {"republic of korea", "KR"},
    {"korea republic of", "KR"},
    {"iran", "IR"},
    {"iran islamic republic of", "IR"},
    {"islamic republic of iran", "IR"},
    {"laos", "LA"},
    {"lao people s democratic republic", "LA"},
    {"macau", "MO"},
    {"macao", "MO"},
    {"macedonia the former yugoslav republic of", "MK"},
    {"the former yugoslav republic of macedonia", "MK"},
    {"macedonia", "MK"},
    {"man isle of", "IM"},
    {"palestinian", "PS"},
    {"state of palestine", "PS"},
    {"palestine", "PS"},
    {"occupied palestinian territory", "PS"},
    {"west bank", "PS"},
    {"gaza", "PS"},
    {"region gaza", "PS"},
    {"gaza strip", "PS"},
    {"russia", "RU"},
    {"russian federation", "RU"},
    {"syria", "SY"},
    {"syrian arab republic", "SY"},
    {"taiwan", "TW"},
    {"taiwan province of china", "TW"},
    {"tanzania", "TZ"},
    {"united republic of tanzania", "TZ"},
    {"tanzania united republic of", "TZ"},
    {"the gambia", "GM"},
    {"gambia the", "GM"},
    {"turkey", "TR"},
    {"turkiye", "TR"},
    {"united kingdom", "GB"},
    {"united kingdom of great britain and northern ireland", "GB"},
    {"uk", "GB"},
    {"great britain", "GB"},
    {"united states", "US"},
    {"united states of america", "US"},
    {"usa", "US"},
    {"venezuela", "VE"},
    {"venezuela bolivarian republic of", "VE"},
    {"bolivarian republic of venezuela", "VE"},
    {"viet nam", "VN"},
    {"vietnam", "VN"},
    {"virgin islands british", "VG"},
    {"british virgin islands", "VG"},
    {"china hong kong special administrative region", "HK"},
    {"hong kong special administrative region", "HK"},
    {"hong kong", "HK"},
    {"china macao special administrative region", "MO"},
    {"bolivia", "BO"},
    {"bolivia plurinational state of", "BO"},
    {"moldova", "MD"},
    {"republic of moldova", "MD"},
    {"moldova republic of", "MD"},
    {"brunei", "BN"},
    {"brunei darussalam", "BN"},
    {"cabo verde", "CV"},
    {"cape verde", "CV"},
    {"kosovo", "XK"},
    {"micronesia", "FM"},
    {"micronesia federated states of", "FM"},
    {"swaziland", "SZ"},
    {"eswatini", "SZ"},
    {"holy see", "VA"},
    {"sao tome and principe", "ST"},
    {"saint kitts and nevis", "KN"},
    {"saint vincent and the grenadines", "VC"},
    {"saint lucia", "LC"},
    {"region crimea", "UA"},
    {"crimea", "UA"},
    {"region northern mali", "ML"},
    {"netherlands antilles", "AN"},
    {"curacao", "CW"},
    {"sint maarten", "SX"},
    {"timor leste", "TL"},
    {"east timor", "TL"},
    {"libyan arab jamahiriya", "LY"},
    {"kyrgyz republic", "KG"},
    {"slovak republic", "SK"},
    {"north macedonia", "MK"},
    {"united arab emirates", "AE"},
    {"uae", "AE"},
    {"saudi arabia", "SA"},
    {"bosnia and herzegovina", "BA"},
    {"bosnia herzegovina", "BA"},
    {"trinidad and tobago", "TT"},
    {"antigua and barbuda", "AG"},
    {"saint helena", "SH"},
    {"falkland islands", "FK"},
    {"vatican", "VA"},
    {"soviet union", "SU"},
    {"ussr", "SU"},
    {"yugoslavia", "YU"},
    {"serbia and montenegro", "CS"},
    {"czechoslovakia", "CS"},
};

/* Appends character c to key at *w: letters and digits lower-cased, "&" as
 * the word "and", anything else a separator (*sep). */
static void fold_char(unsigned c, char *key, size_t *w, int *sep)
{
    if (c < 0x80 && isalnum((int)c)) {
        if (*sep && *w > 0)
            key[(*w)++] = ' ';
        *sep = 0;
        key[(*w)++] = (char)tolower((int)c);
    } else if (c == '&') {
        if (*w > 0)
            key[(*w)++] = ' ';
        memcpy(key + *w, "and", 3);
        *w += 3;
        *sep = 1;
    } else {
        *sep = 1;
    }
}

/* Folds s into key: NFD, marks dropped, then fold_char. ASCII, the usual
 * case, skips ICU. */
static void fold(const char *s, char *key, size_t size)
{
    size_t w = 0;
    int sep = 0;
    const unsigned char *a = (const unsigned char *)s;
    while (*a && *a < 0x80)
        a++;
    if (!*a) {
        for (a = (const unsigned char *)s; *a && w + 5 < size; a++)
            fold_char(*a, key, &w, &sep);
        key[w] = '\0';
        return;
    }
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    UChar in[256], out[512];
    int32_t n16 = 0;
    u_strFromUTF8(in, 256, &n16, s, -1, &st);
    if (U_FAILURE(st) || n16 >= 256) {
        key[0] = '\0';
        return;
    }
    int32_t nout = unorm2_normalize(nfd, in, n16, out, 512, &st);
    if (U_FAILURE(st))
        nout = 0;
    for (int32_t i = 0; i < nout && w + 5 < size; i++)
        if (u_charType(out[i]) != U_NON_SPACING_MARK)
            fold_char(out[i], key, &w, &sep);
    key[w] = '\0';
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

static int cmp_entry(const void *a, const void *b)
{
    int c = cmp_key(a, b);
    if (c)
        return c;
    size_t x = ((const entry *)a)->order, y = ((const entry *)b)->order;
    return (x > y) - (x < y);
}

static void add(size_t *cap, const char *key_src, const char *code, int folded)
{
    if (ntable == *cap) {
        size_t ncap = *cap ? *cap * 2 : 1024;
        entry *t = realloc(table, ncap * sizeof(entry));
        if (!t)
            return;
        table = t;
        *cap = ncap;
    }
    entry *e = &table[ntable];
    if (folded)
        snprintf(e->key, sizeof(e->key), "%s", key_src);
    else
        fold(key_src, e->key, sizeof(e->key));
    if (!e->key[0])
        return;
    memcpy(e->code, code, 2);
    e->code[2] = '\0';
    e->order = ntable;
    ntable++;
}

static void build(void)
{
    size_t cap = 0;
    /* Our aliases first: with a stable pick of the first equal key below they
     * win over ICU's names. */
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        add(&cap, aliases[i][0], aliases[i][1], 1);
    for (const char *const *c = uloc_getISOCountries(); *c; c++) {
        char loc[16], iso3[8], lower[8];
        UChar uname[128];
        char name[256];
        snprintf(loc, sizeof(loc), "und_%s", *c);
        UErrorCode st = U_ZERO_ERROR;
        int32_t n = uloc_getDisplayCountry(loc, "en", uname, 128, &st);
        if (U_SUCCESS(st) && n > 0) {
            u_strToUTF8(name, sizeof(name), NULL, uname, n, &st);
            if (U_SUCCESS(st)) {
                add(&cap, name, *c, 0);
                /* "Myanmar (Burma)", "Congo - Kinshasa": the part before the
                 * bracket or dash is a name too */
                char *cut = strpbrk(name, "(");
                if (cut && cut > name) {
                    *cut = '\0';
                    add(&cap, name, *c, 0);
                }
            }
        }
        snprintf(lower, sizeof(lower), "%c%c", tolower((unsigned char)(*c)[0]),
                 tolower((unsigned char)(*c)[1]));
        add(&cap, lower, *c, 1);
        const char *i3 = uloc_getISO3Country(loc);
        if (i3 && strlen(i3) == 3) {
            snprintf(iso3, sizeof(iso3), "%c%c%c", tolower((unsigned char)i3[0]),
                     tolower((unsigned char)i3[1]), tolower((unsigned char)i3[2]));
            add(&cap, iso3, *c, 1);
        }
    }
    qsort(table, ntable, sizeof(entry), cmp_entry);
}

const char *vigil__country_code(const char *name)
{
    if (!name || !*name)
        return NULL;
    /* "na" in lower case is "not available" in the lists (NA, upper case, is
     * Namibia) */
    if (strcmp(name, "na") == 0 || vigil__ieq(name, "n/a"))
        return NULL;
    pthread_once(&once, build);
    if (!table)
        return NULL;
    entry probe;
    fold(name, probe.key, sizeof(probe.key));
    if (!probe.key[0])
        return NULL;
    entry *e = bsearch(&probe, table, ntable, sizeof(entry), cmp_key);
    if (!e)
        return NULL;
    while (e > table && strcmp(e[-1].key, probe.key) == 0)
        e--; /* the first of equal keys is the one added first */
    return e->code;
}

const char *vigil_country_code(const char *name)
{
    return name ? vigil__country_code(name) : NULL;
}
