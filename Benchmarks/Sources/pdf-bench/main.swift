import Foundation
import SluiceCore
import SluiceParse

// Sluice's PDF path (pdfinfo + pdftotext children, text normalized into a document; OCR of
// pages without text when --ocr) over the given files, one after another: wall time,
// since the work happens in child processes. Prints documents, pages, seconds, pages/s, MB/s.
//
//   pdf-bench [--ocr] FILE...

var limits = ParseLimits()
var paths: [String] = []
for argument in CommandLine.arguments.dropFirst() {
    if argument == "--ocr" { limits.pdf.ocr = true } else { paths.append(argument) }
}
let members: [Member] = paths.compactMap { path in
    FileManager.default.contents(atPath: path).map { Member(release: "bench", path: (path as NSString).lastPathComponent, data: [UInt8]($0)) }
}
let parser = Parser(limits: limits)
let bytes = members.reduce(0) { $0 + $1.data.count }
var pages = 0
var failures = 0
let start = Date()
for member in members {
    do {
        for document in try parser.parse(member) { pages += document.pages?.count ?? 0 }
    } catch {
        failures += 1
        FileHandle.standardError.write(Data("\(member.path): \(error)\n".utf8))
    }
}
let seconds = Date().timeIntervalSince(start)
print(String(format: "documents=%d pages=%d failures=%d seconds=%.3f pages_per_s=%.1f MB_per_s=%.2f",
             members.count, pages, failures, seconds, Double(pages) / seconds, Double(bytes) / 1e6 / seconds))
