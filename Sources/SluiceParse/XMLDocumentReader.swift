internal import CSluiceLibXML2
import SluiceCore

/// Streams an XML document through libxml2's xmlTextReader into text and flat fields.
///
/// Safety: no network, no DTD loading, no entity substitution (entity references
/// stay unexpanded, so billion-laughs and quadratic blow-ups cost nothing), no XInclude.
struct XMLDocumentReader {
    let limits: ParseLimits

    /// Elements whose content flows inside a line rather than forming a block.
    static let inlineElements: Set<String> = [
        "E", "I", "B", "U", "SU", "FR", "FTREF", "PRTPAGE", "em", "strong", "i", "b", "u", "a", "span", "sub", "sup",
        "emphasis", "term", "quote", "ref", "xref", "footnote-ref",
    ]
    /// Elements whose text makes a good title, in order of preference.
    static let titleElements = ["title", "TITLE", "SUBJECT", "subject", "headline", "HEADING", "HD", "SUBJECT-LINE"]

    func read(_ bytes: [UInt8], name: String) throws -> ParsedDocument {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        let reader: xmlTextReaderPtr? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    xmlReaderForMemory($0, Int32(buf.count), nil, nil, options)
                }
            } ?? nil
        }
        guard let reader else { throw SluiceError(.malformed, "libxml2 could not start reading the document", item: name) }
        defer { xmlFreeTextReader(reader) }

        var builder = TextBuilder(limit: limits.maxTextCharacters)
        var fields: [XMLField] = []
        var stack: [Int] = []
        var root: XMLName?
        var titleCandidates: [String: String] = [:]

        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 { throw Self.readerError(reader, name: name) }
            let depth = Int(xmlTextReaderDepth(reader))
            if depth > limits.maxDepth {
                throw SluiceError(.tooDeep, "elements nest deeper than \(limits.maxDepth) levels", item: name)
            }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let field = Self.element(reader, depth: depth)
                if root == nil { root = field.name }
                if !Self.inlineElements.contains(field.name.local) { builder.breakLine() }
                fields.append(field)
                if xmlTextReaderIsEmptyElement(reader) == 1 {
                    if !Self.inlineElements.contains(field.name.local) { builder.breakLine() }
                } else {
                    stack.append(fields.count - 1)
                }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                if let index = stack.popLast() {
                    let local = fields[index].name.local
                    fields[index].text = collapseWhitespace(fields[index].text)
                    if Self.titleElements.contains(local), titleCandidates[local] == nil, !fields[index].text.isEmpty {
                        titleCandidates[local] = fields[index].text
                    }
                    if !Self.inlineElements.contains(local) { builder.breakLine() } else { builder.space() }
                }
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                guard let value = xmlTextReaderConstValue(reader) else { continue }
                let s = String(cString: value)
                builder.append(s)
                if let top = stack.last { fields[top].text += s }
            default:
                continue
            }
        }
        let title = Self.titleElements.lazy.compactMap { titleCandidates[$0] }.first
        return ParsedDocument(
            mediaType: .xml, encoding: Self.encoding(reader), title: title, text: builder.finish(), root: root,
            fields: fields
        )
    }

    private static func element(_ reader: xmlTextReaderPtr, depth: Int) -> XMLField {
        let local = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
        let prefix = xmlTextReaderConstPrefix(reader).map { String(cString: $0) }
        let namespace = xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) }
        var attributes: [(name: String, value: String)] = []
        if xmlTextReaderHasAttributes(reader) == 1 {
            while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                let name = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
                if name == "xmlns" || name.hasPrefix("xmlns:") { continue }
                let value = xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
                attributes.append((name: name, value: value))
            }
            xmlTextReaderMoveToElement(reader)
        }
        return XMLField(name: XMLName(namespace: namespace, local: local, prefix: prefix), depth: depth, attributes: attributes)
    }

    private static func encoding(_ reader: xmlTextReaderPtr) -> String {
        xmlTextReaderConstEncoding(reader).map { String(cString: $0) } ?? "UTF-8"
    }

    private static func readerError(_ reader: xmlTextReaderPtr, name: String) -> SluiceError {
        guard let error = xmlGetLastError() else {
            return SluiceError(.malformed, "libxml2 stopped reading the document", item: name)
        }
        let message = error.pointee.message.map { collapseWhitespace(String(cString: $0)) } ?? "parse error"
        let line = error.pointee.line
        let code: SluiceError.Code
        switch Int32(error.pointee.code) {
        case Int32(XML_ERR_ENTITY_LOOP.rawValue), Int32(XML_ERR_ENTITY_BOUNDARY.rawValue):
            code = .entityExpansion
        case Int32(XML_ERR_INVALID_CHAR.rawValue), Int32(XML_ERR_INVALID_ENCODING.rawValue),
            Int32(XML_ERR_UNKNOWN_ENCODING.rawValue), Int32(XML_ERR_UNSUPPORTED_ENCODING.rawValue):
            code = .encoding
        default:
            code = .malformed
        }
        return SluiceError(code, "libxml2: \(message) (line \(line))", item: name)
    }
}
