import ArgumentParser
import HarnessAuditKit

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show what the store holds: sources, events by format, kind and harness, rejected lines.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    @Flag(name: .customLong("no-redact"), help: "Show secrets found in file paths and harness names in clear text.")
    var noRedact = false

    func run() throws {
        let stats = try StoreStatistics.load(path: store.path).redacted(Redactor(enabled: !noRedact))
        switch format {
        case .text: try Terminal.emit(TerminalText.sanitize(StatisticsRenderer.text(stats), keepNewlines: true))
        case .json: try Terminal.emit(StatisticsRenderer.json(stats))
        }
    }
}
