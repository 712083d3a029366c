/* The HTML half of the benchmark's floor: parse each file named on the command
 * line with libxml2's HTML parser and free the tree, nothing else.
 *
 *   cc -O2 html-floor.c $(pkg-config --cflags --libs libxml-2.0) -o html-floor
 *   html-floor FILE...
 *
 * Same options as Sluice's HTML reader: recover, no network, no error output. */
#include <stdio.h>
#include <stdlib.h>
#include <libxml/HTMLparser.h>

static char *slurp(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(*size > 0 ? *size : 1);
    if (buf && fread(buf, 1, *size, f) != (size_t)*size) { free(buf); buf = NULL; }
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    int failed = 0;
    const int options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING;
    for (int i = 1; i < argc; i++) {
        long size = 0;
        char *buf = slurp(argv[i], &size);
        if (!buf) { failed++; continue; }
        htmlDocPtr doc = htmlReadMemory(buf, (int)size, argv[i], NULL, options);
        if (doc) xmlFreeDoc(doc); else failed++;
        free(buf);
    }
    xmlCleanupParser();
    if (failed) fprintf(stderr, "html-floor: %d files not parsed\n", failed);
    return failed ? 1 : 0;
}
