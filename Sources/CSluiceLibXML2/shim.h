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

/// What a parser reported, kept per reader / per context (never in libxml2's
/// process- or thread-global error state, since several threads parse at once).
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

/// Structured handler for xmlTextReaderSetStructuredErrorHandler: `arg` is a csluice_error_record.
static inline void csluice_reader_error(void *arg, xmlErrorPtr err) {
    csluice_record_into((csluice_error_record *)arg, err);
}
static inline void csluice_reader_set_error_record(xmlTextReaderPtr reader, csluice_error_record *rec) {
    xmlTextReaderSetStructuredErrorHandler(reader, csluice_reader_error, rec);
}

/// Whether libxml2 stopped the parse early (xmlHaltParser: depth, resource limits).
static inline int csluice_ctxt_halted(xmlParserCtxtPtr ctxt) {
    return ctxt != NULL && ctxt->disableSAX != 0;
}
/// The entity an entity-reference node points at, or NULL when it is undeclared.
static inline xmlEntityPtr csluice_entity_of_reference(xmlNodePtr node) {
    if (node == NULL || node->type != XML_ENTITY_REF_NODE || node->children == NULL) return NULL;
    if (node->children->type != XML_ENTITY_DECL) return NULL;
    return (xmlEntityPtr)node->children;
}
#endif
