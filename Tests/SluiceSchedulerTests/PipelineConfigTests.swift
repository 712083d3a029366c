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

    @Test func sizesTakeUnits() throws {
        let config = try PipelineConfig.parse(yaml: "unpack:\n  max_member_bytes: 64MiB\n  max_total_bytes: 2GiB\n", file: "x")
        #expect(config.unpack.maxMemberBytes == 64 << 20)
        #expect(config.unpack.maxTotalBytes == 2 << 30)
    }

    @Test func yamlSyntaxErrorsHaveAPosition() throws {
        #expect(throws: ConfigError.self) { try PipelineConfig.parse(yaml: "stages: [unclosed\n", file: "x") }
    }
}
