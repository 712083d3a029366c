internal import CSluiceLibXML2
import SluiceCore

/// Streams an XML document through libxml2's xmlTextReader (never a whole tree)
/// into text, flat fields and a title; splits Federal Register issues and eCFR
/// titles into parts as their end tags are read.
///
/// Safety: no network (XML_PARSE_NONET), no DTD loading, no entity substitution
/// by libxml2, no XInclude (xi:include elements are inert), libxml2's own depth
/// limit, errors kept per reader. A reference to an external entity fails the
/// document as `.xxeBlocked`; internal entities with plain text are expanded by
/// Sluice within `maxEntityExpansionBytes`.
struct XMLDocumentReader {
    let limits: ParseLimits

    func read(_ bytes: [UInt8], name: String) throws -> [ParsedDocument] {
        do {
            return try read(bytes, name: name, whole: false)
        } catch is NoPartsFound {
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

    /// One pass of the reader over `bytes`. `converted` bytes are UTF-8 made by
    /// Sluice, so the document's own encoding declaration is ignored.
    private func readOnce(_ bytes: [UInt8], converted: Bool, encoding: String?, name: String, whole: Bool) throws -> [ParsedDocument] {
        var options = XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
        if converted { options |= XML_PARSE_IGNORE_ENC.rawValue }
        let errors = UnsafeMutablePointer<csluice_error_record>.allocate(capacity: 1)
        errors.initialize(to: csluice_error_record())
        defer { errors.deallocate() }
        return try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { throw SluiceError(.empty, "the document is empty", item: name) }
            let reader = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReaderForMemory($0, Int32(buffer.count), nil, converted ? "UTF-8" : nil, Int32(options))
            }
            guard let reader else { throw SluiceError(.malformed, "libxml2 could not start reading the document", item: name) }
            defer { xmlFreeTextReader(reader) }
            csluice_reader_set_error_record(reader, errors)
            var stream = XMLStream(limits: limits, name: name, reserve: min(buffer.count, 1 << 24))
            if whole { stream.segmentation = .whole }
            try stream.run(reader, errors: errors)
            let used = encoding ?? xmlTextReaderConstEncoding(reader).map { String(cString: $0) } ?? "UTF-8"
            return try stream.documents(encoding: used)
        }
    }
}

/// A segmented root (FEDREG, ECFR) held no part: read the document whole instead.
private struct NoPartsFound: Error {}

/// The reader loop's state: element names, the open document or part, and the finished parts.
private struct XMLStream {
    let limits: ParseLimits
    let name: String
    let reserve: Int
    var names = ElementNames()
    var segmentation: Segmentation?
    var current: DocumentAccumulator?
    var finished: [(accumulator: DocumentAccumulator, part: String?)] = []
    var partOrdinals: [String: Int] = [:]
    var expandedEntityBytes = 0
    /// Elements seen so far.
    var elementCount = 0

    init(limits: ParseLimits, name: String, reserve: Int) {
        self.limits = limits
        self.name = name
        self.reserve = reserve
    }

