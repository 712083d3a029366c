import Foundation
import SluiceCore
import SluiceParse

// Temporary smoke harness: parse each file and print what came out.
for path in CommandLine.arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path) else { continue }
    do {
        let docs = try Parser().parse(Member(release: "x", path: (path as NSString).lastPathComponent, data: [UInt8](data)))
        for d in docs {
            print("== \(path) [\(d.mediaType.rawValue) \(d.encoding)] title=\(d.title ?? "nil") fields=\(d.fields.count) root=\(d.root?.qualified ?? "-")")
            print(String(d.text.prefix(400)))
        }
    } catch { print("!! \(path): \(error)") }
}
