internal import CSluiceLibXML2
import SluiceCore

/// Parses HTML with libxml2's HTML parser in recover mode and walks the tree
/// without recursion into title, meta and block-structured text.
struct HTMLDocumentReader {
    let limits: ParseLimits

    /// Never document text.
    static let dropped: Set<String> = ["script", "style", "noscript", "template", "head", "object", "applet", "iframe"]
    static let blocks: Set<String> = [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "table", "ul", "ol", "dl", "dt", "dd",
        "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre", "hr", "form",
        "fieldset", "address", "figure", "figcaption", "caption", "thead", "tbody", "tfoot", "body", "html", "title",
        "option", "center", "legend", "summary", "details",
    ]
    static let cells: Set<String> = ["td", "th"]
    /// Meta names that carry a date, copied to `meta["date"]` when the page has no plain `date`.
    static let dateMetaNames = [
        "date", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created", "dc.date.modified", "dcterms.modified",
        "article:published_time", "article:modified_time", "last-modified", "created", "pubdate", "publication_date",
    ]

    /// `bytes` must already be UTF-8.
    func read(_ bytes: [UInt8], name: String, encoding: String) throws -> ParsedDocument {
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue)
        guard let ctxt = htmlNewParserCtxt() else { throw SluiceError(.internal, "libxml2 could not allocate an HTML parser", item: name) }
        defer { htmlFreeParserCtxt(ctxt) }
        let doc: htmlDocPtr? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    htmlCtxtReadMemory(ctxt, $0, Int32(buf.count), nil, "UTF-8", options)
                }
            } ?? nil
        }
        guard let doc else { throw SluiceError(.malformed, "libxml2's HTML parser produced no document", item: name) }
        defer { xmlFreeDoc(doc) }
        // libxml2 halts (and returns a truncated tree) on "Excessive depth": never a truncated record.
        if csluice_ctxt_halted(ctxt) != 0 {
            let error = xmlCtxtGetLastError(ctxt)
            let message = error?.pointee.message.map { collapseWhitespace(String(cString: $0)) } ?? "parsing stopped"
            let line = error?.pointee.line ?? 0
            let code: SluiceError.Code = message.contains("Excessive depth") ? .tooDeep : .malformed
            throw SluiceError(code, "libxml2: \(message) (line \(line)); the HTML was not read to the end", item: name)
        }
        guard let top = xmlDocGetRootElement(doc) else {
            throw SluiceError(.noText, "the HTML document has no elements", item: name)
        }
        var walk = HTMLWalk(limits: limits, name: name)
        try walk.run(top)
        let text = walk.text.finish()
        let overflowed = walk.text.overflowed
        if overflowed {
            throw SluiceError(.tooLarge, "the text passes \(limits.maxTextCharacters) characters (ParseLimits.maxTextCharacters)", item: name)
        }
        guard !text.isEmpty else {
            throw SluiceError(.noText, "the HTML page has no text outside script, style and head (nothing to index)", item: name)
        }
        var meta = walk.meta
        if meta["date"] == nil, let date = Self.dateMetaNames.lazy.compactMap({ meta[$0] }).first { meta["date"] = date }
        // No <title> and no h1/h2 (an HTML fragment): the first line of text.
        let firstLine = String(text.prefix { $0 != "\n" }.prefix(200))
        let chosenTitle = (walk.title?.isEmpty == false ? walk.title : nil) ?? walk.firstHeading ?? firstLine
        return ParsedDocument(mediaType: .html, encoding: encoding, title: chosenTitle, text: text, meta: meta)
    }
}

/// The non-recursive walk over an HTML tree.
private struct HTMLWalk {
    let limits: ParseLimits
    let name: String
    var text: TextBuilder
    var title: String?
    var firstHeading: String?
    var meta: [String: String] = [:]

    init(limits: ParseLimits, name: String) {
        self.limits = limits
        self.name = name
        self.text = TextBuilder(limit: limits.maxTextCharacters)
    }

