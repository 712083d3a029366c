internal import CSluiceLibXML2
import SluiceCore

/// The SAX callbacks' state: element names, the open document or part, and the
/// finished parts. It lives behind an UnsafeMutablePointer that libxml2 hands
/// back to the callbacks (a struct there: no dynamic exclusivity checks per
/// event, as a class's stored properties would need). A failure is recorded in
/// `failure` and the parser stopped (C callbacks cannot throw).
struct XMLStream {
    let limits: ParseLimits
    let name: String
    let reserve: Int
    var ctxt: xmlParserCtxtPtr?
    var names = ElementNames()
    var segmentation: Segmentation?
    var current: DocumentAccumulator?
    /// `current != nil`, kept apart so the hot callbacks test a Bool instead of the optional struct.
    var hasCurrent = false
    var finished: [(accumulator: DocumentAccumulator, part: String?)] = []
    var partOrdinals: [String: Int] = [:]
    var usedParts: Set<String> = []
    var expandedEntityBytes = 0
    /// Open elements (the depth of the next element).
    var depth = 0
    var elementCount = 0
    /// Headings read outside the parts that the parts belong under (an eCFR part's chapter), by meta key.
    var outerMeta: [String: String] = [:]
    /// The heading being captured outside a part: its element depth, meta key and bytes.
    var headCapture: (depth: Int, key: String, bytes: [UInt8])?
    /// The meta key the next HEAD outside a part is captured under.
    var pendingHeadKey: String?
    private(set) var failure: SluiceError?

    init(limits: ParseLimits, name: String, reserve: Int) {
        self.limits = limits
        self.name = name
        self.reserve = reserve
    }

    private mutating func fail(_ error: SluiceError) {
        if failure == nil { failure = error }
        if let ctxt { xmlStopParser(ctxt) }
    }

    mutating func startElement(
        local: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?,
        attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int
    ) {
        guard failure == nil else { return }
        let elementDepth = depth
        depth += 1
        elementCount += 1
        if elementDepth >= limits.maxDepth {
            fail(SluiceError(.tooDeep, "elements nest deeper than \(limits.maxDepth) levels", item: name))
            return
        }
        let infoIndex = names.element(local: local, prefix: prefix, namespace: uri)
        let name = names.infos[infoIndex].name
        if elementCount == 1 {
            if segmentation == nil { segmentation = Segmentation(root: name.local) }
            if segmentation == .whole {
                current = DocumentAccumulator(
                    baseDepth: 0, root: name, textLimit: limits.maxTextCharacters, reserve: reserve, expectedFields: reserve / 48)
                hasCurrent = true
            }
        }
        // A lone attribute (a data export's s:id or s:ref, the common case) is read apart: it goes
        // into its field without an array.
        let lone = count == 1 ? readAttribute(attributes, 0) : nil
        let fields = count > 1 ? readAttributes(attributes, count: count) : []
        if !hasCurrent {
            // Outside any part of a segmented document: note the headings parts belong under,
            // and look for the next part.
            let listed = lone.map { [$0] } ?? fields
            if segmentation == .ecfr { noteOuterHeading(name.local, fields: listed, depth: elementDepth) }
            let starts = segmentation?.startsPart(name.local) { wanted in listed.first { $0.name == wanted }?.value }
            guard starts == true else { return }
            current = DocumentAccumulator(
                baseDepth: elementDepth, root: name, textLimit: limits.maxTextCharacters, reserve: min(reserve, 1 << 20),
                expectedFields: 256)
            current?.meta = outerMeta
            hasCurrent = true
        }
        let role = names.infos[infoIndex].role
        let titleSlot = names.infos[infoIndex].titleSlot
        current?.startElement(
            name: consume name, role: role, titleSlot: titleSlot, infoIndex: infoIndex, depth: elementDepth,
            attributes: consume fields, lone: consume lone)
    }

    mutating func endElement() {
        depth -= 1
        if let capture = headCapture, depth == capture.depth {
            outerMeta[capture.key] = String(decoding: capture.bytes, as: UTF8.self)
                .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            headCapture = nil
        }
        guard hasCurrent, failure == nil else { return }
        if current?.endElement(names) == true { closePart() }
    }

    mutating func characters(_ p: UnsafePointer<xmlChar>, count: Int) {
        if headCapture != nil, !hasCurrent, (headCapture?.bytes.count ?? 0) < 1000 {
            headCapture?.bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
        }
        guard hasCurrent, failure == nil else { return }
        current?.appendText(p, count: count)
        if current?.textOverflowed == true { fail(tooMuchText()) }
    }

