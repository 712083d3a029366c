import FuzzSupport

/// Hands the process to libFuzzer.
@main enum FuzzZip {
    static func main() { runFuzzer(fuzzOne) }
}

/// libFuzzer's entry point: one input, checked by `UnpackHarness.run`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    UnpackHarness.run(input, as: .zip)
    return 0
}
