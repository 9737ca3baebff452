/*
 * weights.h - every weight and bound of a score, named once with its reason:
 * what a word weighs (name.c), what pairs two words (compare.c), how a
 * name's score is made from its pairs (compare.c), and how screening turns
 * it into a hit with the other evidence (screen/screen.c, screen/evidence.c).
 * docs/matching.md and docs/screening.md give the same values in their
 * tables. A value changed here is measured on the development data
 * (bench/bench_dev: part A to look at, part B to check) and on bench_screen
 * before it is kept; none is set to pass a case of a test set.
 */
#ifndef VIGIL_WEIGHTS_H
#define VIGIL_WEIGHTS_H

/* ------------------------------------------------ what a word weighs */

/* A particle (al, bin, van, de) is in many names and proves little. */
#define WEIGHT_PARTICLE 0.3f
/* An initial agrees with every name of that letter. */
#define WEIGHT_INITIAL 0.5f
/* A very common given name (Mohammed, Ali, Kim, Vladimir): a shared one
 * proves little. */
#define WEIGHT_COMMON_GIVEN 0.6f
/* An East Slavic patronymic says whose son or daughter, not who. */
#define WEIGHT_PATRONYMIC 0.8f
/* A single letter of an organisation's name ("L & H") weighs less than a
 * word. */
#define WEIGHT_ORG_LETTER 0.5f

/* ------------------------------------------------ what pairs two words */

/* Below this a word pair counts as no pair at all. The spelling score is
 * wj * jw + (1 - wj) * edit (compare.c, tok_sim_as), so it needs jw >=
 * (PAIR_FLOOR - (1 - wj)) / wj, which the bounds in tok_sim rely on. */
#define PAIR_FLOOR 0.75
/* The share of Jaro-Winkler (wj) in the spelling score; the rest is the
 * edit similarity. Persons' names lean on the edit distance: Winkler's bonus
 * for a shared start rewards family names built on one stem that are
 * different names (Albano, Albanese; Sancho, Sanchez; Monteiro, Montenegro). */
#define SPELLING_JW_PERSON 0.4
#define SPELLING_JW_ORG 0.5
/* One given name in two languages or scripts (the given-name equivalents). */
#define PAIR_EQUIVALENT 0.95
/* Given-name equivalents pair forms of this many letters or more: the
 * groups also link the syllables Chinese and Korean names are romanised in
 * (sang, song; yan, young), which are other names. */
#define EQUIV_MIN_LEN 5
/* A nickname and its name (Bob, Robert). */
#define PAIR_NICKNAME 0.9
/* A patronymic pairs with a given name only when they are spelt this alike
 * (a misspelt patronymic): "Oleksandr" is not "Oleksandrovych". */
#define PAIR_PATRONYMIC_MIN 0.88
/* One typing error in a word long enough to be sure of the rest: at least
 * this score, in words of TYPO_MIN_LEN letters or more. */
#define PAIR_TYPO 0.9
#define TYPO_MIN_LEN_PERSON 5u
#define TYPO_MIN_LEN_ORG 3u
/* The same consonant skeleton, by its length: 3 or more consonants, 2, and
 * 1 (in words of five letters or fewer, and longer). One consonant in
 * common says little ("rivera", "yuriy"). */
#define PAIR_SKELETON_3 0.93
#define PAIR_SKELETON_2 0.9
#define PAIR_SKELETON_1_SHORT 0.86
#define PAIR_SKELETON_1 0.8
/* Two words written with their vowels that are spelt unlike each other
 * share a skeleton by chance ("caleb", "gleb"): a person's name is
 * romanised many ways, so such a pair still counts this much; a firm's
 * name is written one way wherever it is listed, and another firm's word of
 * the same consonants is chance ("Moore Trading", "Amur Trading"): no pair.
 * (The skeleton speaks for words from scripts that write few vowels: mhmd,
 * hsyn.) Under this spelling score two words are "spelt unlike". */
#define PAIR_SKELETON_UNALIKE_PERSON 0.8
#define PAIR_SKELETON_UNALIKE_ORG 0.0
#define SPELT_UNLIKE 0.7

/* ------------------------------------------------ a name's score */

/* Persons (docs/matching.md, section 4). Each unpaired word of the longer
 * name costs this share of its weight: a dropped middle name is usually the
 * same person. */
#define EXTRA_WORD_COST 0.06
/* An unpaired given name before every paired word of the longer name costs
 * this instead: the lists name fathers and sons, brothers, whose names
 * differ by a leading given name (the Al-Tikriti family), so an exact name
 * (1.0) must rank before its relatives (0.9). It stays over the threshold:
 * people go by their second given name too ("DOCKRAT Ismail" for "DOCKRAT,
 * Junaid Ismail"), and a miss costs more than an alert. (0.15 took such a
 * name written family name first, one order change more, to 0.81: 98 of
 * bench_screen's 1,429 names without their second word were missed, for 3
 * fewer alerts among the 9,641 negatives of the development half.) Counted
 * once, up to LEADING_WORDS_MAX of weight: a relative differs by one
 * leading given name, which may be written in two words ("Abdul Jalil"). */
#define LEADING_WORD_COST 0.10
#define LEADING_WORDS_MAX 1.0
/* Words out of order cost this share of the share of pairs out of order. A
 * rotation, the last word moved first ("BASTRYKIN Alexander Ivanovich"), is
 * how lists write a name family name first: it counts as this little. */
#define ORDER_COST 0.5
#define ROTATION_DISORDER 0.1
/* One word against a full name, found only approximately ("Michaela",
 * "Michelle Obama"): one more doubt. */
