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
        /// The element's own text is, in the common case, one range of `text`;
        /// mixed content (text, child, text) spills into `ownText` instead.
        var ownStart = -1
        var ownEnd = -1
        var ownSpilled = false
        var ownTrailingSpace = false
    }

    let baseDepth: Int
    let root: XMLName
    private(set) var text: TextBuilder
    private(set) var fields: [XMLField] = []
    /// The open elements are `open[0..<openCount]`: closing one lowers the count and leaves its slot
    /// for the next element to reuse (a popLast per end tag was a call into the array's generic code).
    private var open: [OpenElement] = []
    private var openCount = 0
    /// One buffer per open level for mixed-content own text, reused across elements.
    private var ownText: [[UInt8]] = []
    private var titles = TitleChooser()
    /// The first FRDOC line ("[FR Doc. 2024–02801 Filed ...]"), for Federal Register parts.
    private(set) var frDocLine: String?
    /// Named values from outside the part (an eCFR part's chapter heading).
    var meta: [String: String] = [:]

    init(baseDepth: Int, root: XMLName, textLimit: Int, reserve: Int, expectedFields: Int) {
        self.baseDepth = baseDepth
        self.root = root
        self.text = TextBuilder(limit: textLimit, reserve: reserve)
        // One element per ~48 input bytes is typical of data exports; growing the array costs more.
        fields.reserveCapacity(min(expectedFields, 1 << 20))
    }

    var isOpen: Bool { openCount > 0 }
    var textOverflowed: Bool { mutating get { text.overflowed } }

    /// Opens an element (SAX reports every element's end, empty or not). The name and attributes are
    /// consumed: they move into the new field instead of being retained for it and released by the caller.
    /// An element with one attribute passes it as `lone` (and no `attributes`): its field keeps it without an array.
    mutating func startElement(
        name: consuming XMLName, role: TextRole, titleSlot: Int, infoIndex: Int, depth: Int,
        attributes: consuming [(name: String, value: String)], lone: consuming (name: String, value: String)?
    ) {
        let relative = depth - baseDepth
        switch role {
        case .block: text.breakLine()
        case .cell: text.space()
        case .inline: break
        }
        let capture = titleSlot >= 0 && titles.wants(titleSlot, depth: relative)
        if let lone {
            fields.append(XMLField(name: name, depth: relative, attribute: lone))
        } else {
            fields.append(XMLField(name: name, depth: relative, attributes: attributes))
        }
        let element = OpenElement(field: fields.count - 1, info: infoIndex, titleStart: capture ? text.count : -1)
        if openCount < open.count { open[openCount] = element } else { open.append(element) }
        openCount += 1
    }

    mutating func appendText(_ p: UnsafePointer<UInt8>, count: Int) {
        let before = text.count
        text.append(p, count: count)
        guard openCount > 0 else { return }
        noteOwnText(from: before)
    }

    /// Records the bytes just appended to `text` as the top element's own text.
    private mutating func noteOwnText(from before: Int) {
        let level = openCount - 1
        var start = before
        let end = text.count
        // A space the builder wrote first is collapsed white space from before this piece.
        if start < end, text[start] == 0x20 { start += 1 }
        if start < end {
            if open[level].ownStart < 0 {
                open[level].ownStart = start
                open[level].ownEnd = end
            } else {
                spillOwnText(level: level, start: start, end: end, hadLeadingSpace: start > before)
            }
        }
        if open[level].ownStart >= 0 { open[level].ownTrailingSpace = text.pendingSpace }
    }

    private mutating func spillOwnText(level: Int, start: Int, end: Int, hadLeadingSpace: Bool) {
        while ownText.count <= level { ownText.append([]) }
        if !open[level].ownSpilled {
            open[level].ownSpilled = true
            ownText[level].removeAll(keepingCapacity: true)
            text.copy(open[level].ownStart..<open[level].ownEnd, to: &ownText[level])
        }
        if hadLeadingSpace || open[level].ownTrailingSpace { ownText[level].append(0x20) }
        text.copy(start..<end, to: &ownText[level])
    }

    /// Text that stands for an entity reference (already checked and bounded by the caller).
    mutating func appendText(_ s: String) {
        let before = text.count
        text.append(s)
        guard openCount > 0 else { return }
        noteOwnText(from: before)
    }

    /// Closes the innermost open element; returns true when that was the document's (part's) root.
    mutating func endElement(_ names: ElementNames) -> Bool {
        guard openCount > 0 else { return true }
        openCount -= 1
        let top = open[openCount]
        if top.ownSpilled {
            fields[top.field].text = String(decoding: ownText[openCount], as: UTF8.self)
        } else if top.ownStart >= 0 {
            fields[top.field].text = text.string(top.ownStart..<top.ownEnd)
        }
        if top.titleStart >= 0, top.titleStart <= text.count {
            // A title is short: look at most 1,000 bytes in, cut at a character boundary.
            var end = min(text.count, top.titleStart + 1000)
            while end > top.titleStart, end < text.count, text[end] & 0xC0 == 0x80 { end -= 1 }
            titles.offer(names.infos[top.info].titleSlot, depth: fields[top.field].depth, text: text.line(top.titleStart..<end))
        }
        if frDocLine == nil, names.infos[top.info].isFRDoc { frDocLine = fields[top.field].text }
        endRole(names.infos[top.info].role)
        return openCount == 0
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
            root: root, fields: fields, meta: meta)
    }
}
