/*
 * name.c - preparing a name for comparison: transliterated to lower-case
 * ASCII (translit.c), split into tokens, with honorifics dropped, particles
 * and common names weighted low, initials and numbers marked, legal forms of
 * organisations taken out and canonicalised, and a consonant skeleton for each
 * token. Design: docs/matching.md.
 */
#include <ctype.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "weights.h"

/* Words that say who someone is, not who: dropped from person names. */
static const char *const honorifics[] = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "sheikh", "shaikh", "shaykh", "sheik",
    "haji", "hajji", "hadji", "alhaj", "alhajj", "mullah", "mulla", "maulavi", "mawlawi",
    "maulvi", "maulana", "mawlana", "mufti", "imam", "president", "general", "gen", "colonel",
    "col", "major", "captain", "capt", "lieutenant", "lt", "prince", "princess", "king",
    "queen", "emir", "amir ul", "hon", "honourable", "rev", "reverend", "qari", "hafiz", "jr",
    "sr", "mme", "mlle", "herr", "frau", "gospodin",
    /* a title of descent from the Prophet before a name ("Sayyid Ali
     * Khamenei"), as Sheikh is; inside a name a particle (below) */
    "sayyid", "syed", "sayed", "seyed", "seyyed", "sayyed", NULL};

/* The honorifics that follow a name. */
static int is_suffix(const char *w)
{
    return !strcmp(w, "jr") || !strcmp(w, "sr");
}

/* Particles: kept, but proving little. */
static const char *const particles[] = {
    "al",  "el",  "bin",  "ibn", "ben",    "bint", "binti", "abu",   "abou",   "abd",
    "ul",  "ur",  "ud",   "van", "von",    "der",  "den",   "de",    "da",     "di",
    "du",  "la",  "le",   "del", "della",  "dos",  "das",   "do",    "y",      "e",
    "ter", "ten", "op",   "zu",  "sayyid", "syed", "sayed", "seyed", "seyyed", "sayyed",
    "mac", "mc",  "ould", "ag",  "wa",     "bte",  "bt",    "s",     "o",      NULL};

/* Given names so common in the lists that sharing one proves little. */
static const char *const common[] = {
    "mohammed",  "muhammad", "mohammad", "mohamed",  "muhammed", "mohamad", "ahmad",
    "ahmed",     "ali",      "abdul",    "abdullah", "abdallah", "hassan",  "hasan",
    "hussein",   "husain",   "ibrahim",  "omar",     "umar",     "khan",    "kim",
    "lee",       "park",     "yusuf",    "mahmoud",  "mahmud",   "ismail",  "mustafa",
    "abdel",     "salem",    "saleh",    "khalid",   "said",     "nasser",  "alexander",
    "aleksandr", "vladimir", "sergey",   "sergei",   "igor",     "andrey",  "andrei",
    "dmitry",    "dmitriy",  "john",     "jose",     "juan",     "maria",   "luis",
    "carlos",    "wang",     "li",       "zhang",    "chen",     "liu",     NULL};

/* Abbreviations of given names, read as the name written in full: Malaysian
 * and Singaporean documents write Muhammad "Mohd" or "Muhd". */
static const char *const abbreviations[][2] = {
    {"mohd", "muhammad"}, {"muhd", "muhammad"}, {"mohmd", "muhammad"}, {"mhd", "muhammad"}};

static const char *unabbreviate(const char *w)
{
    for (size_t i = 0; i < sizeof(abbreviations) / sizeof(abbreviations[0]); i++)
        if (strcmp(w, abbreviations[i][0]) == 0)
            return abbreviations[i][1];
    return w;
}

/* Organisation words that carry no identity. */
static const char *const org_stop[] = {"the", "of",  "and", "for", "in", "des", "et",
                                       "und", "der", "die", "das", "y",  "la",  "le",
                                       "les", "de",  "du",  "del", NULL};

/* The word lists above, and the number words and Roman numerals below, in
 * one hash table: a token is looked up once, not compared with each list
 * entry (those scans were a third of the time spent preparing a name). */
enum {
    W_HONORIFIC = 1,
    W_PARTICLE = 2,
    W_COMMON = 4,
    W_ORG_STOP = 8,
    W_NUMBER = 16,
    W_ROMAN = 32
};
typedef struct {
    const char *w;
    uint8_t flags;
    int8_t number, roman; /* the value as a number word / Roman numeral */
} word_info;
#define WORDS_CAP 512 /* a power of two, over twice the words */
static word_info words[WORDS_CAP];
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static word_info *word_slot(const char *w)
{
    size_t i = (size_t)vigil__hash64(w) & (WORDS_CAP - 1);
    while (words[i].w && strcmp(words[i].w, w) != 0)
        i = (i + 1) & (WORDS_CAP - 1);
    return &words[i];
}

