/*
 * main.c - runs every test in TEST_LIST (test.h), or those named on the
 * command line, and prints "N passed, M failed".
 */
#include <stdarg.h>
#include <stdlib.h>

#include "test.h"

int test_failures;

void test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "    %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    test_failures++;
}

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
#define ENTRY(name) {#name, name},
    TEST_LIST(ENTRY)
#undef ENTRY
};

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    /* the name data built into the library, as installed: nothing loaded
     * from ../shared (tests/test_match.c checks a load on top) */
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        if (argc > 1) {
            int want = 0;
            for (int k = 1; k < argc; k++)
                want |= strcmp(argv[k], tests[i].name) == 0;
            if (!want)
                continue;
        }
        test_failures = 0;
        tests[i].fn();
        if (test_failures) {
            printf("FAIL %s\n", tests[i].name);
            failed++;
        } else {
            printf("ok   %s\n", tests[i].name);
            passed++;
        }
        fflush(stdout);
    }
    test_screen_release();
    vigil_names_unload();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
