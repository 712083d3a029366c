import SluiceCore

/// Collects one output document while the reader streams: the whole XML
/// document, or one part of a segmented one (a Federal Register RULE, an eCFR
/// part), with depths re-based so the part element has depth 0.
struct DocumentAccumulator {
    private struct OpenElement {
        var field: Int
        var info: Int
        /// Byte offset in `text` where a title candidate's text starts; -1 when not captured.
        var titleStart: Int
    }

    let baseDepth: Int
    let root: XMLName
    private(set) var text: TextBuilder
    private(set) var fields: [XMLField] = []
    private var open: [OpenElement] = []
    /// One builder per open level for the element's own text, reused across elements.
    private var ownText: [TextBuilder] = []
    private var titles = TitleChooser()
    /// The first FRDOC line ("[FR Doc. 2024–02801 Filed ...]"), for Federal Register parts.
    private(set) var frDocLine: String?

    init(baseDepth: Int, root: XMLName, textLimit: Int, reserve: Int) {
        self.baseDepth = baseDepth
        self.root = root
        self.text = TextBuilder(limit: textLimit, reserve: reserve)
    }

    var isOpen: Bool { !open.isEmpty }
    var textOverflowed: Bool { text.overflowed }

    mutating func startElement(
        _ info: ElementInfo, infoIndex: Int, depth: Int, attributes: [(name: String, value: String)], isEmpty: Bool
    ) {
        let relative = depth - baseDepth
        switch info.role {
        case .block: text.breakLine()
        case .cell: text.space()
        case .inline: break
        }
        fields.append(XMLField(name: info.name, depth: relative, attributes: attributes))
        if isEmpty {
            endRole(info.role)
            return
        }
        let level = open.count
        if level == ownText.count { ownText.append(TextBuilder(limit: Int.max, reserve: 64)) } else { ownText[level].reset() }
        let capture = info.titleCandidate && titles.wants(info.name.local, depth: relative)
        open.append(OpenElement(field: fields.count - 1, info: infoIndex, titleStart: capture ? text.bytes.count : -1))
    }

    mutating func appendText(_ p: UnsafePointer<UInt8>) {
        text.append(p)
        if !open.isEmpty { ownText[open.count - 1].append(p) }
    }

    /// Text that stands for an entity reference (already checked and bounded by the caller).
    mutating func appendText(_ s: String) {
        text.append(s)
        if !open.isEmpty { ownText[open.count - 1].append(s) }
    }

    /// Closes the innermost open element; returns true when that was the document's (part's) root.
    mutating func endElement(_ names: ElementNames) -> Bool {
        guard let top = open.popLast() else { return true }
        let info = names.infos[top.info]
        let own = ownText[open.count]
        if !own.isEmpty { fields[top.field].text = own.finish() }
        if top.titleStart >= 0, top.titleStart <= text.bytes.count {
            let raw = String(decoding: text.bytes[top.titleStart...], as: UTF8.self)
            titles.offer(info.name.local, depth: fields[top.field].depth, text: collapseWhitespace(raw))
        }
        if frDocLine == nil, info.name.local == "FRDOC" { frDocLine = fields[top.field].text }
        endRole(info.role)
        return open.isEmpty
    }

    private mutating func endRole(_ role: TextRole) {
        switch role {
        case .block: text.breakLine()
        case .cell: text.space()
        case .inline: break
        }
    }

    /// The finished document. `encoding` names the encoding the bytes were decoded from.
    func finish(part: String?, encoding: String) -> ParsedDocument {
        let body = text.finish()
        return ParsedDocument(
            part: part, mediaType: .xml, encoding: encoding, title: titles.choose(root: root.local, text: body), text: body,
            root: root, fields: fields)
    }
}
