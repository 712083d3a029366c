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
            discussion: """
                Every setting is printed, defaults filled in for keys the file leaves out; the first line, a \
                YAML comment, names the source. The output is itself a valid pipeline file. A pipeline that \
                does not validate exits 2.
                """
        )

        @OptionGroup var pipeline: PipelineOption

        func run() throws {
            let config = try loadPipeline(pipeline.source)
            print("# pipeline: \(config.source) (every setting, defaults filled in)")
            print(config.yaml, terminator: "")
        }
    }
}
