import FuzzSupport

/// Hands the process to libFuzzer.
@main enum FuzzPipeline {
    static func main() { runFuzzer(fuzzOne) }
}

/// libFuzzer's entry point: one input, checked by `PipelineHarness.run`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    PipelineHarness.run(input)
    return 0
}
