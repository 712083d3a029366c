import ArgumentParser
import SluiceLedger

/// `--ledger URL`, on every command that reads or writes the ledger.
struct LedgerOption: ParsableArguments {
    @Option(name: .customLong("ledger"), help: ArgumentHelp(
        """
        The ledger: postgres://user@host:port/db (shared by many workers; the password from the URL, \
        PGPASSWORD or ~/.pgpass), or sqlite:PATH or a path (default: the pipeline's ledger.url, else \
        OUTBOX/ledger.sqlite).
        """, valueName: "url"))
    var url: String?

    func validate() throws {
        if let url, case .failure(let error) = LedgerLocation.parse(url) {
            throw ValidationError("--ledger: \(error.message)")
        }
    }

    /// The ledger the option names, if it names one.
    var location: LedgerLocation? {
        guard let url, case .success(let location) = LedgerLocation.parse(url) else { return nil }
        return location
    }
}
