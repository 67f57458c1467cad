/* meta.c — meta.json, written from the finished meta (key = value lines, which stay for
 * compatibility): values typed as meta writes them, bytes that are not UTF-8 replaced. */
#include "vmitn/scenario_internal.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

/* s with every byte that is not part of valid UTF-8 replaced by U+FFFD, so meta.json is
 * JSON whatever bytes a -p value held (meta keeps the bytes, \x-escaped or raw). */
static char *utf8_clean(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    char *out = vmitn_xmalloc(3 * strlen(s) + 1), *w = out;
    while (*u) {
        size_t len = 0;
        unsigned char c = u[0];
        unsigned char lo = 0x80, hi = 0xbf; /* the allowed range of the second byte */
        if (c < 0x80)
            len = 1;
        else if (c >= 0xc2 && c <= 0xdf)
            len = 2;
        else if (c >= 0xe0 && c <= 0xef)
            len = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
        else if (c >= 0xf0 && c <= 0xf4)
            len = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
        bool ok = len > 0;
        for (size_t i = 1; ok && i < len; i++)
            ok = i == 1 ? u[i] >= lo && u[i] <= hi : u[i] >= 0x80 && u[i] <= 0xbf;
        if (!ok) {
            memcpy(w, "\xef\xbf\xbd", 3);
            w += 3, u++;
        } else {
            memcpy(w, u, len);
            w += len, u += len;
        }
    }
    *w = '\0';
    return out;
}

/* True for text in the form a number prints in (%d, %g, %.17g, Lua's tostring): an
 * optional '-', an integer without leading zeros, an optional fraction with digits, an
 * optional exponent -- JSON's number grammar.  Not "+3", "010", "0x10", "1.", ".5", " 7". */
static bool number_text(const char *s)
{
    s += *s == '-';
    if (*s == '0')
        s++;
    else if (*s >= '1' && *s <= '9')
        s += strspn(s, "0123456789");
    else
        return false;
    if (*s == '.') {
        size_t n = strspn(s + 1, "0123456789");
        if (n == 0)
            return false;
        s += 1 + n;
    }
    if (*s == 'e' || *s == 'E') {
        s += 1 + (s[1] == '+' || s[1] == '-');
        size_t n = strspn(s, "0123456789");
        if (n == 0)
            return false;
        s += n;
    }
    return *s == '\0';
}

/* True when meta's line `key` holds a string whatever its text: a scenario parameter whose
 * value is a string (written unquoted, as luaL_tolstring gives it) or a model override
 * (model.KEY, the -p text) of a string or choice parameter. */
static bool string_key(const runner *r, const char *key)
{
    if (strncmp(key, "param.", 6) == 0) {
        for (size_t i = 0; i < r->nstrparams; i++)
            if (strcmp(r->strparams[i], key + 6) == 0)
                return true;
        return false;
    }
    if (strncmp(key, "model.", 6) != 0)
        return false;
    size_t n;
    const vmitn_param_desc *d = vmitn_model_params(&n);
    for (size_t i = 0; i < n; i++) {
        char fn[96];
        vmitn_lua_full_name(&d[i], fn, sizeof fn);
        if (strcmp(fn, key + 6) == 0)
            return d[i].kind == VMITN_P_STR || d[i].kind == VMITN_P_ENUM;
    }
    return false;
}

/* meta.json beside meta (which stays, for compatibility): one flat object of meta's keys,
 * values typed as meta writes them -- a string parameter a string, "..." a string (the
 * quotes dropped), true/false a boolean, text in a number's printed form (number_text) a
 * number, anything else its text; experiments an array of labels.  Bytes that are not
 * UTF-8 become U+FFFD.  0, or -1 after the message. */
int vmitn_lua_meta_json(const runner *r, const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/meta", dir);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "vmitn: %s: cannot read: %s\n", path, strerror(errno));
        return -1;
    }
    cJSON *o = cJSON_CreateObject();
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\n")] = '\0';
        char *eq = strstr(line, " = ");
        if (eq == NULL) {
            if (strcmp(line, "experiments =") == 0)
                cJSON_AddItemToObject(o, "experiments", cJSON_CreateArray());
            continue;
        }
        *eq = '\0';
        char *v = eq + 3, *w = v;
        for (char *s = v; *s; s++) { /* undo vmitn_escape_line */
            unsigned x;
            if (*s != '\\' || !s[1])
                *w++ = *s;
            else if (s[1] == 'x' && sscanf(s + 2, "%2x", &x) == 1)
                *w++ = (char)x, s += 3;
            else
                *w++ = s[1] == 'n' ? '\n' : s[1] == 'r' ? '\r' : s[1] == 't' ? '\t' : s[1], s++;
        }
        *w = '\0';
        char *cv = utf8_clean(v), *key = utf8_clean(line);
        size_t n = strlen(cv);
        cJSON *item;
        if (strcmp(key, "experiments") == 0) {
            item = cJSON_CreateArray();
            for (char *t = strtok(cv, " "); t != NULL; t = strtok(NULL, " "))
                cJSON_AddItemToArray(item, cJSON_CreateString(t));
        } else if (string_key(r, line)) {
            item = cJSON_CreateString(cv);
        } else if (n >= 2 && cv[0] == '"' && cv[n - 1] == '"') {
            cv[n - 1] = '\0';
            item = cJSON_CreateString(cv + 1);
        } else if (strcmp(cv, "true") == 0 || strcmp(cv, "false") == 0) {
            item = cJSON_CreateBool(cv[0] == 't');
        } else if (number_text(cv) && isfinite(strtod(cv, NULL))) {
            item = cJSON_CreateNumber(strtod(cv, NULL));
        } else {
            item = cJSON_CreateString(cv);
        }
        cJSON_AddItemToObject(o, key, item);
        free(cv);
        free(key);
    }
    free(line);
    fclose(f);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    snprintf(path, sizeof path, "%s/meta.json", dir);
    FILE *g = text ? fopen(path, "w") : NULL;
    int rc = g ? 0 : -1;
    if (g != NULL) {
        fputs(text, g);
        fputc('\n', g);
        rc = (ferror(g) | fclose(g)) ? -1 : 0;
    }
    free(text);
    if (rc < 0)
        fprintf(stderr, "vmitn: %s: cannot write\n", path);
    return rc;
}