static void add_word(const char *w, uint8_t flag, int value)
{
    word_info *x = word_slot(w); /* WORDS_CAP leaves free slots: a probe ends */
    x->w = w;
    x->flags |= flag;
    if (flag == W_NUMBER)
        x->number = (int8_t)value;
    if (flag == W_ROMAN)
        x->roman = (int8_t)value;
}

static void build_words(void);

/* The flags of word w (W_*), 0 for none; its values in *info when not NULL. */
static unsigned word_flags(const char *w, const word_info **info)
{
    pthread_once(&words_once, build_words);
    const word_info *x = word_slot(w);
    if (info)
        *info = x;
    return x->w ? x->flags : 0;
}

/* -------------------------------------------------------------- tokens */

static const struct {
    const char *w;
    int v;
} number_words[] = {
    {"zero", 0},     {"one", 1},      {"two", 2},        {"three", 3},     {"four", 4},
    {"five", 5},     {"six", 6},      {"seven", 7},      {"eight", 8},     {"nine", 9},
    {"ten", 10},     {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},
    {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
    {"twenty", 20},  {"thirty", 30},  {"forty", 40},     {"fourty", 40},   {"fifty", 50},
    {"sixty", 60},   {"seventy", 70}, {"eighty", 80},    {"ninety", 90},   {"first", 1},
    {"second", 2},   {"third", 3},    {"fourth", 4},     {"fifth", 5},     {"1st", 1},
    {"2nd", 2},      {"3rd", 3},      {"4th", 4},        {"5th", 5},
};

static int number_value(const char *w)
{
    const word_info *x;
    return word_flags(w, &x) & W_NUMBER ? x->number : -1;
}

/* Roman numerals from II to XX: fund and vessel numbers ("Fund XII").
 * I, V and X alone are too often letters. */
static const char *const roman_numerals[] = {"ii",  "iii",  "iv",    "vi",   "vii", "viii",
                                             "ix",  "xi",   "xii",   "xiii", "xiv", "xv",
                                             "xvi", "xvii", "xviii", "xix",  "xx"};
static const int roman_values[] = {2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
_Static_assert(sizeof(roman_numerals) / sizeof(roman_numerals[0]) ==
                   sizeof(roman_values) / sizeof(roman_values[0]),
               "one value per numeral");

int vigil__roman_value(const char *w)
{
    const word_info *x;
    return word_flags(w, &x) & W_ROMAN ? x->roman : -1;
}

static void build_words(void)
{
    const char *const *lists[] = {honorifics, particles, common, org_stop};
    const uint8_t flags[] = {W_HONORIFIC, W_PARTICLE, W_COMMON, W_ORG_STOP};
    for (int l = 0; l < 4; l++)
        for (const char *const *w = lists[l]; *w; w++)
            add_word(*w, flags[l], 0);
    for (size_t i = 0; i < sizeof(number_words) / sizeof(number_words[0]); i++)
        add_word(number_words[i].w, W_NUMBER, number_words[i].v);
    for (size_t i = 0; i < sizeof(roman_values) / sizeof(roman_values[0]); i++)
        add_word(roman_numerals[i], W_ROMAN, roman_values[i]);
}

/* East Slavic patronymics: "Vladimirovich", "Oleksandrovych", "Ivanovna". */
static int is_patronymic(const char *w)
{
    static const char *const ends[] = {"ovich", "evich", "ovych", "evych", "ovna", "evna",
                                       "ivna",  "ichna", "ovitj", "ovic",  "evic", NULL};
    size_t n = strlen(w);
    for (const char *const *e = ends; *e; e++) {
        size_t l = strlen(*e);
        if (n > l + 2 && strcmp(w + n - l, *e) == 0)
            return 1;
    }
    return 0;
}

int vigil__all_digits(const char *w)
{
    if (!*w)
        return 0;
    for (; *w; w++)
        if (!isdigit((unsigned char)*w))
            return 0;
    return 1;
}

/* Letters that stand for digits in names typed by people or machines
 * ("Ig0r Sech1n"). Applied only to tokens mixing the two in person names. */
static void unleet(char *w)
{
    int letters = 0, digits = 0;
    for (char *p = w; *p; p++) {
        letters += isalpha((unsigned char)*p) != 0;
        digits += isdigit((unsigned char)*p) != 0;
    }
    if (!letters || !digits)
        return;
    static const char from[] = "0134578", to[] = "oieastb";
    for (char *p = w; *p; p++) {
        const char *f = strchr(from, *p);
        if (f && *p)
            *p = to[f - from];
    }
}

static void push_tok(char toks[][VIGIL__TOKLEN], int *n, int max, const char *s, size_t len)
{
    if (len == 0 || *n >= max)
        return;
    if (len >= VIGIL__TOKLEN)
        len = VIGIL__TOKLEN - 1;
    memcpy(toks[*n], s, len);
    toks[*n][len] = '\0';
    (*n)++;
}

/* Splits a raw word holding dots: "a.b.c." is "abc", "j.p." is "jp", "co."
 * is "co", "st.petersburg" is two words. */
static void push_raw(char toks[][VIGIL__TOKLEN], int *n, int max, const char *s, size_t len)
{
    char buf[128];
    size_t k = 0;
    for (size_t i = 0; i < len && k < sizeof(buf) - 1; i++)
        if (s[i] != '\'' && s[i] != '`')
            buf[k++] = s[i];
    buf[k] = '\0';
    if (!strchr(buf, '.')) {
        push_tok(toks, n, max, buf, k);
        return;
    }
    int singles = 1, pieces = 0;
    for (char *p = buf; *p;) {
        size_t pl = strcspn(p, ".");
        if (pl > 1)
            singles = 0;
        if (pl)
            pieces++;
        p += pl;
        if (*p)
            p++;
    }
    if (singles && pieces > 1) {
        char joined[64];
        size_t j = 0;
        for (char *p = buf; *p && j < sizeof(joined) - 1; p++)
            if (*p != '.')
                joined[j++] = *p;
        push_tok(toks, n, max, joined, j);
        return;
    }
    for (char *p = buf; *p;) {
        size_t pl = strcspn(p, ".");
        push_tok(toks, n, max, p, pl);
        p += pl;
        if (*p)
            p++;
    }
}

int vigil__tokenize(const char *latin, int cls, char toks[][VIGIL__TOKLEN], int max)
{
    int n = 0;
    const char *p = latin;
    while (*p && n < max) {
        while (*p && !isalnum((unsigned char)*p) && *p != '&' && *p != '\'')
            p++;
        if (!*p)
            break;
        if (*p == '&') {
            push_tok(toks, &n, max, "and", 3);
            p++;
            continue;
        }
        const char *s = p;
        while (*p && (isalnum((unsigned char)*p) || *p == '.' || *p == '\''))
            p++;
        push_raw(toks, &n, max, s, (size_t)(p - s));
    }
    if (cls == VIGIL__CLASS_PERSON)
        for (int i = 0; i < n; i++)
            unleet(toks[i]);
    return n;
}

/* The consonant skeleton: digraphs folded, vowels (and y, w, v) dropped,
 * repeats collapsed. Spellings of one name across romanisations share it:
 * Mohammed, Muhammad, mhmd; Hussein, Husayn; Somchai, smchay. */
void vigil__skeleton(const char *t, char *out, uint8_t *len)
{
    size_t k = 0;
    for (size_t i = 0; t[i] && k < VIGIL__TOKLEN - 2; i++) {
        char c = t[i], nx = t[i + 1];
        char o = 0;
        if ((c == 'p' && nx == 'h')) {
            o = 'f';
            i++;
        } else if (nx == 'h' && strchr("sczkgtd", c) && c) {
            o = c == 'z' ? 'j' : c == 'c' ? 'c' : c == 'g' ? 'k' : c;
            i++;
        } else if (c == 'c' && nx == 'k') {
            o = 'k';
            i++;
        } else if (c == 'd' && nx == 'j') {
            /* French spellings write j's sound dj (Djamel, Djermane for
             * Jamal, Jarman) */
            o = 'j';
            i++;
        } else if (strchr("aeiouywv", c)) {
            continue;
        } else if (c == 'q' || c == 'g' || (c == 'c' && nx != 'h')) {
            o = 'k';
        } else if (c == 'z') {
            o = 's';
        } else if (c == 'x' && i == 0) {
            o = 's'; /* pinyin x, Spanish/Portuguese initial x: "Xi", "Shi" */
        } else if (c == 'x') {
            if (k < VIGIL__TOKLEN - 3)
                out[k++] = 'k';
            o = 's';
        } else if (isalnum((unsigned char)c)) {
            o = c;
        }
        if (o && (k == 0 || out[k - 1] != o))
            out[k++] = o;
    }
    out[k] = '\0';
    *len = (uint8_t)k;
}

/* Korean surnames as their usual romanisation: Hangul-Latin gives the
 * Revised Romanisation ("i", "bag", "gim"), names in the lists use these. */
static const char *const korean_surnames[][2] = {
    {"김", "kim"},   {"이", "lee"},  {"박", "park"}, {"최", "choi"}, {"정", "jung"},
    {"강", "kang"},  {"조", "cho"},  {"윤", "yoon"}, {"장", "jang"}, {"임", "lim"},
    {"한", "han"},   {"오", "oh"},   {"서", "seo"},  {"신", "shin"}, {"권", "kwon"},
    {"황", "hwang"}, {"안", "ahn"},  {"송", "song"}, {"류", "ryu"},  {"전", "jeon"},
    {"홍", "hong"},  {"고", "ko"},   {"문", "moon"}, {"양", "yang"}, {"손", "son"},
    {"배", "bae"},   {"백", "baek"}, {"허", "heo"},  {"유", "yoo"},  {"남", "nam"},
    {"심", "shim"},  {"노", "noh"},  {"하", "ha"},   {"곽", "kwak"}, {"성", "sung"},
    {"차", "cha"},   {"주", "joo"},  {"우", "woo"},  {"구", "koo"},  {"민", "min"},
    {"리", "ri"},    {"현", "hyun"}, {"변", "byun"}, {"채", "chae"}, {"원", "won"},
};

/* Japanese family names and given names in kanji, with their usual
 * romanisation: ICU reads kanji in Mandarin ("山田" as "shan tian"), which is
 * never how a Japanese name is written in Latin letters. */
static const char *const japanese_surnames[][2] = {
    {"佐藤", "sato"},       {"鈴木", "suzuki"},    {"高橋", "takahashi"}, {"田中", "tanaka"},
    {"伊藤", "ito"},        {"渡辺", "watanabe"},  {"山本", "yamamoto"},  {"中村", "nakamura"},
    {"小林", "kobayashi"},  {"加藤", "kato"},      {"吉田", "yoshida"},   {"山田", "yamada"},
    {"佐々木", "sasaki"},   {"山口", "yamaguchi"}, {"松本", "matsumoto"}, {"井上", "inoue"},
    {"木村", "kimura"},     {"斎藤", "saito"},     {"斉藤", "saito"},     {"清水", "shimizu"},
    {"山崎", "yamazaki"},   {"池田", "ikeda"},     {"橋本", "hashimoto"}, {"阿部", "abe"},
    {"安倍", "abe"},        {"石川", "ishikawa"},  {"山下", "yamashita"}, {"中島", "nakajima"},
    {"石井", "ishii"},      {"小川", "ogawa"},     {"前田", "maeda"},     {"岡田", "okada"},
    {"長谷川", "hasegawa"}, {"藤田", "fujita"},    {"後藤", "goto"},      {"近藤", "kondo"},
    {"村上", "murakami"},   {"遠藤", "endo"},      {"青木", "aoki"},      {"坂本", "sakamoto"},
    {"福田", "fukuda"},     {"太田", "ota"},       {"西村", "nishimura"}, {"藤井", "fujii"},
    {"金子", "kaneko"},     {"岡本", "okamoto"},   {"藤原", "fujiwara"},  {"中野", "nakano"},
    {"三浦", "miura"},      {"原田", "harada"},    {"中川", "nakagawa"},  {"松田", "matsuda"},
    {"竹内", "takeuchi"},   {"小野", "ono"},       {"田村", "tamura"},    {"中山", "nakayama"},
    {"和田", "wada"},       {"石田", "ishida"},    {"森田", "morita"},    {"上田", "ueda"},
    {"内田", "uchida"},     {"柴田", "shibata"},   {"酒井", "sakai"},     {"工藤", "kudo"},
    {"横山", "yokoyama"},   {"宮崎", "miyazaki"},  {"宮本", "miyamoto"},  {"岸田", "kishida"},
    {"麻生", "aso"},        {"石破", "ishiba"},    {"野田", "noda"},      {"鳩山", "hatoyama"},
    {"小泉", "koizumi"},    {"河野", "kono"},      {"茂木", "motegi"},    {"菅原", "sugawara"},
};
static const char *const japanese_given[][2] = {
    {"太郎", "taro"},     {"次郎", "jiro"},   {"一郎", "ichiro"},    {"三郎", "saburo"},
    {"花子", "hanako"},   {"洋子", "yoko"},   {"陽子", "yoko"},      {"恵子", "keiko"},
    {"幸子", "sachiko"},  {"京子", "kyoko"},  {"裕子", "yuko"},      {"明美", "akemi"},
    {"健一", "kenichi"},  {"健二", "kenji"},  {"大輔", "daisuke"},   {"翔太", "shota"},
    {"拓也", "takuya"},   {"直樹", "naoki"},  {"和也", "kazuya"},    {"達也", "tatsuya"},
    {"晋三", "shinzo"},   {"文雄", "fumio"},  {"義偉", "yoshihide"}, {"純一郎", "junichiro"},
    {"由紀夫", "yukio"},  {"太一", "taichi"}, {"健太", "kenta"},     {"美咲", "misaki"},
    {"真由美", "mayumi"}, {"直人", "naoto"},  {"博", "hiroshi"},     {"浩", "hiroshi"},
    {"清", "kiyoshi"},    {"誠", "makoto"},   {"茂", "shigeru"},     {"勇", "isamu"},
    {"修", "osamu"},      {"豊", "yutaka"},   {"勝", "masaru"},      {"正", "tadashi"},
};
/* Korean family names in hanja: the same characters are Chinese names too,
 * so the Korean reading is an alternative, not a replacement. */
static const char *const hanja_surnames[][2] = {
    {"金", "kim"},  {"李", "lee"},  {"朴", "park"}, {"崔", "choi"}, {"鄭", "jung"},
    {"姜", "kang"}, {"趙", "cho"},  {"尹", "yoon"}, {"張", "jang"}, {"林", "lim"},
    {"韓", "han"},  {"吳", "oh"},   {"申", "shin"}, {"權", "kwon"}, {"黃", "hwang"},
    {"安", "ahn"},  {"宋", "song"}, {"柳", "ryu"},  {"洪", "hong"}, {"全", "jeon"},
    {"高", "ko"},   {"文", "moon"}, {"孫", "son"},  {"梁", "yang"}, {"裵", "bae"},
    {"白", "baek"}, {"許", "heo"},  {"南", "nam"},  {"盧", "roh"},  {"河", "ha"},
    {"成", "sung"}, {"車", "cha"},  {"具", "koo"},  {"閔", "min"},  {"玄", "hyun"},
    {"池", "ji"},   {"朱", "joo"},  {"禹", "woo"},  {"任", "im"},   {"元", "won"},
};

/* 1 when s is 2 to 4 CJK ideographs and nothing else. */
static int han_name(const char *s, size_t *chars)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        /* U+4E00..U+9FFF: three bytes, E4 B8 80 .. E9 BF BF */
        if (p[0] < 0xE4 || p[0] > 0xE9 || !p[1] || !p[2])
            return 0;
        p += 3;
        n++;
    }
    *chars = n;
    return n >= 2 && n <= 4;
}

