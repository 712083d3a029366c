import SluiceCore
import SluiceProcess

/// Settings for PDF documents, from the pipeline's `parse.pdf`.
public struct PDFSettings: Sendable, Equatable {
    /// OCR pages that have no text layer (scanned pages) with Tesseract.
    public var ocr = false
    /// Resolution pages are rendered at for OCR.
    public var ocrDPI = 200
    /// Pages per document; a longer PDF fails as `too-large`.
    public var maxPages = 2000
    /// Wall-clock seconds per page for text extraction (and per page for OCR).
    public var secondsPerPage: Double = 10
    /// Address space of each helper process (pdftotext, pdftoppm, tesseract).
    public var memoryBytes = 1 << 30

    public init() {}
}

/// PDF text through poppler's `pdftotext`, run as a supervised child process on the
/// document's bytes (stdin to stdout: no temporary file), with `pdfinfo` for the page
/// count, encryption and metadata, and Tesseract for pages without a text layer.
///
/// A child rather than libpoppler in-process: a hostile PDF that crashes or exhausts
/// poppler costs only the child (the item fails as `corrupt`, `timeout` or
/// `too-large`), and poppler's C++ never runs inside Sluice.
struct PDFReader {
    let settings: PDFSettings

    func read(_ bytes: [UInt8], name: String) throws -> ParsedDocument {
        let info = try run(["pdfinfo", "-isodates", "-"], bytes, seconds: 30, name: name, what: "pdfinfo")
        let fields = PDFReader.infoFields(String(decoding: info, as: UTF8.self))
        let pageCount = fields["Pages"].flatMap { Int($0) } ?? 0
        guard pageCount <= settings.maxPages else {
            throw SluiceError(.tooLarge, "the PDF has \(pageCount) pages, over the \(settings.maxPages)-page limit (parse.pdf.max_pages)", item: name)
        }
        let seconds = 5 + settings.secondsPerPage * Double(max(1, pageCount))
        let output = try run(["pdftotext", "-enc", "UTF-8", "-", "-"], bytes, seconds: seconds, name: name, what: "pdftotext")
        var pages = String(decoding: output, as: UTF8.self).split(separator: "\u{0C}", omittingEmptySubsequences: false)
            .map { PDFReader.normalize($0) }
        // pdftotext ends every page with a form feed: the piece after the last one is not a page.
        if pages.count > max(1, pageCount) || (pages.last?.isEmpty == true && pages.count > 1) { pages.removeLast() }
        var ocrPages: [Int] = []
        if settings.ocr {
            for index in pages.indices where pages[index].isEmpty {
                pages[index] = try ocr(bytes, page: index + 1, name: name)
                ocrPages.append(index + 1)
            }
        }
        guard pages.contains(where: { !$0.isEmpty }) else {
            let hint = settings.ocr ? "" : "; it looks scanned: set `parse.pdf.ocr: true` in the pipeline to OCR it"
            throw SluiceError(.noText, "the PDF has no text layer\(hint)", item: name)
        }
        var text = ""
        var offsets: [Int] = []
        var scalars = 0
        for (index, page) in pages.enumerated() {
            if index > 0 {
                text += "\n"
                scalars += 1
            }
            offsets.append(scalars)
            text += page
            scalars += page.unicodeScalars.count
        }
        var meta: [String: String] = [:]
        for (key, name) in [("Title", "pdf_title"), ("Author", "pdf_author"), ("CreationDate", "pdf_creation_date"),
                            ("Producer", "pdf_producer")] {
            if let value = fields[key], !value.isEmpty { meta[name] = value }
        }
        let title = fields["Title"].flatMap { $0.isEmpty ? nil : $0 }
            ?? pages.lazy.compactMap { $0.split(separator: "\n").first.map(String.init) }.first
        var document = ParsedDocument(mediaType: .pdf, encoding: "UTF-8", title: title, text: text, meta: meta)
        document.pages = offsets
        document.ocrPages = ocrPages
        return document
    }

    /// One page rendered to a grayscale PNG by pdftoppm, read by Tesseract (English).
    private func ocr(_ bytes: [UInt8], page: Int, name: String) throws -> String {
        let image = try run(["pdftoppm", "-r", String(settings.ocrDPI), "-f", String(page), "-l", String(page), "-gray", "-png",
                             "-singlefile", "-"], bytes, seconds: settings.secondsPerPage, name: name, what: "pdftoppm")
        let text = try run(["tesseract", "stdin", "stdout", "-l", "eng"], image, seconds: settings.secondsPerPage * 3,
                           name: name, what: "tesseract")
        return PDFReader.normalize(Substring(String(decoding: text, as: UTF8.self)))
    }

    private func run(_ arguments: [String], _ input: [UInt8], seconds: Double, name: String, what: String) throws -> [UInt8] {
        let child = ChildProcess(arguments: arguments, seconds: seconds, memoryBytes: settings.memoryBytes,
                                 maxOutputBytes: 256 << 20)
        let result = try child.run(input: input)
        if result.timedOut {
            throw SluiceError(.timeout, "\(what) took longer than \(Int(seconds)) s on this PDF (parse.pdf.seconds_per_page)", item: name)
        }
        if result.outputCapped {
            throw SluiceError(.tooLarge, "\(what) wrote more than 256 MiB for this PDF", item: name)
        }
        let message = result.stderr.split(separator: "\n").prefix(3).joined(separator: "; ")
        if result.stderr.contains("Incorrect password") {
            throw SluiceError(.encrypted, "the PDF is encrypted and needs a password (\(what): \(message))", item: name)
        }
        if let signal = result.signal {
            throw SluiceError(.corrupt, "\(what) died with signal \(signal) on this PDF (\(message))", item: name)
        }
        guard result.status == 0 else {
            throw SluiceError(.corrupt, "\(what) could not read the PDF: \(message.isEmpty ? "exit status \(result.status)" : message)", item: name)
        }
        return result.stdout
    }

    /// `Key:   value` lines of pdfinfo.
    static func infoFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            if fields[key] == nil { fields[key] = value }
        }
        return fields
    }

    /// A page's text as Sluice keeps all text (`PlainTextReader.lines`).
    static func normalize(_ page: Substring, limits: ParseLimits = ParseLimits()) -> String {
        (try? PlainTextReader.lines(Array(page.utf8), name: "", limits: limits)) ?? ""
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        let drop: (Character) -> Bool = { set.contains($0) }
        return String(self.drop(while: drop).reversed().drop(while: drop).reversed())
    }
}
