import FuzzSupport

/// Hands the process to libFuzzer.
@main enum FuzzXml {
    static func main() { runFuzzer(fuzzOne) }
}

/// libFuzzer's entry point: one input, checked by `ParseHarness.parse`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    ParseHarness.parse(input, name: "document.xml")
    return 0
}
