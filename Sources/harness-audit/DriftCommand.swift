import ArgumentParser
import HarnessAuditKit

struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare two periods: new and vanished capabilities, permission and configuration drift, unused permissions.",
        discussion: """
            By default the period is the last full calendar month in the data and it is compared with the month \
            before. A capability (tool, MCP server, command family, secret read, host, namespace or context, \
            production target, permission setting) drifts when it is outside the baseline's `allowed` list, or, \
            where the baseline lists none, when the previous period did not use it. \
            Exit codes: 0 nothing reached --fail-on; 1 findings at or above it; 2 usage error; \
            3 unreadable store, broken rule, baseline or waivers file, or the output could not be written.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var span: PeriodArguments

    @Option(help: ArgumentHelp("The month to compare with, YYYY-MM (default: the period before).", valueName: "month"))
    var against: String?

    @Option(name: .customLong("against-since"), help: ArgumentHelp("Start of a custom period to compare with.", valueName: "time"))
    var againstSince: String?

    @Option(name: .customLong("against-until"), help: ArgumentHelp("End of the custom period to compare with, exclusive.", valueName: "time"))
    var againstUntil: String?

    @Option(name: .customLong("tracking-period"), help: ArgumentHelp(
        "Allowances not exercised within this many days before the period ends are unused (90 or 90d).", valueName: "days"))
    var trackingPeriod: String = "\(DriftOptions.defaultTrackingDays)d"

    @OptionGroup var policy: PolicyArguments

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding has at least this severity (none: never).")
    var failOn: FailThreshold = .high

    @Option(help: "Output format.")
    var format: FindingsFormat = .text

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(name: .customLong("no-redact"), help: "Show secrets found in commands and paths in clear text.")
    var noRedact = false

    func validate() throws {
        if against != nil && (againstSince != nil || againstUntil != nil) {
            throw ValidationError("give either --against or --against-since/--against-until, not both")
        }
        if (againstSince == nil) != (againstUntil == nil) {
            throw ValidationError("--against-since and --against-until go together")
        }
        if DriftCommand.days(trackingPeriod) == nil {
            throw ValidationError("--tracking-period takes a number of days from 1 to 3650 (90 or 90d), not `\(trackingPeriod)`")
        }
    }

    static func days(_ text: String) -> Int? {
        let digits = text.hasSuffix("d") ? String(text.dropLast()) : text
        guard let days = Int(digits), (1...3650).contains(days) else { return nil }
        return days
    }

    func run() throws {
        var check = Terminal.checkOptions(databasePath: store.path)
        try policy.apply(to: &check)
        var options = DriftOptions(check: check)
        options.current = try span.resolve(now: check.now)
        options.previous = try PeriodArguments.resolve(month: against, since: againstSince, until: againstUntil, now: check.now,
                                                       names: ("--against", "--against-since", "--against-until"))
        if let current = options.current, let previous = options.previous, previous.until > current.since {
            throw HarnessAuditError.usage("the period to compare with must end before \(current.title) starts")
        }
        if options.current == nil, options.previous != nil {
            throw HarnessAuditError.usage("--against needs the period it is compared with: --period or --since/--until")
        }
        options.trackingDays = DriftCommand.days(trackingPeriod) ?? DriftOptions.defaultTrackingDays
        let drift = try DriftAnalyzer.run(options).redacted(Redactor(enabled: !noRedact))
        var render = FindingsRenderOptions(failOn: failOn.severity)
        render.databasePath = store.path
        render.command = "drift"
        if let epoch = Terminal.sourceDateEpochMillis { render.generatedAt = epoch }
        let text: String
        switch format {
        case .text: text = DriftTextRenderer.render(drift, options: render)
        case .json: text = DriftJSONRenderer.render(drift, options: render)
        case .markdown: text = ReportMarkdownRenderer.render(DriftComposer.document(drift, failOn: failOn.severity))
        case .sarif: text = SARIFRenderer.render(drift.result, options: render)
        case .junit: text = JUnitRenderer.render(drift.result, options: render)
        }
        try CheckArguments.write(text, to: output, format: format) {
            "harness-audit drift: \(drift.newCount) new, \(drift.vanishedCount) vanished, \(Format.count(drift.result.findings.count, "finding"))"
        }
        if drift.result.failing(at: failOn.severity) { throw ExitCode(ExitStatus.findings) }
    }
}
