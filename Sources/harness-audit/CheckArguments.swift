import ArgumentParser
import HarnessAuditKit

/// The formats `check` (and `audit`) write findings in.
enum FindingsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, junit, markdown
}

/// `--fail-on`: the lowest severity that fails the run (exit 1), or `none`.
enum FailThreshold: String, ExpressibleByArgument, CaseIterable {
    case critical, high, medium, low, info, none

    var severity: Severity? { Severity(rawValue: rawValue) }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// The policy options `check`, `audit` and `report` share: the baseline, the waivers and extra rules.
struct PolicyArguments: ParsableArguments {
    @Option(help: ArgumentHelp("The team's baseline (default: ./harness-audit.yml when present, else the built-in policy).", valueName: "file"))
    var baseline: String?

    @Option(help: ArgumentHelp("Accepted findings, with owner, reason, ticket and expiry (YAML).", valueName: "file"))
    var waivers: String?

    @Option(name: .customLong("rules"), help: ArgumentHelp("A directory of extra rules (*.sql); repeatable.", valueName: "dir"))
    var ruleDirectories: [String] = []

    /// Loads the baseline and waivers into the engine options (exit 3 with file:line when invalid).
    func apply(to options: inout CheckOptions) throws {
        options.baseline = try Baseline.load(explicit: baseline)
        options.waivers = try Waivers.load(waivers)
        options.ruleDirectories = ruleDirectories
    }
}

/// The options `check` and `audit` share: the time window, the policy (baseline, waivers,
/// extra rules), what fails the run, and how findings are written.
struct CheckArguments: ParsableArguments {
    @Option(help: ArgumentHelp("Only actions at or after this time: 2026-11-01, 2026-11-01T10:00:00Z, a Unix time, or 7d/36h/90m before now.",
                               valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only actions before this time (same forms as --since).", valueName: "time"))
    var until: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding has at least this severity (none: never).")
    var failOn: FailThreshold = .high

    @Option(help: "Output format.")
    var format: FindingsFormat = .text

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the findings to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var policy: PolicyArguments

    @Flag(name: .customLong("new-only"), help: "Report only findings whose id is not in --previous (pull-request gating).")
    var newOnly = false

    @Option(help: ArgumentHelp("The JSON (or SARIF) output of an earlier check, for --new-only.", valueName: "file"))
    var previous: String?

    @Flag(name: .customLong("no-redact"), help: "Show secrets found in commands and paths in clear text (never in shared reports).")
    var noRedact = false

    @Option(help: "Colour in text output.")
    var color: ColorChoice = .auto

    @Flag(help: "Print the time each stage and rule took on standard error.")
    var profile = false

    func validate() throws {
        if newOnly && previous == nil { throw ValidationError("--new-only needs --previous FILE (the JSON output of an earlier check)") }
        if previous != nil && !newOnly { throw ValidationError("--previous is only used with --new-only") }
    }

    /// The engine options for a store.
    func options(databasePath: String) throws -> CheckOptions {
        var options = Terminal.checkOptions(databasePath: databasePath)
        let now = options.now
        options.since = try TimeExpression.parseIfGiven(since, now: now, option: "--since")
        options.until = try TimeExpression.parseIfGiven(until, now: now, option: "--until")
        // `SOURCE_DATE_EPOCH` is the run's now: a window it leaves open ends there, as report's and drift's do.
        if options.since != nil, options.until == nil, Terminal.sourceDateEpochMillis != nil { options.until = now }
        if let since = options.since, let until = options.until, since >= until {
            throw HarnessAuditError.usage("--since must be before --until")
        }
        try policy.apply(to: &options)
        if newOnly, let previous { options.previousFindingIDs = try PreviousFindings.load(previous) }
        return options
    }

    /// Renders the result in the chosen format, writes it to `--output` or standard output,
    /// and returns whether the run failed the threshold.
    func emit(_ raw: consuming CheckResult, databasePath: String) throws -> Bool {
        // Redacted in place: the findings are never held twice.
        var result = raw
        if profile {
            for (stage, seconds) in result.timings.sorted(by: { $0.seconds > $1.seconds }) {
                Terminal.writeStderr("profile: " + Format.seconds(seconds).leftPadding(to: 9) + "  " + stage + "\n")
            }
        }
        result.redact(Redactor(enabled: !noRedact))
        var renderOptions = FindingsRenderOptions(failOn: failOn.severity)
        renderOptions.databasePath = databasePath
        // Reproducible outputs (https://reproducible-builds.org/specs/source-date-epoch/).
        if let epoch = Terminal.sourceDateEpochMillis {
            renderOptions.generatedAt = epoch
            result.elapsedSeconds = 0
        }
        renderOptions.color = output == nil && format == .text && useColor
        var summary = renderOptions
        summary.color = false
        // JSON and SARIF are streamed to the output in pieces; the other formats are written whole.
        try CheckArguments.write(to: output, format: format, headline: { FindingsTextRenderer.headline(result, options: summary) }) { sink in
            switch format {
            case .text: sink(FindingsTextRenderer.render(result, options: renderOptions))
            case .json: FindingsJSONRenderer.write(result, options: renderOptions, to: sink)
            case .sarif: SARIFRenderer.write(result, options: renderOptions, to: sink)
            case .junit: sink(JUnitRenderer.render(result, options: renderOptions))
            case .markdown: sink(FindingsMarkdownRenderer.render(result, options: renderOptions))
            }
        }
        let total = result.findings.count + result.waived.count
        if format == .sarif, total > SARIFRenderer.maximumResults {
            Terminal.writeStderr("warning: the SARIF log holds the \(SARIFRenderer.maximumResults) most severe of \(total) findings (GitHub code "
                                 + "scanning accepts no more in a run); --format json holds them all\n")
        }
        // Text and Markdown on standard output say it in their summary; otherwise a warning goes beside the output.
        if !result.sourcesBeingIngested.isEmpty, format != .text && format != .markdown || output != nil {
            Terminal.writeStderr("warning: " + FindingsTextRenderer.beingIngested(result.sourcesBeingIngested, clean: { TerminalText.sanitize($0) }) + "\n")
        }
        return result.failing(at: failOn.severity)
    }

    /// Writes an output to `--output` (atomically, with a one-line summary on standard error) or
    /// to standard output (`-` or none).
    static func write(_ text: String, to output: String?, format: FindingsFormat, headline: () -> String) throws {
        try write(to: output, format: format, headline: headline) { $0(text) }
    }

    /// Writes what `render` hands its sink, piece by piece, to `--output` (atomically: a file beside it
    /// renamed over it once complete, with a one-line summary on standard error) or to standard output.
    static func write(to output: String?, format: FindingsFormat, headline: () -> String,
                      render: ((String) -> Void) -> Void) throws {
        guard let output, output != "-" else {
            // After a failed write nothing more is written: a document with pieces missing could still parse.
            var failure: String?
            render { piece in if failure == nil { failure = Terminal.writeStdout(piece) } }
            if let failure { throw HarnessAuditError.outputFailed(path: "standard output", reason: failure) }
            return
        }
        try OutputPath.check(output, option: "--output")
        let file = try AtomicFile(path: output)
        try Interruption.removing(file.temporary) {
            render { file.write($0) }
            try file.commit()
        }
        Terminal.writeStderr(TerminalText.sanitize(headline()) + "\n  " + format.rawValue + " written to " + TerminalText.sanitize(output) + "\n")
    }

    var useColor: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto: return Terminal.stdoutIsTTY && Terminal.environment["NO_COLOR"] == nil && Terminal.environment["TERM"] != "dumb"
        }
    }
}