#define ONE_WORD_APPROX 0.95
/* A lone given name ("John", "Adam": one of the given-name data, or a
 * common one) found in a full name proves little. */
#define LONE_GIVEN_NAME 0.85
/* A name whose only word found is one full word, the rest found through
 * initials ("N. Nazarbayev" in "Nursultan Nazarbayev"): an initial agrees
 * with a twenty-sixth of all names, so the match rests on one word. */
#define INITIALS_ONLY 0.85
/* The same when the one word found is a given name (by the given-name data)
 * and the initials stand for the rest ("Mary S." and "Mary Spence"): a given
 * name and an initial are shared by thousands, so the name alone stays under
 * the default threshold (0.85) and alerts only with evidence that agrees
 * (the same date of birth, DOB_SAME). */
#define GIVEN_NAME_AND_INITIALS 0.8

/* Words run together or split ("VladimirPutin", "SiemensAG", "Goodwill"):
 * compared whole only when the lengths differ by at most this share, and
 * counted when Jaro-Winkler and the edit similarity of the whole reach
 * these; the score is their mean. */
#define JOINED_LEN_DIFF 0.15
#define JOINED_JW 0.93
#define JOINED_EDIT 0.85
/* The same run-together names one typing error apart score PAIR_TYPO, as
 * two words do, when the shorter is this long: longer than a word's
 * TYPO_MIN_LEN, for a name run together is two words or more. */
#define JOINED_TYPO_MIN_LEN_PERSON 8u
#define JOINED_TYPO_MIN_LEN_ORG 6u
/* A name written in a script without short vowels and a name of one word
 * with the same consonants run together ("bd allh", عبد الله, and
 * "Abdullah"), of at least ABJAD_JOINED_MIN consonants. */
#define ABJAD_JOINED 0.9
#define ABJAD_JOINED_MIN 4u
/* An organisation's name and its acronym ("Islamic Revolutionary Guard
 * Corps", "IRGC"). */
#define ACRONYM 0.9

/* Organisations' legal forms: the same kind of form (an llc and a GmbH)
 * costs a little, different kinds (an llc and a joint-stock company) more;
 * a form on one side only costs nothing (lists often leave it out). */
#define LEGAL_SAME_KIND 0.99
#define LEGAL_DIFFERENT 0.96
/* Numbers must agree: "Fund II" is not "Fund III". Numbers on one side only:
 * "Management Company 23" is not "Management Company"; a vessel's name is
 * often written without its number ("Victory 3"), and its IMO number, not
 * its name, settles which ship it is. */
#define NUMBERS_DIFFER 0.5
#define NUMBERS_ONE_SIDE 0.84
#define NUMBERS_ONE_SIDE_VESSEL 0.9
/* Except between investment vehicles of a numbered series, a fund, a trust
 * or a partnership on both sides ("KKR North America Fund XII L.P.", "...
 * Fund XIII L.P."; "Mortgage Loan Trust 2004-1", "2004-2"): one sponsor
 * raises them and one manager runs them, and a listed sponsor's or
 * manager's control reaches each (the ownership and control tests), so
 * another number of the series is an alert to review, not another name. */
#define NUMBERS_SERIES 0.9

/* ------------------------------------------------ screening */

/* Finding the names to score (screen.c; docs/screening.md). */
#define COMMON_KEY 4000   /* postings past this make a key too common to use alone */
#define MAX_SCORED 50     /* names scored per query: the best supported by the index */
#define MAX_TIED 100      /* and those tied with the last of them, up to this many in all */
#define MAX_POSTINGS 6000 /* index entries read per query, rarest keys first */
/* A name is scored only with at least this share of the best-supported
 * name's support. Measured on bench_screen's 10,702 positives: recall is the
 * same from 0 to 0.4 and loses 7 at 0.5, 12 at 0.55; 0.35 leaves a margin. */
#define SUPPORT_SHARE 0.35f
/* Each name under a key gathers the key's weight, log(N / n) for n of the
 * N names under it (rarer keys weigh more), plus this, so that a key every
 * name holds still counts. */
#define KEY_WEIGHT_MIN 0.1f

/* Names scoring under this are not hits. */
#define FLOOR 0.6
/* A weak alias's score is multiplied by this: the lists mark aliases that
 * prove less ("weak a.k.a."). */
#define WEAK 0.95
/* A person's listed name of one word ("Bentley", "Salahudin") found in a
 * customer's longer name: the customer shares a word with it, most likely
 * a family name many people bear, and nothing else says it is the same
 * person; the score is multiplied by this (a date of birth or a country
 * that agrees can still make it a match). */
#define LONE 0.85
/* Taken off when the genders differ. */
#define GENDER_COST 0.1

/* The other evidence, added to the name's score (evidence.c). */
#define DOB_SAME 0.06
/* the same date with day and month swapped, as two conventions write it */
#define DOB_SWAPPED 0.04
/* the same year, where one side gives only the year */
#define DOB_SAME_YEAR 0.03
/* A full date typed with one digit wrong (1952-10-17 for 1952-10-07), or
 * two neighbouring digits swapped (1925 for 1952): a typing error costs
 * less than a different date, which it most likely is not. */
#define DOB_TYPO (-0.03)
/* a year one off the listed one (or its range) */
#define DOB_YEAR_NEAR (-0.03)
#define DOB_DIFFERENT (-0.15)
#define COUNTRY_SAME 0.03
#define COUNTRY_DIFFERENT (-0.05)
/* An identifier number written alike on both sides (a passport, an IMO
 * number) makes a hit at least this, whatever the name: the number, not the
 * spelling, says who. */
#define SAME_ID 0.99

#endif
