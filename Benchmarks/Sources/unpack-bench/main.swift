// Unpacks the given release files N times and prints the throughput in MB/s
// of uncompressed output (document bytes emitted). With --events it prints
// every event of one pass instead, which is how the hostile set is inspected.
//
//   unpack-bench [--iterations N] [--events] FILE...
import Foundation
import SluiceCore
import SluiceUnpack

var iterations = 5
var showEvents = false
var files: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--iterations", "-n":
        iterations = arguments.popFirst().flatMap { Int($0) } ?? iterations
    case "--events":
        showEvents = true
    default:
        files.append(argument)
    }
}
guard !files.isEmpty else {
    FileHandle.standardError.write("usage: unpack-bench [--iterations N] [--events] FILE...\n".data(using: .utf8) ?? Data())
    exit(2)
}

let unpacker = Unpacker()

func escaped(_ text: String) -> String {
    text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
}

if showEvents {
    for file in files {
        let name = (file as NSString).lastPathComponent
        print("== \(name)")
        let start = Date()
        do {
            try unpacker.unpack(path: file, release: name) { event in
                switch event {
                case .document(let member):
                    print("  document \(escaped(member.path)) (\(member.data.count) bytes)")
                case .skipped(let path, let reason):
                    print("  skipped  \(escaped(path)) [\(reason.code)] \(escaped(reason.message))")
                case .failed(let path, let error):
                    print("  failed   \(escaped(path)) [\(error.code)] \(escaped(error.message))")
                }
            }
        } catch {
            print("  THROWN \(error)")
        }
        print(String(format: "  (%.3f s)", Date().timeIntervalSince(start)))
    }
    exit(0)
}

var totalBytes = 0
var totalSeconds = 0.0
for file in files {
    let name = (file as NSString).lastPathComponent
    var bytes = 0
    var documents = 0
    let start = Date()
    for _ in 0..<iterations {
        bytes = 0
        documents = 0
        do {
            try unpacker.unpack(path: file, release: name) { event in
                if case .document(let member) = event {
                    bytes += member.data.count
                    documents += 1
                }
            }
        } catch {
            print("\(name): \(error)")
        }
    }
    let seconds = Date().timeIntervalSince(start)
    totalBytes += bytes * iterations
    totalSeconds += seconds
    let rate = Double(bytes * iterations) / seconds / 1_000_000
    print(String(format: "%@\t%d documents\t%.1f MB out\t%.1f MB/s", name, documents, Double(bytes) / 1_000_000, rate))
}
print(String(format: "TOTAL\t%.1f MB/s over %d iterations", Double(totalBytes) / totalSeconds / 1_000_000, iterations))
