#ifndef CSLUICE_LIBXML2_SHIM_H
#define CSLUICE_LIBXML2_SHIM_H
// xmlversion.h first, then drop ICU: Debian's libxml2 is built with ICU and its
// headers would clash with Foundation's own ICU copy (see STYLE.md).
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/encoding.h>
#include <libxml/entities.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

/// xmlFree is a global function pointer that Swift 6 cannot call directly.
static inline void csluice_xmlFree(void *p) { xmlFree(p); }

/// A structured-error handler that drops libxml2's messages on the floor;
/// errors are read back through xmlTextReader / xmlCtxtGetLastError instead.
static inline void csluice_silent_structured(void *ctx, xmlErrorPtr err) { (void)ctx; (void)err; }
static inline void csluice_silent_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void csluice_xmlSilence(void) {
    xmlSetStructuredErrorFunc(NULL, csluice_silent_structured);
    xmlSetGenericErrorFunc(NULL, csluice_silent_generic);
}
/// Refuses every external entity / DTD load: nothing outside the document is read.
static inline xmlParserInputPtr csluice_noExternalLoader(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
    (void)url; (void)id; (void)ctxt; return NULL;
}
static inline void csluice_installNoExternalLoader(void) {
    xmlSetExternalEntityLoader(csluice_noExternalLoader);
}

#include <string.h>

/// What a parser reported, kept per parse (never in libxml2's process- or
/// thread-global error state, since several threads parse at once).
typedef struct {
    int hasError;      /* an error of level ERROR or FATAL was seen */
    int hasFatal;      /* the first FATAL error is recorded below */
    int code;          /* xmlParserErrors of the recorded error */
    int line;
    int depthExceeded; /* libxml2 halted on "Excessive depth" */
    char message[512];
} csluice_error_record;

static inline void csluice_record_into(csluice_error_record *rec, xmlErrorPtr err) {
    if (rec == NULL || err == NULL || err->level < XML_ERR_ERROR) return;
    if (err->message != NULL && strstr(err->message, "Excessive depth") != NULL) rec->depthExceeded = 1;
    /* The first fatal error explains a failure best; otherwise keep the first error. */
    if (rec->hasFatal || (rec->hasError && err->level != XML_ERR_FATAL)) { rec->hasError = 1; return; }
    rec->hasError = 1;
    rec->hasFatal = err->level == XML_ERR_FATAL;
    rec->code = err->code;
    rec->line = err->line;
    rec->message[0] = 0;
    if (err->message != NULL) {
        strncpy(rec->message, err->message, sizeof(rec->message) - 1);
        rec->message[sizeof(rec->message) - 1] = 0;
    }
}

/// Whether libxml2 stopped the parse early (xmlHaltParser: depth, resource limits).
static inline int csluice_ctxt_halted(xmlParserCtxtPtr ctxt) {
    return ctxt != NULL && ctxt->disableSAX != 0;
}
/// Per-parse state reachable from every SAX callback through ctxt->_private.
typedef struct {
    csluice_error_record errors;
    void *state;            /* the Swift-side stream object */
    xmlParserCtxtPtr main;  /* callbacks from other contexts (entity well-formedness checks) are ignored */
    long maxAttributes;     /* parse.max_attributes_per_element; 0 for no limit */
    long declaredAttributes;/* attribute declarations seen in the internal DTD subset */
    int tooManyAttributes;  /* 1: the DTD would give an element more than maxAttributes; parse stopped */
} csluice_sax_context;

static inline void csluice_sax_error(void *userData, xmlErrorPtr err) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)userData;
    if (ctxt == NULL || ctxt->_private == NULL) return;
    csluice_record_into(&((csluice_sax_context *)ctxt->_private)->errors, err);
}

/// The Sluice context of a callback's `ctx`, or NULL when the event comes from
/// a context other than the main one (libxml2 re-parses entity text to check it).
static inline csluice_sax_context *csluice_sax_context_of(void *ctx) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)ctx;
    if (ctxt == NULL || ctxt->_private == NULL) return NULL;
    csluice_sax_context *context = (csluice_sax_context *)ctxt->_private;
    return context->main == ctxt ? context : NULL;
}

