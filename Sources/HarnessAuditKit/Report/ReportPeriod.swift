/// The time span a report covers, half-open: `[since, until)` in ms (UTC).
public struct ReportPeriod: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A calendar month (`--period 2026-10`, or the default).
        case month(year: Int, month: Int)
        /// `--since`/`--until`.
        case range
        /// Everything in the store (the default when it holds less than a full month).
        case allData
    }

    public var since: Int64
    public var until: Int64
    public var kind: Kind

    public init(since: Int64, until: Int64, kind: Kind) {
        self.since = since
        self.until = until
        self.kind = kind
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    /// `October 2026`, `2026-10-03 – 2026-10-16`.
    public var title: String {
        switch kind {
        case .month(let year, let month): return "\(ReportPeriod.monthNames[month - 1]) \(year)"
        case .range, .allData: return Timestamp.formatDate(since) + " – " + Timestamp.formatDate(until - 1)
        }
    }

    /// A short name for files: `2026-10`, `2026-10-03_2026-10-16`.
    public var slug: String {
        switch kind {
        case .month(let year, let month): return Timestamp.pad(year, 4) + "-" + Timestamp.pad(month, 2)
        case .range, .allData: return Timestamp.formatDate(since) + "_" + Timestamp.formatDate(until - 1)
        }
    }

    /// The `report` options that select this period again.
    public var arguments: [String] {
        switch kind {
        case .month: return ["--period", slug]
        case .range, .allData: return ["--since", Timestamp.format(since), "--until", Timestamp.format(until)]
        }
    }

    /// The period before, for trends: the previous calendar month, or the span of the same length
    /// just before.
    public var previous: ReportPeriod {
        switch kind {
        case .month(let year, let month):
            return ReportPeriod.month(year: month == 1 ? year - 1 : year, month: month == 1 ? 12 : month - 1)
        case .range, .allData:
            return ReportPeriod(since: since - (until - since), until: since, kind: .range)
        }
    }

    public static func month(year: Int, month: Int) -> ReportPeriod {
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        return ReportPeriod(since: Timestamp.millis(year: year, month: month, day: 1),
                            until: Timestamp.millis(year: next.0, month: next.1, day: 1), kind: .month(year: year, month: month))
    }

    /// Parses `--period YYYY-MM`.
    public static func parseMonth(_ text: String) throws(HarnessAuditError) -> ReportPeriod {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0 >= "0" && $0 <= "9" } }),
              let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month), year >= 1970 else {
            throw .usage("--period takes a month as YYYY-MM (e.g. 2026-10), not `\(text)`")
        }
        return .month(year: year, month: month)
    }

    /// The default period: the last calendar month that has ended (by `now`) and holds data,
    /// or all of the data when there is less than that. `first`/`last` are the store's first
    /// and last event times; nil when it holds no dated event.
    /// `given`, else the default period of the store `db` (by its sources' first and last event times). A store
    /// with no dated event at all (Claude Code hook payloads carry no time) is placed as `check` places its
    /// actions: by its files' modification times, else when they were ingested.
    public static func resolved(_ given: ReportPeriod?, store db: Database, now: Int64) throws(HarnessAuditError) -> ReportPeriod {
        if let given { return given }
        var range = try db.rows("SELECT min(first_ts), max(last_ts) FROM sources").first
        if range?[0].int64 == nil {
            range = try db.rows("SELECT min(coalesce(mtime, started_at)), max(coalesce(mtime, started_at)) FROM sources").first
        }
        var first = range?[0].int64, last = range?[1].int64
        // Beside dated files, a file of undated events (Claude Code hook payloads) whose sessions nothing dates: `check`
        // places its actions at the file's modification time, so the period must reach it. (A session another file
        // dates is placed by that.)
        if first != nil, try !db.rows("SELECT 1 FROM sources WHERE first_ts IS NULL AND event_lines > 0 LIMIT 1").isEmpty,
           let undated = try db.rows("""
               SELECT min(coalesce(s.mtime, s.started_at)), max(coalesce(s.mtime, s.started_at)) FROM sources s
               WHERE s.first_ts IS NULL AND s.event_lines > 0
                 AND s.id IN (SELECT e.source_id FROM events e
                              WHERE e.session_id IN (SELECT session_id FROM events GROUP BY session_id HAVING max(ts) IS NULL))
               """).first, let low = undated[0].int64, let high = undated[1].int64 {
            first = min(first ?? low, low)
            last = max(last ?? high, high)
        }
        // A short span: the candidate month must hold most of the activity (its tool calls), not only most of the time.
        return defaultPeriod(first: first, last: last, now: now) { since, until in
            // Counted only for a span under a month; a store that cannot count falls back to the span alone.
            guard let row = try? db.rows("SELECT sum(ts >= ?1 AND ts < ?2), count(ts) FROM events WHERE kind = ?3",
                                         [.integer(since), .integer(until), .integer(Int64(EventKind.toolCall.rawValue))]).first
            else { return nil }
            return (row[0].int64 ?? 0, row[1].int64 ?? 0)
        }
    }

    /// `activity(since, until)`: the tool calls in that range and in all, where a short span needs them.
    public static func defaultPeriod(first: Int64?, last: Int64?, now: Int64,
                                     activity: ((Int64, Int64) -> (inside: Int64, all: Int64)?)? = nil) -> ReportPeriod {
        guard let first, let last else {
            // Nothing dated: the month before `now`, so the report still says what it looked at.
            let (year, month) = Timestamp.yearMonth(now)
            return ReportPeriod.month(year: year, month: month).previous
        }
        let (year, month) = Timestamp.yearMonth(last)
        var candidate = ReportPeriod.month(year: year, month: month)
        if candidate.until > now { candidate = candidate.previous }
        // Data that spans less than a month, most of it (in time, else in tool calls) after the month, is reported
        // whole: a month that holds only the last hours of it (a session started the night before) is not the activity.
        let span = last - first + 1, overlap = min(candidate.until, last + 1) - max(candidate.since, first)
        if overlap > 0 && span >= candidate.until - candidate.since { return candidate }
        if overlap > 0 && overlap * 2 >= span {
            guard let (inside, all) = activity?(candidate.since, candidate.until) else { return candidate }
            if all == 0 || inside * 2 >= all { return candidate }
        }
        return ReportPeriod(since: first, until: last + 1, kind: .allData)
    }
}
