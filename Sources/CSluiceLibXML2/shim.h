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
#endif
