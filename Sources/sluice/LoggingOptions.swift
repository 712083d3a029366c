import ArgumentParser
import Foundation
import Logging
import SluiceScheduler
import SluiceCore

/// `--log-format`, `--quiet` and `--verbose`, and the one place logging is bootstrapped.
struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: ArgumentHelp("text (for people) or json (one object per line, for nightly jobs).", valueName: "format"))
    var logFormat: String?

    @Flag(help: "Print only warnings and errors.")
    var quiet = false

    @Flag(help: "Also log informational messages: which pipeline is used (file or built-in), the run's figures.")
    var verbose = false

    func validate() throws {
        if let logFormat, !["text", "json"].contains(logFormat) {
            throw ValidationError("--log-format must be text or json")
        }
        if quiet && verbose {
            throw ValidationError("give --quiet or --verbose, not both")
        }
    }

    func bootstrap(config: PipelineConfig) -> Logger {
        let json = (logFormat ?? config.logFormat) == "json"
        let level: Logger.Level = verbose ? .info : quiet || config.quiet ? .warning : .notice
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "sluice")
    }
}

/// One JSON object per line on standard error: time, level, message and metadata.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [
            "time": Timestamp.now(), "level": event.level.rawValue,
            "message": event.message.description, "logger": label,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { fields[key] = value.description }
        // Keys sorted, so every line has the same shape; Sluice's own JSON writer.
        let line = JSONValue.object(fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        FileHandle.standardError.write(Data(line.serializedBytes() + [0x0A]))
    }
}