    mutating func run(_ reader: xmlTextReaderPtr, errors: UnsafeMutablePointer<csluice_error_record>) throws {
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 { throw Self.failure(errors.pointee, name: name) }
            switch xmlTextReaderNodeType(reader) {
            case 1:  // XML_READER_TYPE_ELEMENT
                guard let node = xmlTextReaderCurrentNode(reader) else { continue }
                try startElement(reader, node: node)
            case 15:  // XML_READER_TYPE_END_ELEMENT
                endElement()
            case 3, 4, 14:  // TEXT, CDATA, SIGNIFICANT_WHITESPACE
                guard current != nil, let value = xmlTextReaderConstValue(reader) else { continue }
                current?.appendText(value)
                if current?.textOverflowed == true { throw tooMuchText() }
            case 5:  // XML_READER_TYPE_ENTITY_REFERENCE
                guard let node = xmlTextReaderCurrentNode(reader) else { continue }
                try entityReference(node)
            default:
                continue
            }
        }
        if errors.pointee.depthExceeded != 0 { throw Self.failure(errors.pointee, name: name) }
    }

    private mutating func startElement(_ reader: xmlTextReaderPtr, node: xmlNodePtr) throws {
        let depth = Int(xmlTextReaderDepth(reader))
        if depth >= limits.maxDepth {
            throw SluiceError(.tooDeep, "elements nest deeper than \(limits.maxDepth) levels", item: name)
        }
        defer { elementCount += 1 }
        let infoIndex = names.lookup(node: node)
        let info = names.infos[infoIndex]
        let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
        if elementCount == 0 {
            if segmentation == nil { segmentation = Segmentation(root: info.name.local) }
            if segmentation == .whole {
                current = DocumentAccumulator(baseDepth: 0, root: info.name, textLimit: limits.maxTextCharacters, reserve: reserve)
            }
        }
        if current == nil {
            // Outside any part of a segmented document: only look for the next part.
            guard segmentation?.startsPart(info.name.local, attribute: { Self.attribute(node, $0) }) == true else { return }
            current = DocumentAccumulator(
                baseDepth: depth, root: info.name, textLimit: limits.maxTextCharacters, reserve: min(reserve, 1 << 20))
        }
        let attributes = node.pointee.properties == nil ? [] : Self.attributes(node)
        current?.startElement(info, infoIndex: infoIndex, depth: depth, attributes: attributes, isEmpty: isEmpty)
        if isEmpty, current?.isOpen == false { closePart() }
    }

    private mutating func endElement() {
        guard current != nil else { return }
        if current?.endElement(names) == true { closePart() }
    }

    private mutating func closePart() {
        guard let done = current else { return }
        current = nil
        var part: String?
        switch segmentation {
        case .federalRegister:
            let local = done.root.local
            part = done.frDocLine.flatMap(Segmentation.frDocumentNumber) ?? nextOrdinal(local)
        case .ecfr:
            part = done.fields.first?.attribute("N").map(Segmentation.ecfrPartKey) ?? nextOrdinal("part")
        default:
            part = nil
        }
        finished.append((done, part))
    }

    private mutating func nextOrdinal(_ local: String) -> String {
        let n = (partOrdinals[local] ?? 0) + 1
        partOrdinals[local] = n
        return "\(local)-\(n)"
    }

    /// An entity reference left in place by libxml2 (no substitution).
    private mutating func entityReference(_ node: xmlNodePtr) throws {
        guard let entity = csluice_entity_of_reference(node) else { return }
        let kind = entity.pointee.etype
        if kind == XML_EXTERNAL_GENERAL_PARSED_ENTITY || kind == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY {
            let entityName = entity.pointee.name.map { String(cString: $0) } ?? "?"
            let system = entity.pointee.SystemID.map { String(cString: $0) } ?? "?"
            throw SluiceError(
                .xxeBlocked,
                "the document uses external entity &\(entityName); (SYSTEM \"\(system)\"); external entities are never loaded",
                item: name)
        }
        guard current != nil, kind == XML_INTERNAL_GENERAL_ENTITY, let content = entity.pointee.content else { return }
        let length = Int(entity.pointee.length)
        expandedEntityBytes += length
        if expandedEntityBytes > limits.maxEntityExpansionBytes {
            throw SluiceError(
                .entityExpansion,
                "entity references expand to over \(limits.maxEntityExpansionBytes) bytes (entity-expansion bomb?)",
                item: name)
        }
        // Only plain-text replacement text is used: markup or nested references are skipped, never recursed into.
        let raw = UnsafeBufferPointer(start: content, count: length)
        if raw.contains(UInt8(ascii: "&")) || raw.contains(UInt8(ascii: "<")) { return }
        current?.appendText(content)
        if current?.textOverflowed == true { throw tooMuchText() }
    }

    func documents(encoding: String) throws -> [ParsedDocument] {
        if let current, current.isOpen {
            throw SluiceError(.malformed, "the document ended inside an element", item: name)
        }
        if segmentation != .whole, finished.isEmpty { throw NoPartsFound() }
        let docs = finished.map { $0.accumulator.finish(part: $0.part, encoding: encoding) }.filter { !$0.text.isEmpty }
        if docs.isEmpty {
            let what = segmentation == .whole || segmentation == nil ? "the document has no text" : "the document has no parts with text"
            throw SluiceError(.noText, what, item: name)
        }
        return docs
    }

    private func tooMuchText() -> SluiceError {
        SluiceError(
            .tooLarge, "the text passes \(limits.maxTextCharacters) characters (ParseLimits.maxTextCharacters)", item: name)
    }

    /// Attributes by qualified name as written; namespace declarations are not attributes.
    private static func attributes(_ node: xmlNodePtr) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        var attr = node.pointee.properties
        while let a = attr {
            attr = a.pointee.next
            guard let localName = a.pointee.name else { continue }
            var qualified = String(cString: localName)
            if let prefix = a.pointee.ns?.pointee.prefix { qualified = String(cString: prefix) + ":" + qualified }
            out.append((qualified, Self.value(a)))
        }
        return out
    }

    /// An attribute's value from its text children; entity references in it are not expanded.
    private static func value(_ attr: xmlAttrPtr) -> String {
        guard let first = attr.pointee.children else { return "" }
        if first.pointee.next == nil {
            return first.pointee.type == XML_TEXT_NODE ? first.pointee.content.map { String(cString: $0) } ?? "" : ""
        }
        var out = ""
        var child: xmlNodePtr? = first
        while let c = child {
            if c.pointee.type == XML_TEXT_NODE, let content = c.pointee.content { out += String(cString: content) }
            child = c.pointee.next
        }
        return out
    }

    private static func attribute(_ node: xmlNodePtr, _ wanted: String) -> String? {
        attributes(node).first { $0.name == wanted }?.value
    }

    static func failure(_ record: csluice_error_record, name: String) -> SluiceError {
        var record = record
        let message = withUnsafeBytes(of: &record.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let text = collapseWhitespace(message.isEmpty ? "libxml2 stopped reading the document" : message)
        let detail = "libxml2: \(text) (line \(record.line))"
        if record.depthExceeded != 0 {
            return SluiceError(.tooDeep, "\(detail); elements nest deeper than libxml2's limit", item: name)
        }
        let code: SluiceError.Code
        switch xmlParserErrors(rawValue: UInt32(record.code)) {
        case XML_ERR_ENTITY_LOOP, XML_ERR_ENTITY_BOUNDARY:
            code = .entityExpansion
        case XML_ERR_INVALID_CHAR, XML_ERR_INVALID_ENCODING, XML_ERR_UNKNOWN_ENCODING, XML_ERR_UNSUPPORTED_ENCODING:
            code = text.contains("not proper UTF-8") || record.code != Int32(XML_ERR_INVALID_CHAR.rawValue) ? .encoding : .malformed
        case XML_ERR_EXT_ENTITY_STANDALONE, XML_IO_LOAD_ERROR:
            code = .xxeBlocked
        default:
            code = text.contains("Excessive depth") ? .tooDeep : text.contains("huge") || text.contains("Huge") ? .tooLarge : .malformed
        }
        return SluiceError(code, detail, item: name)
    }
}
