import SluiceCore
import Testing

@Suite struct CountTests {
    /// EXTRACTION.md's counts table.
    @Test(arguments: [
        ("ICE removed approximately 3,600 U.S. citizens.", 3600.0, "count", "approximately", "U.S. citizens"),
        ("It served 88,000 families.", 88000, "count", nil, "families"),
        ("More than 90% of requests were answered.", 90, "percent", "more than", nil),
        ("Some 39 percent were denied.", 39, "percent", nil, nil),
        ("The contract was worth $1.2 million.", 1_200_000, "USD", nil, nil),
        ("The contract was worth 1.2 million dollars.", 1_200_000, "USD", nil, nil),
        ("The office received 12 requests.", 12, "count", nil, "requests"),
        ("The office received twelve requests.", 12, "count", nil, "requests"),
        ("Agencies have 20 working days to respond.", 20, "days", nil, "working days"),
        ("a 30-day delay in the effective date", 30, "days", nil, nil),
        ("This half-day program provides a basic overview.", 0.5, "days", nil, nil),
    ] as [(String, Double, String, String?, String?)])
    func contractTable(sentence: String, value: Double, unit: String, qualifier: String?, subject: String?) throws {
        let counts = try extract(sentence).counts
        #expect(counts.count == 1)
        let count = try #require(counts.first)
        #expect(count.value == value)
        #expect(count.unit == unit)
        #expect(count.qualifier == qualifier)
        if let subject { #expect(count.subject == subject) }
    }

    @Test func orMoreIsAtLeast() throws {
        let counts = try extract("an annual effect on the economy of 100 million dollars or more").counts
        #expect(counts.map(\.value) == [100_000_000])
        #expect(counts.first?.unit == "USD")
        #expect(counts.first?.qualifier == "at least")
    }

    @Test func identifiersAreNotCounts() throws {
        let text = """
            (b) The Director will interpret and apply the language of section 552(a) together with other requirements.
            The 287(g) program. Exemption 7(C) and Exemptions 2 and 7(F). Suite 11050, 1425 New York Avenue, NW.
            Call (202) 514-1010 or write to P.O. Box 1450, Alexandria, VA 22313. See 5 U.S.C. 553(b)(A) and 37 CFR 1.16.
            1. Describe the steps taken in 2010.
            one of the plaintiffs; one or more Indian tribes; in any one year
            """
        let counts = try extract(text).counts
        #expect(counts.isEmpty, "\(counts.map { ($0.value, $0.mentions.first?.text ?? "") })")
    }

    @Test func federalRegisterFeesPercentsAndDurations() throws {
        let counts = try extract(try fixture("2011-29462.xml")).counts
        let pairs = Set(counts.map { "\($0.value)|\($0.unit)" })
        for expected in ["400.0|USD", "200.0|USD", "240.0|USD", "50.0|percent", "60.0|days", "30.0|days", "100000000.0|USD"] {
            #expect(pairs.contains(expected), "missing \(expected)")
        }
        // No count from section numbers, CFR parts, Stat. pages or the FR document number.
        #expect(!counts.contains { $0.value == 553 || $0.value == 1.16 || $0.value == 283 || $0.value == 29462 })
    }
}
