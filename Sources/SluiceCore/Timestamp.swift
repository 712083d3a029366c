#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way Sluice writes a time: UTC, built by hand (the ledger stamps a row
/// per document, and a Foundation formatter per call cost more than the write).
public enum Timestamp {
    /// How a time is written.
    public enum Style: Sendable {
        /// `2024-01-31T23:59:59.123Z`: ledger rows, manifests, log lines, the lock file.
        case iso8601Milliseconds
        /// `20240131T235959Z`: run ids and the file names made from them.
        case compact
    }

    /// Now, in `style`.
    public static func now(_ style: Style = .iso8601Milliseconds) -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return format(seconds: Int(spec.tv_sec), nanoseconds: Int(spec.tv_nsec), style)
    }

    /// Seconds since 1970 (a `Date`'s `timeIntervalSince1970`), in `style`.
    public static func format(secondsSince1970 value: Double, _ style: Style = .iso8601Milliseconds) -> String {
        let whole = value.rounded(.down)
        // Rounded to the millisecond written (a Double near 1.7e9 keeps only ~0.1 µs), never a whole second.
        let nanoseconds = min(999, Int(((value - whole) * 1e3).rounded())) * 1_000_000
        return format(seconds: Int(whole), nanoseconds: nanoseconds, style)
    }

    static func format(seconds: Int, nanoseconds: Int, _ style: Style) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int, then separator: Character?) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
            if let separator, let ascii = separator.asciiValue { out.append(ascii) }
        }
        let extended = style == .iso8601Milliseconds
        digits(Int(parts.tm_year) + 1900, 4, then: extended ? "-" : nil)
        digits(Int(parts.tm_mon) + 1, 2, then: extended ? "-" : nil)
        digits(Int(parts.tm_mday), 2, then: "T")
        digits(Int(parts.tm_hour), 2, then: extended ? ":" : nil)
        digits(Int(parts.tm_min), 2, then: extended ? ":" : nil)
        if extended {
            digits(Int(parts.tm_sec), 2, then: ".")
            digits(nanoseconds / 1_000_000, 3, then: "Z")
        } else {
            digits(Int(parts.tm_sec), 2, then: "Z")
        }
        return String(decoding: out, as: UTF8.self)
    }
}
