import ArgumentParser
import HarnessAuditKit

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The main job in one command: ingest logs, run the rules, and summarise.",
        discussion: """
            Ingests every PATH into the store (default: ./harness-audit.sqlite; ingesting again adds \
            nothing), runs check over it, and prints the ingest summary and the findings. Exit codes as \
            for check; 3 also when an input could not be read at all (the rest is still audited).
            """)

    @Argument(help: ArgumentHelp("Log files or directories (searched recursively), or - for standard input.", valueName: "path"))
    var paths: [String]

    @OptionGroup var store: StoreOptions
    @OptionGroup var check: CheckArguments

    @Flag(name: .shortAndLong, help: "No progress and no ingest summary; findings only.")
    var quiet = false

    func run() throws {
        // Policy files are read first, so a broken baseline fails before minutes of ingest.
        let options = try check.options(databasePath: store.path)
        var ingestOptions = IngestOptions(databasePath: store.path)
        if !quiet && Terminal.stderrIsTTY { ingestOptions.progress = ProgressPrinter.make() }
        let summary = try Ingestor(options: ingestOptions).run(paths: paths)
        if !quiet && Terminal.stderrIsTTY { Terminal.writeStderr("\r\u{1B}[K") }
        if !quiet {
            for warning in IngestReportRenderer.warnings(summary, perFileLimit: 5) {
                Terminal.warning(TerminalText.sanitize(warning))
            }
            let text = TerminalText.sanitize(IngestReportRenderer.text(summary, database: store.path), keepNewlines: true)
            if check.format == .text && check.output == nil { try Terminal.emit(text + "\n") } else { Terminal.writeStderr(text) }
        }
        // Nothing could be read: no verdict over a store that holds nothing of what was asked.
        if summary.sources.isEmpty && !summary.problems.isEmpty { try IngestCommand.failOnUnreadable(summary, quiet: quiet) }
        let failed = try check.emit(CheckEngine.run(options), databasePath: store.path)
        try IngestCommand.failOnUnreadable(summary, quiet: quiet)
        if failed { throw ExitCode(ExitStatus.findings) }
    }
}
