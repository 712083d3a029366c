import Foundation
internal import Yams

/// One thing wrong with a pipeline file, with where it is.
public struct ConfigIssue: Sendable, CustomStringConvertible, Equatable {
    public var line: Int
    public var column: Int
    /// Dotted key path, e.g. `stages.parse.workers`.
    public var key: String
    public var message: String

    public var description: String { "\(line):\(column): \(key.isEmpty ? "" : "\(key): ")\(message)" }
}

/// A pipeline file that cannot be used, with every issue found in it.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var issues: [ConfigIssue]

    public var description: String {
        issues.map { "\(file):\($0)" }.joined(separator: "\n")
    }
}

extension PipelineConfig {
    /// Reads and checks a pipeline file. Unknown keys and bad values are errors.
    public static func load(path: String) throws -> PipelineConfig {
        try load(.file(path))
    }

    /// Decodes pipeline YAML; `file` names it in errors.
    public static func parse(yaml: String, file: String) throws -> PipelineConfig {
        let node: Node?
        do {
            // The basic resolver tags no scalar: ConfigReader reads every value from its text, and the default
            // resolver's regular expressions, built on first use, were half of parsing a pipeline in each parse child.
            node = try Yams.compose(yaml: yaml, .basic)
        } catch let error as YamlError {
            throw ConfigError(file: file, issues: [YAMLSyntax.issue(error)])
        } catch {
            throw ConfigError(file: file, issues: [ConfigIssue(line: 0, column: 0, key: "", message: "\(error)")])
        }
        var reader = ConfigReader()
        var config = PipelineConfig()
        if let node { reader.read(node, into: &config) }
        if !reader.issues.isEmpty { throw ConfigError(file: file, issues: reader.issues) }
        return config
    }

    /// A stable digest of every setting that changes records: part of a release's key.
    public var fingerprint: String {
        let parts: [String] = [
            name, "\(unpack.maxTotalBytes)", "\(unpack.maxMemberBytes)", "\(unpack.maxRatio)", "\(unpack.maxEntries)",
            "\(unpack.maxDepth)", "\(parse.maxDocumentBytes)", "\(parse.maxTextCharacters)", "\(parse.maxDepth)",
            "\(extract.agencies)", "\(extract.dates)", "\(extract.programs)", "\(extract.counts)",
            extract.userGazetteers.joined(separator: ","), "\(formats)", "\(output.includeText)",
            "\(output.maxTextCharacters ?? -1)",
        ]
        return parts.joined(separator: "|")
    }
}

enum YAMLSyntax {
    static func issue(_ error: YamlError) -> ConfigIssue {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.joined(separator: ", ")
            return ConfigIssue(line: mark.line, column: mark.column, key: "", message: "YAML syntax: \(what)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ConfigIssue(line: context.mark.line, column: context.mark.column, key: duplicates.joined(separator: ", "),
                               message: "key given twice")
        default:
            return ConfigIssue(line: 0, column: 0, key: "", message: "YAML: \(error)")
        }
    }
}
