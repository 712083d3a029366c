import ArgumentParser
import Foundation
import SluiceScheduler

/// `sluice pipeline show`: the pipeline the other commands would use here.
struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Show the pipeline in effect.",
        subcommands: [Show.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective pipeline (YAML): --pipeline FILE, ./Pipelines/default.yml, or the built-in one.",
            discussion: "The first line, a YAML comment, names the source. A pipeline that does not validate exits 2."
        )

        @OptionGroup var pipeline: PipelineOption

        func run() throws {
            let source = pipeline.source
            _ = try loadPipeline(source)
            let yaml = try source.yaml()
            print("# pipeline: \(source)")
            print(yaml, terminator: yaml.hasSuffix("\n") ? "" : "\n")
        }
    }
}
