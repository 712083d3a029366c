// extract-bench: parses each file with SluiceParse, runs the text extractors,
// optionally writes the records (OUTDIR/gold.ndjson, for tools/score-entities),
// and prints extraction throughput in MB of text per second on one core.
//
//   swift run -c release --scratch-path ../.build-bench extract-bench [--records OUTDIR] FILES...
import Foundation
import SluiceCore
import SluiceExtract
import SluiceFormats
import SluiceParse

var args = Array(CommandLine.arguments.dropFirst())
var outDir: String?
if let k = args.firstIndex(of: "--records"), k + 1 < args.count {
    outDir = args[k + 1]
    args.removeSubrange(k...(k + 1))
}
if args.isEmpty {
    print("usage: extract-bench [--records OUTDIR] FILES...")
    exit(2)
}

func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
/// The release is the file's folder relative to the corpus (or its own folder).
func release(of path: String) -> String {
    let folder = (path as NSString).deletingLastPathComponent
    if let r = folder.range(of: "/corpus/") { return String(folder[r.upperBound...]) }
    return folder
}

let extractor: TextExtractor
do {
    extractor = try TextExtractor()
} catch {
    print("cannot load the extractor: \(error)")
    exit(1)
}

var documents: [(Member, ParsedDocument)] = []
var parseCPU = 0.0
for path in args {
    guard let data = FileManager.default.contents(atPath: path) else {
        print("cannot read \(path)")
        continue
    }
    let member = Member(release: release(of: path), path: (path as NSString).lastPathComponent, data: [UInt8](data))
    do {
        let before = threadCPUSeconds()
        let parsed = try Parser().parse(member)
        parseCPU += threadCPUSeconds() - before
        for doc in parsed { documents.append((member, doc)) }
    } catch {
        print("parse failed: \(path): \(error)")
    }
}

var ndjson: [UInt8] = []
var entityCount = 0
for (member, doc) in documents {
    let entities = extractor.extract(doc)
    entityCount += entities.agencies.count + entities.dates.count + entities.programs.count + entities.counts.count
    let record = Record(
        release: member.release, member: member.path, part: doc.part, sha256: SHA256.hex(member.data),
        bytes: member.data.count, mediaType: doc.mediaType.rawValue, encoding: doc.encoding, title: doc.title,
        text: doc.text, extraction: Extraction(entities: entities),
        producedBy: [("pipeline", .string("extract-bench")), ("text_extractor", .string(TextExtractor.version))])
    record.write(into: &ndjson)
    ndjson.append(UInt8(ascii: "\n"))
}
if let outDir {
    try? FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
    let url = URL(fileURLWithPath: outDir).appendingPathComponent("gold.ndjson")
    do {
        try Data(ndjson).write(to: url)
        print("wrote \(documents.count) records to \(url.path)")
    } catch {
        print("cannot write \(url.path): \(error)")
    }
}

// Throughput: repeat the whole set on one thread until at least two seconds have
// passed. Per core = text bytes per second of this thread's CPU time (the
// machine is shared, so wall time understates it); wall time is printed too.
let textBytes = documents.reduce(0) { $0 + $1.1.text.utf8.count }
guard textBytes > 0 else { exit(0) }
var rounds = 0
var sink = 0
let clock = ContinuousClock()
let start = clock.now
let cpuStart = threadCPUSeconds()
var elapsed = Duration.zero
repeat {
    for (_, doc) in documents { sink &+= extractor.extract(doc).dates.count }
    rounds += 1
    elapsed = clock.now - start
} while elapsed < .seconds(2)
let cpu = threadCPUSeconds() - cpuStart
let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let mb = Double(textBytes * rounds) / 1e6
print("documents: \(documents.count), text: \(textBytes) bytes, entities: \(entityCount)")
if parseCPU > 0 {
    print(String(format: "for comparison, parsing the same documents: %.1f MB of text/s per core (CPU time, one pass)", Double(textBytes) / 1e6 / parseCPU))
}
print(String(format: "extract throughput: %.1f MB of text/s per core (CPU time; %.1f MB/s wall; %d rounds, %.2f s CPU, %.2f s wall)%@",
             mb / cpu, mb / wall, rounds, cpu, wall, sink < 0 ? "!" : ""))

// Schema-aware extraction (SluiceFormats) over the documents it recognizes, timed the same way.
let formats = FormatExtractor()
let formatDocuments = documents.map(\.1).filter { formats.extract($0) != nil }
let formatBytes = formatDocuments.reduce(0) { $0 + $1.text.utf8.count }
if formatBytes > 0 {
    var formatRounds = 0
    let formatStart = clock.now
    let formatCPUStart = threadCPUSeconds()
    repeat {
        for doc in formatDocuments { sink &+= formats.extract(doc)?.properties.count ?? 0 }
        formatRounds += 1
    } while clock.now - formatStart < .seconds(2)
    let formatCPU = threadCPUSeconds() - formatCPUStart
    print(String(format: "format extract throughput: %.1f MB of text/s per core (CPU time; %d documents, %d rounds, %.2f s CPU)%@",
                 Double(formatBytes * formatRounds) / 1e6 / formatCPU, formatDocuments.count, formatRounds, formatCPU, sink < 0 ? "!" : ""))
}
