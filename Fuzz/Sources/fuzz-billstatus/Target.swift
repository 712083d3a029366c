import FuzzSupport

/// Hands the process to libFuzzer.
@main enum FuzzBillstatus {
    static func main() { runFuzzer(fuzzOne) }
}

/// libFuzzer's entry point: one input, checked by `ParseHarness.format`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    ParseHarness.format(input, name: "BILLSTATUS.xml", .billStatus)
    return 0
}
