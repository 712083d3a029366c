import Foundation
import SluiceCore
import SluiceParse

// Parse throughput over the given files (read into memory first, so only parsing is timed).
//
//   parse-bench [--repeat N] [--show] FILE...
//
// --repeat N   parse the whole set N times (default 1) and print MB/s
// --show       print what each file parsed to (parts, title, first text) instead of timing

var repeatCount = 1
var show = false
var paths: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--repeat": repeatCount = Int(arguments.popFirst() ?? "1") ?? 1
    case "--show": show = true
    default: paths.append(argument)
    }
}

let members: [Member] = paths.compactMap { path in
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        return nil
    }
    return Member(release: "bench", path: (path as NSString).lastPathComponent, data: [UInt8](data))
}
let parser = Parser()

if show {
    for member in members {
        do {
            let docs = try parser.parse(member)
            for d in docs {
                let title = d.title ?? "nil"
                print("== \(member.path) part=\(d.part ?? "-") [\(d.mediaType.rawValue) \(d.encoding)] title=\(title) fields=\(d.fields.count) chars=\(d.text.unicodeScalars.count)")
                print(String(d.text.prefix(300)))
            }
        } catch {
            print("!! \(member.path): \(error)")
        }
    }
    exit(0)
}

let totalBytes = members.reduce(0) { $0 + $1.data.count } * repeatCount
var documents = 0
var failures = 0
/// CPU time of this process (user + system): steadier than wall time on a shared machine.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

let clock = ContinuousClock()
let cpuStart = cpuSeconds()
let elapsed = clock.measure {
    for _ in 0..<repeatCount {
        for member in members {
            do { documents += try parser.parse(member).count } catch { failures += 1 }
        }
    }
}
let cpu = cpuSeconds() - cpuStart
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let megabytes = Double(totalBytes) / 1_000_000
print(String(format: "files=%d repeat=%d bytes=%d documents=%d failures=%d seconds=%.3f MB/s=%.1f cpu_seconds=%.3f cpu_MB/s=%.1f",
             members.count, repeatCount, totalBytes, documents, failures, seconds, megabytes / seconds, cpu, megabytes / cpu))
