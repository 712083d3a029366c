internal import CSluiceLibXML2
import SluiceCore

/// Streams an XML document through libxml2's SAX2 parser (never a tree) into
/// text, flat fields and a title; splits Federal Register issues and eCFR
/// titles into parts as their end tags are read.
///
/// SAX2 rather than xmlTextReader: the reader builds and frees a node for
/// every element and text run, which alone costs libxml2 about 1.7 times the
/// SAX parse. Safety is the same: no network (XML_PARSE_NONET), no DTD loading,
/// no entity substitution by libxml2, no XInclude (xi:include elements are
/// inert), errors kept per parse (never in libxml2's globals). A reference to
/// an external entity fails the document as `.xxeBlocked`; internal entities
/// with plain text are expanded by Sluice within `maxEntityExpansionBytes`.
struct XMLDocumentReader {
    let limits: ParseLimits

    func read(_ bytes: [UInt8], name: String) throws -> [ParsedDocument] {
        do {
            return try read(bytes, name: name, whole: false)
        } catch is NoPartsFoundMarker {
            // An FEDREG/ECFR root without any part: a record for the whole document after all.
            return try read(bytes, name: name, whole: true)
        }
    }

    private func read(_ bytes: [UInt8], name: String, whole: Bool) throws -> [ParsedDocument] {
        let input = EncodingDetector.xmlInput(bytes)
        do {
            return try readOnce(input.converted ?? bytes, converted: input.converted != nil, encoding: input.encoding, name: name, whole: whole)
        } catch let error as SluiceError where error.code == .encoding && input.converted == nil && input.encoding == "UTF-8" {
            // Declared UTF-8 (or undeclared) but not UTF-8: usually a Windows-1252 export mislabelled.
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            guard !EncodingDetector.isValidUTF8(body), let fixed = EncodingDetector.plausibleCP1252(body) else {
                throw SluiceError(
                    .encoding, "\(error.message); the bytes are not UTF-8 and do not read as Windows-1252 text either",
                    item: name)
            }
            return try readOnce(fixed, converted: true, encoding: "windows-1252", name: name, whole: whole)
        }
    }

    /// One SAX pass over `bytes`. `converted` bytes are UTF-8 made by Sluice,
    /// so the document's own encoding declaration is ignored.
    private func readOnce(_ bytes: [UInt8], converted: Bool, encoding: String?, name: String, whole: Bool) throws -> [ParsedDocument] {
        var options = XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
        if converted { options |= XML_PARSE_IGNORE_ENC.rawValue }
        let stream = UnsafeMutablePointer<XMLStream>.allocate(capacity: 1)
        stream.initialize(to: XMLStream(limits: limits, name: name, reserve: min(bytes.count, 1 << 24)))
        defer {
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        if whole { stream.pointee.segmentation = .whole }
        let context = UnsafeMutablePointer<csluice_sax_context>.allocate(capacity: 1)
        context.initialize(to: csluice_sax_context())
        defer { context.deallocate() }
        context.pointee.state = UnsafeMutableRawPointer(stream)
        context.pointee.maxAttributes = limits.maxAttributesPerElement
        let declared: String? = try bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { throw SluiceError(.empty, "the document is empty", item: name) }
                let ctxt = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    csluice_sax_create($0, Int32(buffer.count), Int32(options), context, onStart, onEnd, onCharacters, onReference)
                }
                guard let ctxt else { throw SluiceError(.malformed, "libxml2 could not start reading the document", item: name) }
                defer { csluice_sax_free(ctxt) }
                stream.pointee.ctxt = ctxt
                xmlParseDocument(ctxt)
                stream.pointee.ctxt = nil
                if let failure = stream.pointee.failure { throw failure }
                if context.pointee.tooManyAttributes != 0 {
                    throw SluiceError(
                        .tooLarge,
                        "the DTD (an <!ATTLIST> or the text of an entity) could give an element over \(limits.maxAttributesPerElement) attributes (parse.max_attributes_per_element); refused",
                        item: name)
                }
                if ctxt.pointee.wellFormed == 0 || context.pointee.errors.depthExceeded != 0 {
                    throw XMLStream.failure(context.pointee.errors, name: name)
                }
                return ctxt.pointee.encoding.map { String(cString: $0) }
        }
        return try stream.pointee.documents(encoding: encoding ?? declared ?? "UTF-8")
    }
}

/// The stream object behind a SAX callback's context, or nil for events from
/// libxml2's internal entity checks.
private func stream(_ ctx: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<XMLStream>? {
    guard let context = csluice_sax_context_of(ctx), let state = context.pointee.state else { return nil }
    return state.assumingMemoryBound(to: XMLStream.self)
}

private let onStart: startElementNsSAX2Func = { ctx, local, prefix, uri, _, _, attributeCount, defaulted, attributes in
    stream(ctx)?.pointee.startElement(
        local: local, prefix: prefix, uri: uri, attributes: attributes, count: Int(attributeCount - defaulted))
}

private let onEnd: endElementNsSAX2Func = { ctx, _, _, _ in
    stream(ctx)?.pointee.endElement()
}

private let onCharacters: charactersSAXFunc = { ctx, characters, length in
    guard let characters, length > 0 else { return }
    stream(ctx)?.pointee.characters(characters, count: Int(length))
}

private let onReference: referenceSAXFunc = { ctx, name in
    stream(ctx)?.pointee.entityReference(name)
}
