import ArgumentParser
import HarnessAuditKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Exit codes (DESIGN §5): 0 ran and nothing reached --fail-on; 1 findings at or above the
// threshold; 2 usage error; 3 unreadable input, broken rule or baseline.
do {
    var command = try HarnessAuditCommand.parseAsRoot()
    try command.run()
    exit(0)
} catch let code as ExitCode {
    exit(code.rawValue)
} catch let error as HarnessAuditError {
    Terminal.error(TerminalText.sanitize(error.description))
    exit(ExitStatus.code(for: error))
} catch {
    let code = HarnessAuditCommand.exitCode(for: error)
    if code == .success {
        // Help and the version, written as every result is: one that could not be written fails (exit 3).
        if let failure = Terminal.writeStdout(HarnessAuditCommand.fullMessage(for: error) + "\n") {
            Terminal.error(TerminalText.sanitize("standard output: cannot write: \(failure)"))
            exit(ExitStatus.badInput)
        }
        exit(0)
    }
    Terminal.error(HarnessAuditCommand.fullMessage(for: error))
    exit(ExitStatus.usage)
}
