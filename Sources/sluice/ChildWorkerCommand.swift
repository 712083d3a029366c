import ArgumentParser
import Foundation
import SluiceScheduler

/// `sluice _child`: the hidden worker mode of process isolation. `sluice run` starts it with
/// pipes on stdin and stdout and sends it members to parse and extract (see `ChildServer`);
/// it is not for people to run.
struct ChildWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_child",
        abstract: "Parse and extract members sent by `sluice run` over stdin (process isolation; internal).",
        shouldDisplay: false
    )

    func run() throws { Self.serve() }

    /// Serves the parent until its pipe closes, then exits with the server's status.
    static func serve() -> Never { Foundation.exit(ChildServer.serve()) }
}
