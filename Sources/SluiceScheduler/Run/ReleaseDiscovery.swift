import Foundation
import SluiceCore

/// Finds the releases in the Inbox: every regular file below it, in name order.
enum ReleaseDiscovery {
    struct Found {
        /// Relative to the Inbox.
        var name: String
        var path: String
    }

    static func releases(in inbox: String) throws -> [Found] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: inbox, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RunError("the Inbox \(inbox) does not exist or is not a folder")
        }
        let root = URL(fileURLWithPath: inbox).standardizedFileURL
        guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                         options: [.skipsHiddenFiles]) else {
            throw RunError("cannot list the Inbox \(inbox)")
        }
        var found: [Found] = []
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            let name = String(path.dropFirst(prefix.count))
            if name.hasPrefix("README") { continue }
            found.append(Found(name: name, path: path))
        }
        return found.sorted { $0.name < $1.name }
    }

    /// SHA-256 and size of a file, read in chunks.
    static func sha256(ofFile path: String) throws -> (hex: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw RunError("cannot read the release \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total = 0
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            total += chunk.count
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return (SHA256.hexString(hasher.finalize()), total)
    }
}
