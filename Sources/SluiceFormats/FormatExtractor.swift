public import SluiceCore

/// Schema-aware extraction for agency exports, chosen by the document's root
/// element and namespace: FOIA annual reports, Federal Register, CFR, BILLSTATUS.
///
/// Stateless and `Sendable`: one value may serve any number of threads at once.
public struct FormatExtractor: Sendable {
    /// Part of the ledger key: changing any rule changes this.
    public static let version = "0.1.0"

    public init() {}

    /// Facts and properties for a document of a known format; nil for any other document.
    public func extract(_ document: ParsedDocument) -> Extraction? {
        guard var extraction = read(document) else { return nil }
        // Everything here comes from structured fields: the most certain source.
        extraction.entities.setSourceWhereUnknown(.format)
        return extraction
    }

    private func read(_ document: ParsedDocument) -> Extraction? {
        guard let root = document.root, !document.fields.isEmpty else { return nil }
        if FOIAReportExtractor.accepts(root) {
            return FOIAReportExtractor().extract(document)
        }
        if FederalRegisterExtractor.accepts(root) {
            return FederalRegisterExtractor().extract(document)
        }
        if BillStatusExtractor.accepts(root) {
            return BillStatusExtractor().extract(document)
        }
        if let first = document.fields.first, CFRExtractor.accepts(root, first: first) {
            return CFRExtractor().extract(document)
        }
        if let first = document.fields.first, GovTrackBillExtractor.accepts(root, first: first) {
            return GovTrackBillExtractor().extract(document)
        }
        return nil
    }
}
