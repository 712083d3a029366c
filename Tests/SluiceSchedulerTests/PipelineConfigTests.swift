import Foundation
import Testing
@testable import SluiceScheduler

@Suite struct PipelineConfigTests {
    @Test(arguments: ["default.yml", "nightly.yml", "foia-annual.yml"])
    func shippedPipelinesAreValid(name: String) throws {
        let config = try PipelineConfig.load(path: Repo.root.appendingPathComponent("Pipelines/\(name)").path)
        #expect(config.parseStage.workers >= 1)
    }

    @Test func unknownKeysAndBadValuesAreReportedWithLineAndColumn() throws {
        let yaml = """
            name: broken
            stages:
              parse:
                workers: zero
                wrokers: 2
            unpack:
              max_member_bytes: 12 parsecs
            """
        do {
            _ = try PipelineConfig.parse(yaml: yaml, file: "broken.yml")
            Issue.record("a broken pipeline was accepted")
        } catch let error as ConfigError {
            let issues = error.issues
            #expect(issues.contains { $0.key == "stages.parse.workers" && $0.line == 4 && $0.message.contains("whole number") })
            #expect(issues.contains { $0.key == "stages.parse.wrokers" && $0.line == 5 && $0.message.contains("unknown key") })
            #expect(issues.contains { $0.key == "unpack.max_member_bytes" && $0.line == 7 })
            #expect(error.description.contains("broken.yml:4:"))
        }
    }

    @Test("output.postgres is a postgres:// URL or null, shown without its password")
    func outputPostgres() throws {
        let config = try PipelineConfig.parse(yaml: "output:\n  postgres: postgres://sluice:secret@db.internal/foia\n", file: "x")
        #expect(config.output.postgres == "postgres://sluice:secret@db.internal/foia")
        #expect(config.yaml.contains("  postgres: \"postgres://sluice@db.internal/foia\"\n"))
        #expect(!config.yaml.contains("secret"))
        #expect(try PipelineConfig.parse(yaml: "output: { postgres: null }\n", file: "x").output.postgres == nil)
        #expect(PipelineConfig().yaml.contains("  postgres: null\n"))
        do {
            _ = try PipelineConfig.parse(yaml: "name: x\noutput:\n  postgres: mysql://db/foia\n", file: "bad.yml")
            Issue.record("a mysql:// URL was accepted")
        } catch let error as ConfigError {
            #expect(error.issues.contains { $0.key == "output.postgres" && $0.line == 3 && $0.message.contains("postgres://") })
        }
    }

    @Test func sizesTakeUnits() throws {
        let config = try PipelineConfig.parse(yaml: "unpack:\n  max_member_bytes: 64MiB\n  max_total_bytes: 2GiB\n", file: "x")
        #expect(config.unpack.maxMemberBytes == 64 << 20)
        #expect(config.unpack.maxTotalBytes == 2 << 30)
    }

    @Test("a size that rounds to zero bytes is refused with its place, not taken as a budget of 0 (#12)",
          arguments: ["0.0001KiB", "0.5B", "1e-300GiB"])
    func sizesUnderOneByteAreRefused(size: String) throws {
        do {
            _ = try PipelineConfig.parse(yaml: "unpack:\n  max_total_bytes: \(size)\n", file: "x")
            Issue.record("\(size) was accepted")
        } catch let error as ConfigError {
            #expect(error.issues.contains { $0.key == "unpack.max_total_bytes" && $0.line == 2 && $0.message.contains("size") })
        }
    }

    @Test func yamlSyntaxErrorsHaveAPosition() throws {
        #expect(throws: ConfigError.self) { try PipelineConfig.parse(yaml: "stages: [unclosed\n", file: "x") }
    }

    @Test("the effective YAML of a pipeline reads back to the same settings", arguments: ["default.yml", "nightly.yml", "foia-annual.yml"])
    func effectiveYAMLReadsBack(name: String) throws {
        let config = try PipelineConfig.load(path: Repo.root.appendingPathComponent("Pipelines/\(name)").path)
        var again = try PipelineConfig.parse(yaml: config.yaml, file: "shown")
        again.source = config.source
        #expect(again == config)
    }

    @Test func effectiveYAMLFillsInDefaultsAndKeepsUnusualValues() throws {
        let yaml = """
            name: "odd: \\"quoted\\""
            stages:
              parse: { timeout: 0.5 }
            unpack: { max_ratio: 150.5, max_member_bytes: 1000 }
            extract: { extractors: [dates, formats], gazetteers: ["my terms.tsv"] }
            output: { max_text_chars: 500 }
            """
        let config = try PipelineConfig.parse(yaml: yaml, file: "odd.yml")
        let shown = config.yaml
        #expect(shown.contains("max_depth: 4"), "a default the file leaves out is shown")
        #expect(shown.contains("max_member_bytes: 1000\n"))
        #expect(shown.contains("max_total_bytes: 4GiB\n"))
        #expect(shown.contains("extractors: [dates, formats]"))
        #expect(try PipelineConfig.parse(yaml: shown, file: "shown") == config)
    }
}
