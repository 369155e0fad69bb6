import ArgumentParser
import HarnessAuditKit

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest agent harness and Kubernetes audit logs into the store.",
        discussion: """
            PATH is a file, a directory (searched recursively for *.jsonl, *.ndjson, *.json and *.log, \
            each optionally .gz or .zst) or - for standard input. Gzip and zstd are recognised by content, not by name. \
            Ingesting the same data again adds nothing; an interrupted ingest resumes where it stopped.
            """)

    @Argument(help: ArgumentHelp("Files, directories, or - for standard input.", valueName: "path"))
    var paths: [String]

    @OptionGroup var store: StoreOptions

    @Flag(name: .shortAndLong, help: "No progress and no per-line warnings.")
    var quiet = false

    @Flag(help: "Exit 3 when any line of the inputs was rejected or any was read only in part (this run or an earlier one).")
    var strict = false

    @Option(help: "Summary format.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Lines longer than this many MiB are recorded as rejected.", valueName: "MiB"))
    var maxLineMib: Int = 64

    func validate() throws {
        guard maxLineMib >= 1 && maxLineMib <= 1024 else {
            throw ValidationError("--max-line-mib must be between 1 and 1024")
        }
    }

    func run() throws {
        var options = IngestOptions(databasePath: store.path)
        options.maximumLineBytes = maxLineMib << 20
        if !quiet && Terminal.stderrIsTTY {
            options.progress = ProgressPrinter.make()
        }
        let summary = try Ingestor(options: options).run(paths: paths)
        if !quiet && Terminal.stderrIsTTY { Terminal.writeStderr("\r\u{1B}[K") }
        if !quiet {
            for warning in IngestReportRenderer.warnings(summary, perFileLimit: 5, earlier: strict) {
                Terminal.warning(TerminalText.sanitize(warning))
            }
        }
        switch format {
        case .text: try Terminal.emit(IngestReportRenderer.text(summary, database: store.path))
        case .json: try Terminal.emit(IngestReportRenderer.json(summary, database: store.path))
        }
        try IngestCommand.failOnUnreadable(summary, quiet: quiet)
        // What an earlier run read of the same content counts too: a retried CI job must fail as the first did.
        if strict && summary.sources.contains(where: {
            $0.rejectedLines + $0.earlierRejectedLines > 0 || $0.status == .partial || $0.earlierPartial
        }) {
            throw ExitCode(ExitStatus.badInput)
        }
    }
}

extension IngestCommand {
    /// Says why input could not be read (whatever `--quiet` hides, the reasons for exit 3 are shown: with it, every
    /// reason; without it, the unreadable files, the other reasons being among the warnings) and exits 3 then.
    static func failOnUnreadable(_ summary: IngestSummary, quiet: Bool) throws {
        if quiet {
            for error in IngestReportRenderer.errors(summary) { Terminal.warning(TerminalText.sanitize(error)) }
        } else {
            for source in summary.unreadableSources {
                Terminal.warning(TerminalText.sanitize(source.unreadableMessage))
            }
        }
        if summary.sources.contains(where: { $0.status == .failed }) || !summary.problems.isEmpty || !summary.unreadableSources.isEmpty {
            throw ExitCode(ExitStatus.badInput)
        }
    }
}

/// Progress on stderr, at most a few times a second.
enum ProgressPrinter {
    static func make() -> @Sendable (IngestProgress) -> Void {
        let state = Throttle()
        return { progress in
            guard state.due(progress.elapsedSeconds) else { return }
            let rate = progress.elapsedSeconds > 0 ? Double(progress.events) / progress.elapsedSeconds : 0
            let line = "ingest: file \(min(progress.filesDone + 1, progress.filesTotal))/\(progress.filesTotal)  "
                + "\(Format.megabytes(progress.bytesRead)) read  \(Format.grouped(progress.events)) events  "
                + "\(Format.grouped(Int64(rate))) events/s"
            Terminal.writeStderr("\r\u{1B}[K" + line)
        }
    }

    final class Throttle: @unchecked Sendable {
        private var last = -1.0
        func due(_ now: Double) -> Bool {
            if now - last < 0.25 { return false }
            last = now
            return true
        }
    }
}
