import Foundation
import SluiceCore

/// Files shipped in this module's `Resources/` folder: the record schema, the OpenSearch
/// mapping and the Meilisearch settings.
enum BundledResource {
    static func bytes(_ name: String, ext: String = "json") throws(ExportError) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources") else {
            throw ExportError(.resource, "\(name).\(ext) is missing from the SluiceExport resources; reinstall Sluice")
        }
        do {
            return Array(try Data(contentsOf: url))
        } catch {
            throw ExportError(.resource, "cannot read \(name).\(ext)", path: url.path, cause: error)
        }
    }

    static func json(_ name: String) throws(ExportError) -> JSONValue {
        let bytes = try bytes(name)
        return try mapped { try JSONReader.parse(bytes) }
    }
}