/// The attribute pre-scan reads the document's bytes, but two DTD constructs reach libxml2's start-tag
/// code, whose duplicate check is quadratic in the attributes of one element, without showing up there:
/// default attributes declared with <!ATTLIST> (added to every element they name) and start tags inside
/// an internal entity's text written with character references (&#60;a ...>), which libxml2 parses when
/// it checks the entity at its first reference. 100,000 of either took about a minute. Both are counted
/// as they are declared, and the parse is stopped once they could pass the limit.
static inline void csluice_attribute_decl(void *ctx, const xmlChar *elem, const xmlChar *fullname, int type,
                                          int def, const xmlChar *defaultValue, xmlEnumerationPtr tree) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)ctx;
    csluice_sax_context *context = ctxt != NULL ? (csluice_sax_context *)ctxt->_private : NULL;
    if (context != NULL && context->maxAttributes > 0 && ++context->declaredAttributes > context->maxAttributes) {
        context->tooManyAttributes = 1;
        if (tree != NULL) xmlFreeEnumeration(tree); /* xmlSAX2AttributeDecl would have taken it */
        xmlStopParser(ctxt);
        return;
    }
    xmlSAX2AttributeDecl(ctx, elem, fullname, type, def, defaultValue, tree);
}

/// An entity's text (character references already replaced) can hold at most one attribute per '='.
static inline void csluice_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *publicId,
                                       const xmlChar *systemId, xmlChar *content) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)ctx;
    csluice_sax_context *context = ctxt != NULL ? (csluice_sax_context *)ctxt->_private : NULL;
    if (context != NULL && context->maxAttributes > 0 && content != NULL) {
        long equals = 0;
        for (const xmlChar *p = content; *p != 0; p++) equals += *p == '=';
        if (equals > context->maxAttributes) {
            context->tooManyAttributes = 1;
            xmlStopParser(ctxt);
            return;
        }
    }
    xmlSAX2EntityDecl(ctx, name, type, publicId, systemId, content);
}

/// A parser context over `buffer` with libxml2's SAX2 handler for the prolog
/// (DTD declarations, entity lookup) and Sluice's callbacks for content: no
/// tree is built. Errors go to `context->errors` only (never to globals).
/// External subsets are never loaded (externalSubset is NULL, no DTDLOAD).
static inline xmlParserCtxtPtr csluice_sax_create(const char *buffer, int size, int options,
                                                  csluice_sax_context *context,
                                                  startElementNsSAX2Func start, endElementNsSAX2Func end,
                                                  charactersSAXFunc characters, referenceSAXFunc reference) {
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(buffer, size);
    if (ctxt == NULL) return NULL;
    xmlCtxtUseOptions(ctxt, options);
    xmlSAXHandlerPtr sax = ctxt->sax;
    xmlSAXVersion(sax, 2);
    sax->startElement = NULL;
    sax->endElement = NULL;
    sax->startElementNs = start;
    sax->endElementNs = end;
    sax->characters = characters;
    sax->ignorableWhitespace = characters;
    sax->cdataBlock = characters;
    sax->reference = reference;
    sax->comment = NULL;
    sax->processingInstruction = NULL;
    sax->externalSubset = NULL;
    sax->warning = NULL;
    sax->error = NULL;
    sax->fatalError = NULL;
    sax->serror = csluice_sax_error;
    sax->attributeDecl = csluice_attribute_decl;
    sax->entityDecl = csluice_entity_decl;
    ctxt->_private = context;
    ctxt->userData = ctxt;
    context->main = ctxt;
    return ctxt;
}

/// Frees the context and the small document libxml2 keeps the DTD declarations in.
static inline void csluice_sax_free(xmlParserCtxtPtr ctxt) {
    if (ctxt == NULL) return;
    if (ctxt->myDoc != NULL) { xmlFreeDoc(ctxt->myDoc); ctxt->myDoc = NULL; }
    xmlFreeParserCtxt(ctxt);
}

/// The declared entity `name` refers to, looked up in the document's DTD.
static inline xmlEntityPtr csluice_sax_entity(xmlParserCtxtPtr ctxt, const xmlChar *name) {
    if (ctxt == NULL || ctxt->myDoc == NULL || name == NULL) return NULL;
    return xmlGetDocEntity(ctxt->myDoc, name);
}

