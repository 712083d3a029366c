import ArgumentParser
import Foundation
import SluiceCore
import SluiceScheduler

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Run one XML or HTML document through parse and extract and print its record(s).",
        discussion: "For debugging an extractor: nothing is written to the Outbox or the ledger."
    )

    @Argument(help: ArgumentHelp("An XML or HTML document.", valueName: "file"))
    var file: String

    @OptionGroup var pipeline: PipelineOption

    func run() throws {
        let config = try loadPipeline(pipeline.source)
        guard let data = FileManager.default.contents(atPath: file) else {
            printError("sluice: cannot read \(file)")
            throw ExitCode(2)
        }
        let processor = try DocumentProcessor(config: config)
        let name = (file as NSString).lastPathComponent
        let member = Member(release: name, path: name, data: [UInt8](data))
        do {
            for document in try processor.parse(member) {
                let record = processor.record(release: name, member: name, sha256: SHA256.hex(member.data), bytes: member.data.count,
                                              document: document, extraction: processor.extract(document))
                var line: [UInt8] = []
                record.write(into: &line)
                print(String(decoding: line, as: UTF8.self))
            }
        } catch let error as SluiceError {
            printError("sluice: \(name) failed: \(error)")
            throw ExitCode(1)
        }
    }
}