    mutating func run(_ top: xmlNodePtr) throws {
        // Explicit stack of (node, entering): no recursion, whatever the depth.
        var stack: [(xmlNodePtr, Bool)] = [(top, true)]
        var depth = 0
        while let (node, entering) = stack.popLast() {
            if text.overflowed { return }
            let elementName = node.pointee.type == XML_ELEMENT_NODE ? Self.name(node) : ""
            if !entering {
                depth -= 1
                if HTMLDocumentReader.blocks.contains(elementName) { text.breakLine() } else if HTMLDocumentReader.cells.contains(elementName) { text.space() }
                continue
            }
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                if elementName == "title" {
                    if title == nil { title = collapseWhitespace(Self.content(node)) }
                    continue
                }
                if elementName == "meta" { readMeta(node) }
                if elementName == "head" { readHead(node) }
                if firstHeading == nil, elementName == "h1" || elementName == "h2" {
                    let heading = collapseWhitespace(Self.content(node))
                    if !heading.isEmpty { firstHeading = heading }
                }
                if HTMLDocumentReader.dropped.contains(elementName) { continue }
                depth += 1
                if depth > limits.maxDepth {
                    throw SluiceError(.tooDeep, "HTML elements nest deeper than \(limits.maxDepth) levels", item: name)
                }
                if HTMLDocumentReader.blocks.contains(elementName) { text.breakLine() } else if HTMLDocumentReader.cells.contains(elementName) { text.space() }
                stack.append((node, false))
                let mark = stack.count
                var child = node.pointee.children
                while let c = child {
                    stack.append((c, true))
                    child = c.pointee.next
                }
                stack[mark...].reverse()
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { text.append(content) }
            default:
                continue
            }
        }
    }

    /// Title and meta from the head, which is otherwise not text.
    private mutating func readHead(_ head: xmlNodePtr) {
        var stack: [xmlNodePtr] = []
        var child = head.pointee.children
        while let c = child { stack.append(c); child = c.pointee.next }
        var visited = 0
        while let node = stack.popLast(), visited < 10_000 {
            visited += 1
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            let elementName = Self.name(node)
            if elementName == "title", title == nil { title = collapseWhitespace(Self.content(node)) }
            if elementName == "meta" { readMeta(node) }
            var kid = node.pointee.children
            while let c = kid { stack.append(c); kid = c.pointee.next }
        }
    }

    private static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
    }

    /// Text of a small subtree (title, headings); skips script and style; bounded.
    private static func content(_ node: xmlNodePtr) -> String {
        var out = ""
        var stack: [xmlNodePtr] = []
        var child = node.pointee.children
        while let c = child { stack.append(c); child = c.pointee.next }
        stack.reverse()
        while let n = stack.popLast() {
            if out.utf8.count > 4096 { break }
            if n.pointee.type == XML_TEXT_NODE, let content = n.pointee.content {
                out += String(cString: content)
            } else if n.pointee.type == XML_ELEMENT_NODE {
                if HTMLDocumentReader.dropped.contains(name(n)) { continue }
                var kids: [xmlNodePtr] = []
                var k = n.pointee.children
                while let c = k { kids.append(c); k = c.pointee.next }
                out += " "
                stack.append(contentsOf: kids.reversed())
            }
        }
        // The page's bytes were turned into UTF-8 already; C1 controls here would be a mis-decode.
        var clean = String.UnicodeScalarView()
        for scalar in out.unicodeScalars {
            clean.append(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? " " : scalar)
        }
        return String(clean)
    }

    private mutating func readMeta(_ node: xmlNodePtr) {
        func attribute(_ name: String) -> String? {
            guard let value = xmlGetProp(node, name) else { return nil }
            defer { csluice_xmlFree(value) }
            return String(cString: value)
        }
        guard let key = (attribute("name") ?? attribute("property") ?? attribute("http-equiv"))?.lowercased(),
            let content = attribute("content")
        else { return }
        let value = collapseWhitespace(content)
        if !value.isEmpty, meta[key] == nil { meta[key] = value }
    }
}
