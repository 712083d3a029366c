import CSluiceBuildInfo
import SluiceParse
import SluiceScheduler
import SluiceUnpack

/// What `sluice --version` prints: the version, the commit built from, and the C libraries in use.
enum BuildInfo {
    /// The git commit of the build, or `unknown` outside a git checkout.
    static var commit: String { String(cString: csluice_git_commit()) }

    static var versionText: String {
        """
        sluice \(SluiceVersion.current) (commit \(commit))
        libxml2 \(Parser.libxml2Version)
        zlib \(Unpacker.zlibVersion)
        """
    }
}
