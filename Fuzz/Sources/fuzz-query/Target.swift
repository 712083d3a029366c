import FuzzSupport

/// Hands the process to libFuzzer.
@main enum FuzzQuery {
    static func main() { runFuzzer(fuzzOne) }
}

/// libFuzzer's entry point: one input, checked by `QueryHarness.run`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    QueryHarness.run(input)
    return 0
}
