/*
 * file.c - reading list files and name-data files whole, and hashing list
 * files' content.
 *
 * List files are read into memory whole: the largest official list (EU) is
 * under 20 MB, and parsing from memory lets every parser report line numbers
 * and lets the store hash exactly the bytes it parsed. The bound is
 * VIGIL__MAX_FILE_BYTES.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "../internal.h"

int vigil__read_file(const char *path, char **data, size_t *len, char *msg, size_t msgsize)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(msg, msgsize, "%s: cannot open: %s", path, strerror(errno));
        return VIGIL_ERR_IO;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(msg, msgsize, "%s: not a regular file", path);
        fclose(f);
        return VIGIL_ERR_IO;
    }
    if ((uint64_t)st.st_size > VIGIL__MAX_FILE_BYTES) {
        snprintf(msg, msgsize, "%s: %lld bytes, more than the %zu-byte limit for a list file",
                 path, (long long)st.st_size, VIGIL__MAX_FILE_BYTES);
        fclose(f);
        return VIGIL_ERR_LIMIT;
    }
    size_t size = (size_t)st.st_size;
    char *buf = malloc(size + 1);
    if (!buf) {
        snprintf(msg, msgsize, "%s: out of memory reading %zu bytes", path, size);
        fclose(f);
        return VIGIL_ERR_NOMEM;
    }
    size_t got = fread(buf, 1, size, f);
    int rerr = ferror(f);
    fclose(f);
    if (rerr || got != size) {
        snprintf(msg, msgsize, "%s: read error", path);
        free(buf);
        return VIGIL_ERR_IO;
    }
    buf[size] = '\0';
    *data = buf;
    *len = size;
    return VIGIL_OK;
}

int vigil__read_data_file(const char *path, size_t max, char **out, size_t *len)
{
    gzFile gz = gzopen(path, "rb"); /* (reads a plain file as it is) */
    if (!gz)
        return VIGIL_ERR_IO;
    size_t room = 1 << 16, n = 0;
    char *buf = malloc(room);
    int rc = buf ? VIGIL_OK : VIGIL_ERR_NOMEM;
    while (rc == VIGIL_OK) {
        if (n == room) {
            char *nb = room < max ? realloc(buf, room * 2) : NULL;
            if (!nb) {
                rc = room < max ? VIGIL_ERR_NOMEM : VIGIL_ERR_LIMIT;
                break;
            }
            buf = nb;
            room *= 2;
        }
        int got = gzread(gz, buf + n, (unsigned)(room - n));
        if (got < 0)
            rc = VIGIL_ERR_IO;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    gzclose(gz);
    if (rc != VIGIL_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = n;
    return VIGIL_OK;
}

/* OpenSSL 3 looks the digest up on every EVP_sha256() use unless it is
 * fetched once; fetched lazily, kept for the process. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static void fetch_sha256(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

int vigil__sha256_files(const vigil__file *files, size_t n, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    pthread_once(&sha256_once, fetch_sha256);
    if (!sha256_md)
        return VIGIL_ERR_NOMEM;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return VIGIL_ERR_NOMEM;
    int ok = EVP_DigestInit_ex(ctx, sha256_md, NULL);
    for (size_t i = 0; ok && i < n; i++)
        ok = EVP_DigestUpdate(ctx, files[i].data, files[i].len);
    ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return VIGIL_ERR_NOMEM;
    static const char digits[] = "0123456789abcdef";
    for (unsigned int i = 0; i < mdlen && i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
    return VIGIL_OK;
}

void vigil__remove_db_files(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", VIGIL__ENGINE_SUFFIX};
    for (size_t i = 0; i < 4; i++) {
        char p[4096];
        snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
        unlink(p);
    }
}
