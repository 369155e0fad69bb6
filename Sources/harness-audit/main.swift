import ArgumentParser
import HarnessAuditKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Exit codes (DESIGN §5): 0 ran and nothing reached --fail-on; 1 findings at or above the
// threshold; 2 usage error; 3 unreadable input, broken rule or baseline.
// No subcommand, or one that does not exist asked for help (`harness-audit nope --help`, `harness-audit help nope`): a usage
// error, not the help a correct request gets.
// A reader that goes away (`… | head`) makes a write fail (EPIPE), reported as every unwritable output is (exit 3),
// instead of killing the process in silence (SIGPIPE: 141).
_ = signal(SIGPIPE, SIG_IGN)

let arguments = Array(CommandLine.arguments.dropFirst())
let subcommands = HarnessAuditCommand.configuration.subcommands.map { $0._commandName }
let named = arguments.first == "help" ? arguments.dropFirst().first : arguments.first
if arguments.isEmpty || named.map({ !$0.hasPrefix("-") && !subcommands.contains($0) }) == true {
    let problem = named.map { "Error: unknown subcommand '\($0)'.\n" } ?? "Error: missing a subcommand.\n"
    Terminal.error(problem + HarnessAuditCommand.helpMessage())
    exit(ExitStatus.usage)
}

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