/// Appends `n` bytes of UTF-8 text at `src` to `dst`, collapsing white space:
/// runs of space, tab, CR, LF, FF, VT and no-break space become one space
/// (none at a line start), other C0 controls and DEL are dropped, and C1
/// controls (U+0080-U+009F, a Windows-1252 mislabel such as `&#150;`) become
/// their Windows-1252 characters. `dst` needs room for 2 * n + 1 bytes.
/// `pending` and `lineStart` carry the collapsing state between calls.
/// Returns the number of bytes written.
static inline long csluice_collapse_append(unsigned char *dst, const unsigned char *src, long n,
                                           int *pending, int *lineStart) {
    static const unsigned short c1[32] = {
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
    const unsigned long long ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    long o = 0, i = 0;
    int pend = *pending, start = *lineStart;
    while (i < n) {
        if (i + 8 <= n) {
            /* Eight bytes at once: the lowest flagged byte is the first white space,
               control, DEL or 0xC2 (borrows only carry upward); copy what precedes it. */
            unsigned long long x, y, z, mask;
            memcpy(&x, src + i, 8);
            y = x ^ (ones * 0x7F);
            z = x ^ (ones * 0xC2);
            mask = ((x - ones * 0x21) & ~x & highs) | ((y - ones) & ~y & highs) | ((z - ones) & ~z & highs);
            long k = mask ? (long)(__builtin_ctzll(mask) >> 3) : 8;
            /* One space between two words, inside the same eight bytes, is kept as it is: copied with
               the bytes before it, not flagged and then passed through the white-space branch (prose has
               a space every few bytes). Not at a line start or after pending white space, where a space
               is dropped or merged. k < 7, so src[i + k + 1] is one of the eight bytes read (i + 8 <= n). */
            if (k < 7 && src[i + k] == ' ' && (k > 0 || (!pend && !start))) {
                unsigned char next = src[i + k + 1];
                if (next > 0x20 && next != 0x7F && next != 0xC2) k += 1;
            }
            if (k > 0) {
                if (pend) { dst[o++] = ' '; pend = 0; }
                memcpy(dst + o, &x, 8); /* room: dst holds 2 * n + 1 bytes */
                o += k;
                i += k;
                start = 0;
                continue;
            }
        }
        unsigned char b = src[i];
        if (b > 0x20 && b != 0x7F && b != 0xC2) {
            if (pend) { dst[o++] = ' '; pend = 0; }
            dst[o++] = b;
            i++;
            start = 0;
            continue;
        }
        i++;
        if (b == 0xC2 && i < n) {
            unsigned char next = src[i];
            if (next == 0xA0) { i++; if (!start) pend = 1; continue; }
            if (next >= 0x80 && next <= 0x9F) {
                unsigned cp = c1[next - 0x80];
                i++;
                if (cp == 0) continue;
                if (pend) { dst[o++] = ' '; pend = 0; }
                if (cp < 0x800) { dst[o++] = (unsigned char)(0xC0 | (cp >> 6)); dst[o++] = (unsigned char)(0x80 | (cp & 0x3F)); }
                else {
                    dst[o++] = (unsigned char)(0xE0 | (cp >> 12));
                    dst[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                    dst[o++] = (unsigned char)(0x80 | (cp & 0x3F));
                }
                start = 0;
                continue;
            }
        }
        if (b == 0xC2) {
            if (pend) { dst[o++] = ' '; pend = 0; }
            dst[o++] = b;
            start = 0;
            continue;
        }
        if (b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' || b == '\v') {
            if (!start) pend = 1;
            /* Indentation: skip runs of white space, eight spaces at a time where possible. */
            for (;;) {
                while (i + 8 <= n) {
                    unsigned long long x;
                    memcpy(&x, src + i, 8);
                    if (x != ones * 0x20) break;
                    i += 8;
                }
                if (i < n && (src[i] == ' ' || src[i] == '\n' || src[i] == '\t' || src[i] == '\r')) { i++; continue; }
                break;
            }
        }
    }
    *pending = pend;
    *lineStart = start;
    return o;
}
#endif