static const char *lookup(const char *const (*table)[2], size_t n, const char *s, size_t *len)
{
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(table[i][0]);
        if (strncmp(s, table[i][0], l) == 0) {
            *len = l;
            return table[i][1];
        }
    }
    return NULL;
}

int vigil__schema_class(const char *schema)
{
    if (!schema)
        return VIGIL__CLASS_PERSON;
    if (vigil__ieq(schema, "Vessel") || vigil__ieq(schema, "Airplane"))
        return VIGIL__CLASS_THING;
    if (vigil__ieq(schema, "Person"))
        return VIGIL__CLASS_PERSON;
    return VIGIL__CLASS_ORG;
}

/* "PUTIN, Vladimir Vladimirovich": the part after the one comma first. Only
 * for persons, and only with one comma and a few words on each side. */
static void uncomma(const char *in, char *out, size_t cap)
{
    const char *c = strchr(in, ',');
    if (!c || strchr(c + 1, ',') || c == in) {
        snprintf(out, cap, "%s", in);
        return;
    }
    const char *rest = c + 1;
    while (*rest == ' ')
        rest++;
    snprintf(out, cap, "%s %.*s", rest, (int)(c - in), in);
}

static void add_tok(vigil__pname *o, const char *w, int kind, float weight)
{
    if (o->n >= VIGIL__MAX_TOKENS)
        return;
    vigil__tok *t = &o->tok[o->n++];
    memset(t, 0, sizeof(*t));
    size_t n = strlen(w);
    if (n >= VIGIL__TOKLEN)
        n = VIGIL__TOKLEN - 1;
    memcpy(t->t, w, n);
    t->len = (uint8_t)n;
    for (size_t i = 0; i < n; i++) {
        t->mask |= 1u << vigil__cbit(w[i]);
        if (t->cnt[vigil__cbit(w[i])] < 255)
            t->cnt[vigil__cbit(w[i])]++;
    }
    vigil__skeleton(t->t, t->skel, &t->slen);
    size_t vowels = 0;
    for (size_t i = 0; i < n; i++)
        vowels += strchr("aeiou", w[i]) != NULL && w[i];
    t->vowel_poor = (uint8_t)(vowels * 4 < n);
    t->th = vigil__hash64(t->t);
    t->sh = vigil__hash64(t->skel);
    if (o->cls == VIGIL__CLASS_PERSON && kind == VIGIL__TK_WORD) {
        t->nick = (uint8_t)vigil__names_groups(t->t, t->g);
    }
    t->kind = (uint8_t)kind;
    t->w = weight;
}

