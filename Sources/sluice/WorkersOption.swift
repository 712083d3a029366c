import ArgumentParser
import SluiceScheduler

/// `--workers N`, shared by `run` and `worker`: checked once, applied to the pipeline in one place.
struct WorkersOption: ParsableArguments {
    @Option(help: ArgumentHelp("Workers for the parse and extract stages (overrides the pipeline file).", valueName: "n"))
    var workers: Int?

    func validate() throws {
        if let workers, !(1...256).contains(workers) {
            throw ValidationError("--workers must be between 1 and 256")
        }
    }

    /// The pipeline with `--workers` applied, when it was given.
    func apply(to config: inout PipelineConfig) {
        if let workers { config.setWorkers(workers) }
    }
}
