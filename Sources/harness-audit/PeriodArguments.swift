import ArgumentParser
import HarnessAuditKit

/// `--period YYYY-MM` or `--since/--until`: the span `report`, `drift` and `baseline suggest` cover.
struct PeriodArguments: ParsableArguments {
    @Option(help: ArgumentHelp("A calendar month, YYYY-MM (default: the last full month in the data).", valueName: "month"))
    var period: String?

    @Option(help: ArgumentHelp("Start of a custom period (2026-11-01, a date-time, a Unix time, or 7d/36h before now).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("End of a custom period, exclusive (same forms; default: now).", valueName: "time"))
    var until: String?

    func validate() throws {
        if period != nil && (since != nil || until != nil) {
            throw ValidationError("give either --period or --since/--until, not both")
        }
    }

    /// The period given, or nil for the command's default.
    func resolve(now: Int64) throws -> ReportPeriod? {
        try PeriodArguments.resolve(month: period, since: since, until: until, now: now, names: ("--period", "--since", "--until"))
    }

    static func resolve(month: String?, since: String?, until: String?, now: Int64,
                        names: (month: String, since: String, until: String)) throws -> ReportPeriod? {
        if let month {
            do { return try ReportPeriod.parseMonth(month) } catch {
                throw HarnessAuditError.usage("\(names.month) takes a month as YYYY-MM (e.g. 2026-10), not `\(month)`")
            }
        }
        guard since != nil || until != nil else { return nil }
        let start = try TimeExpression.parseIfGiven(since, now: now, option: names.since)
        let end = try TimeExpression.parseIfGiven(until, now: now, option: names.until) ?? now
        guard let start else { throw HarnessAuditError.usage("\(names.until) needs \(names.since) (or use \(names.month) YYYY-MM)") }
        if start >= end { throw HarnessAuditError.usage("\(names.since) must be before \(names.until)") }
        return ReportPeriod(since: start, until: end, kind: .range)
    }
}