/* Puts s into o's texts. Returns its offset (vigil__pname_str), or 0 when
 * there is no room (never, with the texts' bounds; then it is left out). */
static uint16_t put_text(vigil__pname *o, const char *s)
{
    size_t n = strlen(s) + 1;
    if (o->text_len + n > sizeof(o->text))
        return 0;
    memcpy(o->text + o->text_len, s, n);
    uint16_t at = (uint16_t)(offsetof(vigil__pname, text) + o->text_len);
    o->text_len = (uint16_t)(o->text_len + n);
    return at;
}

/* Arabic script's words of a name as Latin spellings divide them (the
 * tokens of its reading, toks[0..n), at most max; returns the new n):
 * - the article is written joined to its word (الظواهري alzwahry), where
 *   Latin writes it apart ("AL-ZAWAHIRI"): read as the particle it is, in
 *   words of three letters or more after it;
 * - but "ʿAbd al-" is one name with its article, Latin's "Abdul" (عبد
 *   المنان, عبدالمنان: "Abdul Manan");
 * - and a name of God after a word, الله, الدين, makes one name with it, as
 *   Latin writes it (قدرت الله Qudratullah, جلال الدين Jalaluddin, عبد الله
 *   Abdullah). */
static int arabic_compounds(char toks[][VIGIL__TOKLEN], int n, int max)
{
    for (int i = 0; i < n; i++) {
        char *t = toks[i];
        size_t len = strlen(t);
        if (i > 0 && (!strcmp(t, "allh") || !strcmp(t, "aldyn")) &&
            strlen(toks[i - 1]) + len < VIGIL__TOKLEN) {
            char both[VIGIL__TOKLEN];
            snprintf(both, sizeof(both), "%s%s", toks[i - 1], t);
            memcpy(toks[i - 1], both, sizeof(both));
            memmove(toks[i], toks[i + 1], sizeof(toks[0]) * (size_t)(n - i - 1));
            n--;
            i--;
            continue;
        }
        if (!strcmp(t, "bd") && i + 1 < n && strncmp(toks[i + 1], "al", 2) == 0 &&
            strlen(toks[i + 1]) >= 4 && strcmp(toks[i + 1], "allh") != 0) {
            snprintf(t, VIGIL__TOKLEN, "bdal");
            memmove(toks[i + 1], toks[i + 1] + 2, strlen(toks[i + 1] + 2) + 1);
            i++;
            continue;
        }
        size_t head = strncmp(t, "bdal", 4) == 0 && len >= 7 && strcmp(t + 4, "lh") != 0 ? 4
                      : strncmp(t, "al", 2) == 0 && len >= 5                             ? 2
                                                                                         : 0;
        if (head && n < max) {
            memmove(toks[i + 1], toks[i], sizeof(toks[0]) * (size_t)(n - i));
            t[head] = '\0';
            memmove(toks[i + 1], toks[i + 1] + head, strlen(toks[i + 1] + head) + 1);
            n++;
            i++;
        }
    }
    return n;
}