    /// An eCFR chapter (`DIV3 TYPE="CHAPTER"`) names the agency its parts belong to: its HEAD
    /// becomes `meta["chapter"]` of every part that follows, until the next chapter.
    private mutating func noteOuterHeading(_ local: String, fields: [(name: String, value: String)], depth: Int) {
        if local == "DIV3", fields.first(where: { $0.name == "TYPE" })?.value == "CHAPTER" {
            outerMeta["chapter"] = nil
            pendingHeadKey = "chapter"
        } else if local == "HEAD", let key = pendingHeadKey {
            headCapture = (depth, key, [])
            pendingHeadKey = nil
        }
    }

    /// SAX2 attributes: five pointers each (local name, prefix, URI, value start, value end).
    private mutating func readAttributes(
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int
    ) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            guard let attribute = readAttribute(attributes, i) else { break }
            out.append(attribute)
        }
        return out
    }

    /// Attribute i of a SAX2 start-element event (nil when libxml2 gave no attributes).
    private mutating func readAttribute(
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ i: Int
    ) -> (name: String, value: String)? {
        guard let attributes else { return nil }
        // Invariant: i is below the event's attribute count, and libxml2 passes five pointers per attribute.
        let base = attributes + 5 * i
        let qualified = names.attribute(local: base[0], prefix: base[1])
        var value = ""
        if let start = base[3], let end = base[4], end > start {
            value = utf8String(UnsafeBufferPointer(start: start, count: end - start))
        }
        return (qualified, value)
    }

    private mutating func closePart() {
        guard let done = current else { return }
        current = nil
        hasCurrent = false
        var part: String?
        switch segmentation {
        case .federalRegister:
            part = done.frDocLine.flatMap(Segmentation.frDocumentNumber) ?? nextOrdinal(done.root.local)
        case .ecfr:
            part = done.fields.first?.attribute("N").map(Segmentation.ecfrPartKey) ?? nextOrdinal("part")
        default:
            part = nil
        }
        if let key = part {
            // Part keys name records: a repeated FR document number (a correction printed twice) gets a suffix.
            var unique = key
            var n = 1
            while usedParts.contains(unique) {
                n += 1
                unique = "\(key)-\(n)"
            }
            usedParts.insert(unique)
            part = unique
        }
        finished.append((done, part))
    }

    private mutating func nextOrdinal(_ local: String) -> String {
        let n = (partOrdinals[local] ?? 0) + 1
        partOrdinals[local] = n
        return "\(local)-\(n)"
    }

    /// An entity reference libxml2 left unexpanded (no substitution).
    mutating func entityReference(_ entityName: UnsafePointer<xmlChar>?) {
        guard failure == nil, let ctxt, let entity = csluice_sax_entity(ctxt, entityName) else { return }
        let kind = entity.pointee.etype
        if kind == XML_EXTERNAL_GENERAL_PARSED_ENTITY || kind == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY {
            let label = entityName.map { String(cString: $0) } ?? "?"
            let system = entity.pointee.SystemID.map { String(cString: $0) } ?? "?"
            fail(
                SluiceError(
                    .xxeBlocked,
                    "the document uses external entity &\(label); (SYSTEM \"\(system)\"); external entities are never loaded",
                    item: name))
            return
        }
        guard hasCurrent, kind == XML_INTERNAL_GENERAL_ENTITY, let content = entity.pointee.content else { return }
        let length = Int(entity.pointee.length)
        expandedEntityBytes += length
        if expandedEntityBytes > limits.maxEntityExpansionBytes {
            fail(
                SluiceError(
                    .entityExpansion,
                    "entity references expand to over \(limits.maxEntityExpansionBytes) bytes (entity-expansion bomb?)",
                    item: name))
            return
        }
        // Only plain-text replacement text is used: markup or nested references are skipped, never recursed into.
        let raw = UnsafeBufferPointer(start: content, count: length)
        if raw.contains(UInt8(ascii: "&")) || raw.contains(UInt8(ascii: "<")) { return }
        characters(content, count: length)
    }

    func documents(encoding: String) throws -> [ParsedDocument] {
        if let current, current.isOpen {
            throw SluiceError(.malformed, "the document ended inside an element", item: name)
        }
        if segmentation != .whole, segmentation != nil, finished.isEmpty { throw NoPartsFoundMarker() }
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

/// Thrown by `XMLStream.documents` when a segmented root (FEDREG, ECFR) held
/// no part: the reader then reads the document whole instead.
struct NoPartsFoundMarker: Error {}
