/*
 * update.c - vigil update: downloads the current official lists with libcurl
 * and loads each as a new version, one list at a time: a failed download, a
 * broken file or a list that shrank too much leaves that list as it was and
 * says why, and the others still update. Built on the public API.
 * Addresses: the official ones below, or $VIGIL_URL_EU, $VIGIL_URL_UN,
 * $VIGIL_URL_UK, $VIGIL_URL_OFAC (OFAC: a folder holding SDN.CSV, ALT.CSV,
 * ADD.CSV and SDN_COMMENTS.CSV). Design: docs/store.md, "Updates".
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "update.h"
#include "vigil.h"

#define MAX_DOWNLOAD ((curl_off_t)1 << 30) /* one file: 1 GiB */

static const struct {
    const char *source, *env, *url;
} lists[] = {
    {"eu", "VIGIL_URL_EU",
     "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
     "?token=dG9rZW4tMjAxNw"},
    {"un", "VIGIL_URL_UN", "https://scsanctions.un.org/resources/xml/en/consolidated.xml"},
    {"uk", "VIGIL_URL_UK", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"},
    {"ofac", "VIGIL_URL_OFAC",
     "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"},
};
static const char *const ofac_files[][2] = {{"SDN.CSV", "sdn.csv"},
                                            {"ALT.CSV", "alt.csv"},
                                            {"ADD.CSV", "add.csv"},
                                            {"SDN_COMMENTS.CSV", "sdn_comments.csv"}};

/* Downloads url to path. 0, or -1 with the reason in why. */
static int download(const char *url, const char *path, char *why, size_t cap)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(why, cap, "cannot write %s", path);
        return -1;
    }
    CURL *c = curl_easy_init();
    char err[CURL_ERROR_SIZE] = "";
    CURLcode rc = CURLE_FAILED_INIT;
    long status = 0;
    if (c) {
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 900L);
        curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, MAX_DOWNLOAD);
        curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
        curl_easy_setopt(c, CURLOPT_USERAGENT, "vigil/" VIGIL_VERSION);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        rc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(c);
    }
    int closed = fclose(f);
    if (rc != CURLE_OK || closed != 0) {
        if (rc == CURLE_HTTP_RETURNED_ERROR)
            snprintf(why, cap, "%s: HTTP %ld", url, status);
        else
            snprintf(why, cap, "%s: %s", url, err[0] ? err : curl_easy_strerror(rc));
        return -1;
    }
    return 0;
}

int vigil_cli_update(const char *db_path, const char *sources, double max_shrink,
                     const vigil_load_options *base)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        fprintf(stderr, "vigil update: libcurl did not start\n");
        return 1;
    }
    char dir[] = "/tmp/vigil-update-XXXXXX";
    if (!mkdtemp(dir)) {
        fprintf(stderr, "vigil update: cannot make a temporary folder\n");
        curl_global_cleanup();
        return 1;
    }
    int failed = 0;
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        const char *src = lists[i].source;
        if (sources && *sources) {
            int wanted = 0;
            size_t n = strlen(src);
            for (const char *p = sources; *p;) {
                size_t l = strcspn(p, ",");
                wanted |= l == n && strncmp(p, src, n) == 0;
                p += l + (p[l] == ',');
            }
            if (!wanted)
                continue;
        }
        const char *url = getenv(lists[i].env);
        if (!url || !*url)
            url = lists[i].url;
        char path[512], why[1024] = "";
        int ok = 1;
        if (strcmp(src, "ofac") == 0) {
            snprintf(path, sizeof(path), "%s/ofac", dir);
            mkdir(path, 0700);
            for (size_t k = 0; ok && k < 4; k++) {
                char u[2048], p[600];
                snprintf(u, sizeof(u), "%s/%s", url, ofac_files[k][0]);
                snprintf(p, sizeof(p), "%s/%s", path, ofac_files[k][1]);
                ok = download(u, p, why, sizeof(why)) == 0;
            }
        } else {
            snprintf(path, sizeof(path), "%s/%s.xml", dir, src);
            ok = download(url, path, why, sizeof(why)) == 0;
        }
        if (!ok) {
            fprintf(stderr, "failed   %s: download: %s; the list stays as it was\n", src, why);
            failed++;
            continue;
        }
        /* each list in its own transaction, so that one broken list keeps
         * the others from nothing */
        vigil_db *db;
        if (vigil_db_open(db_path, 0, &db) != VIGIL_OK) {
            fprintf(stderr, "vigil update: %s\n",
                    db ? vigil_errmsg(db) : "cannot open the database");
            vigil_db_close(db);
            failed++;
            break;
        }
        vigil_load_options lo = {base ? base->lenient : 0, NULL, max_shrink};
        vigil_list_version *v = NULL;
        size_t n = 0;
        const char *paths[] = {path};
        int rc = vigil_load(db, paths, 1, &lo, &v, &n);
        if (rc != VIGIL_OK) {
            fprintf(stderr, "failed   %s from %s: %s; the list stays as it was\n", src, url,
                    vigil_errmsg(db));
            failed++;
        } else if (n && v[0].is_new) {
            printf("updated  %s: version %lld, %lld entities, published %s\n", src,
                   (long long)v[0].id, (long long)v[0].entities,
                   v[0].published[0] ? v[0].published : "-");
        } else if (n) {
            printf("unchanged %s: the current file is version %lld\n", src, (long long)v[0].id);
        }
        vigil_free(v);
        vigil_db_close(db);
    }
    /* the downloads are not kept: the database holds what was loaded */
    char p[600];
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s.xml", dir, lists[i].source);
        unlink(p);
    }
    for (size_t k = 0; k < 4; k++) {
        snprintf(p, sizeof(p), "%s/ofac/%s", dir, ofac_files[k][1]);
        unlink(p);
    }
    snprintf(p, sizeof(p), "%s/ofac", dir);
    rmdir(p);
    rmdir(dir);
    curl_global_cleanup();
    return failed ? 1 : 0;
}
