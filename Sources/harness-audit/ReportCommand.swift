import ArgumentParser
import HarnessAuditKit

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case markdown, html

    var format: ReportOptions.Format { self == .markdown ? .markdown : .html }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the compliance report for a period: verdict, trends, controls, top findings, scorecards, coverage.",
        discussion: """
            By default the report covers the last full calendar month in the data (or all of it when there is \
            less) and is written to reports/harness-audit-PERIOD.md, with its SVG charts beside it; missing \
            directories are created. \
            Exit codes: 0 the verdict is pass (or no data); 1 findings at or above --fail-on; 2 usage error; \
            3 unreadable store, broken rule, baseline or waivers file, or the report could not be written.
            """)

    @OptionGroup var store: StoreOptions

    @OptionGroup var span: PeriodArguments

    @Option(help: ArgumentHelp("The report file (default: reports/harness-audit-PERIOD.md or .html; - for standard output).",
                               valueName: "file"))
    var out: String?

    @Option(help: "markdown (with SVG charts beside it) or html (one self-contained page).")
    var format: ReportFormat = .markdown

    @OptionGroup var policy: PolicyArguments

    @Option(name: .customLong("fail-on"), help: "The verdict fails, and the exit status is 1, at findings of this severity or above (none: never).")
    var failOn: FailThreshold = .high

    @Option(help: ArgumentHelp("Findings shown in full with their session's timeline.", valueName: "n"))
    var top: Int = 10

    @Flag(name: .customLong("no-redact"), help: "Show secrets found in logs in clear text (forensics only; never share such a report).")
    var noRedact = false

    @Flag(help: "Print the time each stage took on standard error.")
    var profile = false

    func validate() throws {
        if top < 0 || top > 1000 { throw ValidationError("--top takes a number from 0 to 1000") }
    }

    func run() throws {
        var check = Terminal.checkOptions(databasePath: store.path)
        try policy.apply(to: &check)
        var options = ReportOptions(check: check)
        // The run's "now" (`SOURCE_DATE_EPOCH` when set): the generation time and the default period's.
        options.generatedAt = check.now
        options.period = try span.resolve(now: check.now)
        options.failOn = failOn.severity
        options.redact = !noRedact
        options.format = format.format
        options.topFindings = top

        // The default file needs the period, which may come from the data: build first, then name it.
        let explicit = out
        if let explicit { try OutputPath.check(explicit, option: "--out") }
        options.output = explicit == "-" ? nil : explicit
        var report = try ReportBuilder.build(options)
        if profile {
            for (stage, seconds) in report.timings {
                Terminal.writeStderr("profile: " + Format.seconds(seconds).leftPadding(to: 9) + "  " + stage + "\n")
            }
        }
        let path: String?
        if let explicit {
            path = explicit == "-" ? nil : explicit
        } else {
            path = "reports/harness-audit-" + report.current.period.slug + "." + options.format.fileExtension
            report.options.output = path
        }
        if let path {
            try OutputFile.createDirectory(OutputFile.directory(of: path))
        }
        let document = ReportComposer.compose(report)
        let text = options.format == .markdown ? ReportMarkdownRenderer.render(document) : ReportHTMLRenderer.render(document)
        let current = report.current
        let verdict = !current.hasData ? "NO DATA" : report.failed ? "FAIL" : "PASS"
        var line = "\(verdict): \(current.period.title): \(current.findings(.critical)) critical, \(current.findings(.high)) high, "
        line += "\(current.findings(.medium)) medium findings over \(Format.count(current.figures.actions, "action"))"
        guard let path else {
            try Terminal.emit(text)
            // The document went to standard output; the verdict goes to standard error, as with a file.
            Terminal.writeStderr(TerminalText.sanitize(line) + "\n")
            if report.failed { throw ExitCode(ExitStatus.findings) }
            return
        }
        var written = [path]
        if options.format == .markdown {
            let directory = OutputFile.directory(of: path)
            for chart in document.charts {
                let chartPath = (directory.isEmpty ? "" : directory.hasSuffix("/") ? directory : directory + "/") + chart.fileName
                try OutputFile.write(chart.svg, to: chartPath)
                written.append(chartPath)
            }
        }
        try OutputFile.write(text, to: path)
        Terminal.writeStderr(TerminalText.sanitize(line) + "\n")
        for file in written { Terminal.writeStderr("  written: " + TerminalText.sanitize(file) + "\n") }
        if report.failed { throw ExitCode(ExitStatus.findings) }
    }
}
