internal import CSluiceLibXML2
import SluiceCore

/// Parses HTML with libxml2's HTML parser in recover mode and walks the tree
/// without recursion into title, meta and block-structured text.
struct HTMLDocumentReader {
    let limits: ParseLimits

    static let dropped: Set<String> = ["script", "style", "noscript", "template", "head"]
    static let blocks: Set<String> = [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "table", "ul", "ol", "dl", "dt", "dd",
        "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre", "hr", "form",
        "fieldset", "address", "figure", "figcaption", "caption", "thead", "tbody", "tfoot", "body", "html", "title",
        "option", "center",
    ]
    static let cells: Set<String> = ["td", "th"]

    /// `bytes` must already be UTF-8.
    func read(_ bytes: [UInt8], name: String, encoding: String) throws -> ParsedDocument {
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue)
        let doc: htmlDocPtr? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    htmlReadMemory($0, Int32(buf.count), nil, "UTF-8", options)
                }
            } ?? nil
        }
        guard let doc else { throw SluiceError(.malformed, "libxml2's HTML parser produced no document", item: name) }
        defer { xmlFreeDoc(doc) }
        guard let top = xmlDocGetRootElement(doc) else {
            throw SluiceError(.noText, "the HTML document has no elements", item: name)
        }

        var builder = TextBuilder(limit: limits.maxTextCharacters)
        var title: String?
        var meta: [String: String] = [:]
        var firstHeading: String?

        // Explicit stack of (node, entering): no recursion, whatever the depth.
        var stack: [(xmlNodePtr, Bool)] = [(top, true)]
        var depth = 0
        while let (node, entering) = stack.popLast() {
            let elementName = node.pointee.type == XML_ELEMENT_NODE
                ? (node.pointee.name.map { String(cString: $0).lowercased() } ?? "") : ""
            if !entering {
                depth -= 1
                if Self.blocks.contains(elementName) { builder.breakLine() } else if Self.cells.contains(elementName) { builder.space() }
                continue
            }
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                if elementName == "title", title == nil { title = collapseWhitespace(Self.content(node)) }
                if elementName == "meta" { Self.readMeta(node, into: &meta) }
                if firstHeading == nil, ["h1", "h2"].contains(elementName) {
                    let heading = collapseWhitespace(Self.content(node))
                    if !heading.isEmpty { firstHeading = heading }
                }
                if Self.dropped.contains(elementName) { continue }
                depth += 1
                if depth > limits.maxDepth {
                    throw SluiceError(.tooDeep, "HTML elements nest deeper than \(limits.maxDepth) levels", item: name)
                }
                if Self.blocks.contains(elementName) { builder.breakLine() }
                stack.append((node, false))
                var children: [xmlNodePtr] = []
                var child = node.pointee.children
                while let c = child {
                    children.append(c)
                    child = c.pointee.next
                }
                for c in children.reversed() { stack.append((c, true)) }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { builder.append(String(cString: content)) }
            default:
                continue
            }
        }
        let text = builder.finish()
        let chosenTitle = (title?.isEmpty == false ? title : nil) ?? firstHeading
        return ParsedDocument(mediaType: .html, encoding: encoding, title: chosenTitle, text: text, meta: meta)
    }

    /// Text of a small subtree (title, headings); skips script and style.
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
                let name = n.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                if dropped.contains(name) { continue }
                var kids: [xmlNodePtr] = []
                var k = n.pointee.children
                while let c = k { kids.append(c); k = c.pointee.next }
                out += " "
                stack.append(contentsOf: kids.reversed())
            }
        }
        return out
    }

    private static func readMeta(_ node: xmlNodePtr, into meta: inout [String: String]) {
        func attribute(_ name: String) -> String? {
            guard let value = xmlGetProp(node, name) else { return nil }
            defer { csluice_xmlFree(value) }
            return String(cString: value)
        }
        guard let key = (attribute("name") ?? attribute("property"))?.lowercased(), let content = attribute("content") else { return }
        let value = collapseWhitespace(content)
        if !value.isEmpty, meta[key] == nil { meta[key] = value }
    }
}
