import Foundation

/// Where a command's pipeline comes from: a file, or the default pipeline compiled into Sluice.
public enum PipelineSource: Sendable, Equatable, CustomStringConvertible {
    /// A pipeline file, by the path it was given as.
    case file(String)
    /// `Pipelines/default.yml` as compiled into the binary (`BuiltInPipeline.defaultYAML`).
    case builtIn

    /// The file's path, or `built-in`: what the run manifest's `pipeline_source` says.
    public var description: String {
        switch self {
        case .file(let path): path
        case .builtIn: "built-in"
        }
    }

    /// The pipeline file looked for in the working folder when none is named.
    public static let defaultPath = "Pipelines/default.yml"

    /// Which pipeline to use: `path` when one is given; otherwise `Pipelines/default.yml` in the
    /// working folder when it exists; otherwise the built-in one, so the binary runs in any folder.
    public static func resolve(_ path: String?) -> PipelineSource {
        if let path { return .file(path) }
        return FileManager.default.fileExists(atPath: defaultPath) ? .file(defaultPath) : .builtIn
    }

    /// The pipeline's YAML text; throws a `ConfigError` when the file cannot be read.
    public func yaml() throws -> String {
        switch self {
        case .builtIn:
            return BuiltInPipeline.defaultYAML
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigError(file: path, issues: [ConfigIssue(line: 0, column: 0, key: "", message: "cannot read the file")])
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}

extension PipelineConfig {
    /// Reads and checks the pipeline `source` names; the result remembers its source.
    public static func load(_ source: PipelineSource) throws -> PipelineConfig {
        var config = try parse(yaml: try source.yaml(), file: source == .builtIn ? "built-in default pipeline" : source.description)
        config.source = source
        return config
    }
}
