import Foundation
import Testing
@testable import SluiceExport
@testable import SluiceExtract
@testable import SluiceScheduler

/// The data files compiled into the binary (by scripts/embed-resources) are the files people edit:
/// each generated copy equals its source byte for byte, so they cannot drift apart.
@Suite struct EmbeddedResourcesTests {
    static let embedded: [(path: String, text: String)] =
        ShippedGazetteer.sources + ShippedResources.sources + BuiltInPipeline.sources

    @Test("every embedded file equals its source file (run scripts/embed-resources after editing one)")
    func embeddedCopiesEqualTheirSources() throws {
        #expect(Self.embedded.map(\.path).sorted() == [
            "Pipelines/default.yml", "Sources/SluiceExport/Resources/meilisearch-settings.json",
            "Sources/SluiceExport/Resources/opensearch-mapping.json", "Sources/SluiceExport/Resources/record.schema.json",
            "Sources/SluiceExtract/Resources/agencies.tsv", "Sources/SluiceExtract/Resources/programs.tsv",
        ])
        for (path, text) in Self.embedded {
            let source = try Data(contentsOf: Repo.root.appendingPathComponent(path))
            #expect(Data(text.utf8) == source, "\(path) differs from its compiled-in copy: run scripts/embed-resources")
        }
    }

    @Test("the built-in pipeline is Pipelines/default.yml, setting for setting")
    func builtInPipelineIsTheDefaultFile() throws {
        let builtIn = try PipelineConfig.load(.builtIn)
        var file = try PipelineConfig.load(path: Repo.root.appendingPathComponent("Pipelines/default.yml").path)
        #expect(builtIn.source == .builtIn)
        #expect(file.source == .file(Repo.root.appendingPathComponent("Pipelines/default.yml").path))
        file.source = .builtIn
        #expect(builtIn == file)
        #expect(builtIn.fingerprint == file.fingerprint)
    }
}
