#ifndef CSLUICE_ZLIB_SHIM_H
#define CSLUICE_ZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2 is a macro: wrap it for Swift. windowBits -15 = raw deflate,
/// 15+32 = zlib or gzip header auto-detected, 15+16 = gzip only.
static inline int csluice_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
#endif
