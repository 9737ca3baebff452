/*
 * print.c - an entity as vigil show prints it: every field, grouped, for a
 * person reading a terminal.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "print.h"

static void print_strings(const char *label, json_t *arr)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v))
            printf("  %-16s %s\n", i == 0 ? label : "", json_string_value(v));
    }
}

static void print_objects(const char *label, json_t *arr)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        printf("  %-16s", i == 0 ? label : "");
        const char *k;
        json_t *v;
        int first = 1;
        json_object_foreach(o, k, v)
        {
            if (json_is_string(v))
                printf("%s%s: %s", first ? " " : "; ", k, json_string_value(v));
            else if (json_is_true(v))
                printf("%s%s", first ? " " : "; ", k);
            first = 0;
        }
        printf("\n");
    }
}

void vigil_cli_print_entity(json_t *doc)
{
    json_t *ver = json_object_get(doc, "version");
    printf("%s:%s  %s\n", json_string_value(json_object_get(doc, "source")),
           json_string_value(json_object_get(doc, "source_id")),
           json_string_value(json_object_get(doc, "schema")));
    json_t *names = json_object_get(doc, "names");
    size_t i;
    json_t *n;
    printf("  names\n");
    json_array_foreach(names, i, n)
    {
        const char *lang = json_string_value(json_object_get(n, "lang"));
        const char *script = json_string_value(json_object_get(n, "script"));
        printf("    %-14s %s", json_string_value(json_object_get(n, "kind")),
               json_string_value(json_object_get(n, "name")));
        if (script || lang)
            printf("  [%s%s%s]", script ? script : "", script && lang ? ", " : "",
                   lang ? lang : "");
        printf("\n");
    }
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v)
    {
        if (!strcmp(key, "names") || !strcmp(key, "version") || !strcmp(key, "source") ||
            !strcmp(key, "source_id") || !strcmp(key, "schema"))
            continue;
        if (json_is_string(v))
            printf("  %-16s %s\n", key, json_string_value(v));
        else if (json_is_array(v) && json_array_size(v) && json_is_object(json_array_get(v, 0)))
            print_objects(key, v);
        else if (json_is_array(v))
            print_strings(key, v);
    }
    printf("  from version %lld of %s (%s, published %s, loaded %s)\n",
           (long long)json_integer_value(json_object_get(ver, "id")),
           json_string_value(json_object_get(ver, "source")),
           json_string_value(json_object_get(ver, "format")),
           json_string_value(json_object_get(ver, "published"))[0]
               ? json_string_value(json_object_get(ver, "published"))
               : "-",
           json_string_value(json_object_get(ver, "loaded_at")));
}