int vigil__name_prepare(const char *name, int cls, vigil__pname *o)
{
    return vigil__name_prepare_as(name, cls, -1, o);
}

int vigil__name_prepare_as(const char *name, int cls, int lang, vigil__pname *o)
{
    /* the tokens are cleared as they are added, the texts as they are put */
    memset(o, 0, offsetof(vigil__pname, tok));
    o->cls = cls;
    if (!name)
        return -1;
    vigil__legal_builtin();
    vigil__names_builtin();
    char src[512];
    if (cls == VIGIL__CLASS_PERSON)
        uncomma(name, src, sizeof(src));
    else
        snprintf(src, sizeof(src), "%s", name);
    /* a Korean name's first syllable is its surname */
    const char *surname = NULL;
    /* (Hangul syllables, U+AC00 to U+D7A3, start with bytes EA to ED) */
    int hangul = (unsigned char)src[0] >= 0xEA && (unsigned char)src[0] <= 0xED;
    for (size_t i = 0; hangul && i < sizeof(korean_surnames) / sizeof(korean_surnames[0]);
         i++) {
        size_t l = strlen(korean_surnames[i][0]);
        if (strncmp(src, korean_surnames[i][0], l) == 0 && (unsigned char)src[l] >= 0xE0) {
            surname = korean_surnames[i][1];
            memmove(src, src + l, strlen(src + l) + 1);
            break;
        }
    }
    /* written in Latin letters: "JC" may be two initials; "bd" from Arabic
     * (عبد) is a word without its vowels */
    int latin_source = 1;
    for (const unsigned char *q = (const unsigned char *)src; *q; q++)
        if (*q >= 0xC0 && !(q[0] == 0xC3 || q[0] == 0xC4 || q[0] == 0xC5))
            latin_source = 0;
    /* a name in kanji: a Japanese family name read in Japanese, the given
     * name too when known; otherwise a Chinese or Korean name whose family
     * name may be read in Korean */
    const char *han_alt = NULL;
    int simplified = -1; /* vigil__han_simplified(src), once known */
    size_t hchars;
    if (cls == VIGIL__CLASS_PERSON && !surname && han_name(src, &hchars)) {
        size_t l1 = 0, l2 = 0;
        const char *fam =
            lookup(japanese_surnames, sizeof(japanese_surnames) / sizeof(japanese_surnames[0]),
                   src, &l1);
        if (fam && src[l1]) {
            const char *given =
                lookup(japanese_given, sizeof(japanese_given) / sizeof(japanese_given[0]),
                       src + l1, &l2);
            char rest[64];
            snprintf(rest, sizeof(rest), "%s", given && !src[l1 + l2] ? given : src + l1);
            snprintf(src, sizeof(src), "%s %s", fam, rest);
        } else {
            size_t l = 0;
            /* (never in simplified characters, which Korea does not use) */
            simplified = vigil__han_simplified(src);
            if (!simplified)
                han_alt = lookup(hanja_surnames,
                                 sizeof(hanja_surnames) / sizeof(hanja_surnames[0]), src, &l);
            /* a Chinese name written whole is its family name (one
             * character) and its given name (the rest, one word once read:
             * 王君正 Wang Junzheng); a family name that is Korean too may
             * head a Korean name, whose given name is romanised syllable by
             * syllable (金正恩 Kim Jong Un): then each character is a word */
            char whole[sizeof(src)];
            snprintf(whole, sizeof(whole), "%s", src);
            if (!han_alt) {
                snprintf(src, sizeof(src), "%.3s %s", whole, whole + 3);
            } else {
                size_t k = 0;
                for (size_t c = 0; whole[c] && k + 5 < sizeof(src); c += 3) {
                    if (c)
                        src[k++] = ' ';
                    memcpy(src + k, whole + c, 3);
                    k += 3;
                }
                src[k] = '\0';
            }
        }
    }
    const char *script = vigil__script_of(src);
    int greek = strcmp(script, "Greek") == 0;
    o->abjad = !strcmp(script, "Arabic") || !strcmp(script, "Hebrew") ||
               !strcmp(script, "Syriac") || !strcmp(script, "Thaana");
    /* (splitting a whole name into words only added spaces) */
    o->pinyin =
        !strcmp(script, "Han") && (simplified >= 0 ? simplified : vigil__han_simplified(src));
    char latin[512], joined[128], jskel[VIGIL__TOKLEN * 4];
    if (vigil__to_latin_as(src, lang, latin, sizeof(latin)) != 0)
        return -1;
    o->latin_at = put_text(o, latin);
    char toks[VIGIL__MAX_TOKENS * 2][VIGIL__TOKLEN];
    int n = vigil__tokenize(latin, cls, toks, VIGIL__MAX_TOKENS * 2);
    if (surname) {
        memmove(toks[1], toks[0],
                sizeof(toks[0]) * (size_t)(n < VIGIL__MAX_TOKENS * 2 - 1 ? n : n - 1));
        snprintf(toks[0], sizeof(toks[0]), "%s", surname);
        n = n < VIGIL__MAX_TOKENS * 2 ? n + 1 : n;
    }
    if (!strcmp(script, "Arabic") && lang != VIGIL__LANG_SCHOLARLY)
        n = arabic_compounds(toks, n, VIGIL__MAX_TOKENS * 2);
    int used[VIGIL__MAX_TOKENS * 2] = {0};
    if (cls != VIGIL__CLASS_PERSON) {
        /* legal forms, longest alias first, anywhere in the name (legal.c) */
        vigil__legal_mark(o, toks, n, used, src);
        /* all of it a legal form ("Company"): then it is the name */
        int left = 0;
        for (int i = 0; i < n; i++)
            left += !used[i];
        if (!left) {
            memset(used, 0, sizeof(used));
            o->nlegal = 0;
        }
    }
    size_t jl = 0;
    int leading_titles = 1; /* no word but titles read yet */
    for (int i = 0; i < n; i++) {
        const char *w = toks[i];
        for (size_t k = 0; w[k] && jl < sizeof(joined) - 1; k++)
            joined[jl++] = w[k];
        if (used[i])
            continue;
        if (cls == VIGIL__CLASS_PERSON) {
            /* titles stand before a name ("President Erdoğan"), suffixes
             * after it ("Jr"); elsewhere the word is a name ("David King",
             * "Stephen Major") */
            if ((word_flags(w, NULL) & W_HONORIFIC) && n > 1 &&
                (leading_titles || (i == n - 1 && is_suffix(w))))
                continue;
            leading_titles = 0;
            w = unabbreviate(w);
            if (strlen(w) == 1)
                add_tok(o, w, VIGIL__TK_INITIAL, WEIGHT_INITIAL);
            else if (strlen(w) == 2 && !strpbrk(w, "aeiouy") && n > 1 && latin_source) {
                /* "JC Juncker": two initials */
                char one[2] = {w[0], 0};
                add_tok(o, one, VIGIL__TK_INITIAL, WEIGHT_INITIAL);
                one[0] = w[1];
                add_tok(o, one, VIGIL__TK_INITIAL, WEIGHT_INITIAL);
            } else if ((word_flags(w, NULL) & W_PARTICLE))
                add_tok(o, w, VIGIL__TK_PARTICLE, WEIGHT_PARTICLE);
            else if (is_patronymic(w))
                add_tok(o, w, VIGIL__TK_PATRONYMIC, WEIGHT_PATRONYMIC);
            else
                add_tok(o, w, VIGIL__TK_WORD,
                        (word_flags(w, NULL) & W_COMMON) ? WEIGHT_COMMON_GIVEN : 1.0f);
            continue;
        }
        if ((word_flags(w, NULL) & W_ORG_STOP) && n > 1)
            continue;
        int v = number_value(w);
        if (v < 0)
            v = vigil__roman_value(w);
        if (v >= 0 || vigil__all_digits(w)) {
            char num[24];
            long long value = v >= 0 ? v : atoll(w);
            /* "forty four", "forty 4": one number */
            if (v >= 20 && v % 10 == 0 && i + 1 < n && !used[i + 1]) {
                int u = number_value(toks[i + 1]);
                if (u < 0 && vigil__all_digits(toks[i + 1]) && strlen(toks[i + 1]) == 1)
                    u = toks[i + 1][0] - '0';
                if (u >= 1 && u <= 9) {
                    value += u;
                    i++;
                }
            }
            snprintf(num, sizeof(num), "%lld", value);
            add_tok(o, num, VIGIL__TK_NUMBER, 1.0f);
            continue;
        }
        /* "L & H": letters of an organisation's name weigh less than words */
        add_tok(o, w, VIGIL__TK_WORD, strlen(w) == 1 ? WEIGHT_ORG_LETTER : 1.0f);
    }
    if (han_alt && o->n > 0) {
        o->alt_at[0] = put_text(o, han_alt);
        o->has_alt |= o->alt_at[0] ? 1u : 0u;
    }
    /* Greek names end in -os, -is, -as where other languages drop them
     * (Alexandros, Alexander) */
    for (int i = 0; greek && i < o->n; i++) {
        vigil__tok *t = &o->tok[i];
        if (t->len >= 6 && strchr("oia", t->t[t->len - 2]) && t->t[t->len - 1] == 's') {
            char alt[VIGIL__TOKLEN];
            memcpy(alt, t->t, (size_t)t->len - 2);
            alt[t->len - 2] = '\0';
            o->alt_at[i] = put_text(o, alt);
            o->has_alt |= o->alt_at[i] ? 1u << i : 0u;
        }
    }
    size_t sk = 0;
    for (int i = 0; i < o->n; i++)
        for (const char *q = o->tok[i].skel; *q && sk + 1 < sizeof(jskel); q++)
            if (sk == 0 || jskel[sk - 1] != *q)
                jskel[sk++] = *q;
    jskel[sk] = '\0';
    joined[jl] = '\0';
    o->jlen = (uint32_t)jl;
    for (size_t i = 0; i < jl; i++) {
        o->jmask |= 1u << vigil__cbit(joined[i]);
        if (o->jcnt[vigil__cbit(joined[i])] < 255)
            o->jcnt[vigil__cbit(joined[i])]++;
    }
    o->joined_at = put_text(o, joined);
    o->jskel_at = put_text(o, jskel);
    return o->n > 0 ? 0 : -1;
}

