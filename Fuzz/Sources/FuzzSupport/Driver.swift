import CFuzzerDriver
import Foundation

/// Hands the process to libFuzzer with `testOneInput` (the target's `LLVMFuzzerTestOneInput`) as
/// the function under test; libFuzzer reads the command line (corpus folders, `-runs=`, ...).
public func runFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    exit(sluice_fuzzer_run(CommandLine.argc, CommandLine.unsafeArgv, testOneInput))
}
