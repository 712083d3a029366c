// A parse child for tests only: it speaks the isolation protocol through the same
// `ChildServer` as `sluice _child`, with the pipeline's own processor, except for members
// whose names ask for a fault:
//
//   *segfault*   raises SIGSEGV
//   *oom*        allocates (and touches) memory until its memory limit stops it
//   *hang*       sleeps forever
//   *spin*       spins on the CPU forever
//   *slow*       writes its pid to SIGNAL_DIR/<name>.pid, waits a second, then parses normally
//
// Usage: SluiceFaultChild [SIGNAL_DIR]
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SluiceCore
import SluiceScheduler

struct FaultyProcessor: DocumentProcessing {
    let real: DocumentProcessor
    let signalDirectory: String?

    func parse(_ member: Member, source: DocumentSource) throws -> ParseOutput {
        let name = (member.path as NSString).lastPathComponent
        if name.contains("segfault") {
            _ = raise(SIGSEGV)
        }
        if name.contains("oom") {
            var blocks: [[UInt8]] = []
            while true { blocks.append([UInt8](repeating: UInt8(blocks.count & 0xFF), count: 16 << 20)) }
        }
        if name.contains("hang") {
            while true { sleep(3600) }
        }
        if name.contains("spin") {
            var x: UInt64 = 1
            while x != 0 { x = x &* 6364136223846793005 &+ 1442695040888963407 }
        }
        if name.contains("slow"), let signalDirectory {
            let file = "\(signalDirectory)/\(name).pid"
            try? Data("\(getpid())".utf8).write(to: URL(fileURLWithPath: file + ".partial"))
            _ = rename(file + ".partial", file)
            sleep(1)
        }
        return try real.parse(member, source: source)
    }

    func extract(_ documents: [ParsedDocument], source: DocumentSource) -> [Record] {
        real.extract(documents, source: source)
    }
}

let signalDirectory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : nil
exit(ChildServer.serve { config in FaultyProcessor(real: try DocumentProcessor(config: config), signalDirectory: signalDirectory) })