int vigil__has_legal_form(const char *name)
{
    vigil__pname *p = malloc(sizeof(*p));
    if (!p)
        return 0;
    vigil__name_prepare(name, VIGIL__CLASS_ORG, p);
    int has = p->nlegal > 0;
    free(p);
    return has;
}

vigil__pname *vigil__pname_copy(const vigil__pname *p)
{
    size_t head = offsetof(vigil__pname, tok) + (size_t)p->n * sizeof(vigil__tok);
    vigil__pname *c = malloc(head + p->text_len);
    if (!c)
        return NULL;
    memcpy(c, p, head);
    /* the texts move from text[] to right after the tokens: p's offsets are
     * all at or past text[] (put_text), and shrink by the distance moved */
    memcpy((char *)c + head, p->text, p->text_len);
    uint16_t shift = (uint16_t)(offsetof(vigil__pname, text) - head);
    uint16_t *at[] = {&c->latin_at, &c->joined_at, &c->jskel_at};
    for (int i = 0; i < 3; i++)
        if (*at[i])
            *at[i] = (uint16_t)(*at[i] - shift);
    for (int i = 0; i < VIGIL__MAX_TOKENS; i++)
        if (c->alt_at[i])
            c->alt_at[i] = (uint16_t)(c->alt_at[i] - shift);
    return c;
}
