import ArgumentParser
import HarnessAuditKit

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the rules over the store and report findings.",
        discussion: """
            Exit codes: 0 nothing reached --fail-on; 1 findings at or above it; 2 usage error; \
            3 unreadable store, broken rule, baseline or waivers file, or the output could not be written. \
            Waived findings never fail the run.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var check: CheckArguments

    func run() throws {
        let options = try check.options(databasePath: store.path)
        if try check.emit(CheckEngine.run(options), databasePath: store.path) {
            throw ExitCode(ExitStatus.findings)
        }
    }
}
