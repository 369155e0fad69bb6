/// What a store holds: sources and their line accounting, events by format, kind and
/// harness, time range, sessions, and rejected lines grouped by reason.
public struct StoreStatistics: Sendable, Equatable {
    public struct Source: Sendable, Equatable {
        public var id: Int64
        public var path: String
        public var state: String
        public var compression: String?
        public var size: Int64?
        public var sha256: String?
        public var firstTS: Int64?
        public var lastTS: Int64?
        public var lines: Int64
        public var eventLines: Int64
        public var rejectedLines: Int64
        public var blankLines: Int64
        public var eventsAdded: Int64
        public var eventsDuplicate: Int64
        public var problem: String?

        /// lines = lines that made events + rejected + blank (DESIGN §6: nothing lost).
        public var accountingHolds: Bool { lines == eventLines + rejectedLines + blankLines }
    }

    public struct Count: Sendable, Equatable {
        public var name: String
        public var count: Int64
    }

    public var sources: [Source] = []
    public var events: Int64 = 0
    public var sessions: Int64 = 0
    public var firstTS: Int64?
    public var lastTS: Int64?
    public var eventsByFormat: [Count] = []
    public var eventsByKind: [Count] = []
    public var eventsByAgent: [Count] = []
    public var rejectedByReason: [Count] = []

    public var lines: Int64 { sources.reduce(0) { $0 + $1.lines } }
    public var rejectedLines: Int64 { sources.reduce(0) { $0 + $1.rejectedLines } }
    public var blankLines: Int64 { sources.reduce(0) { $0 + $1.blankLines } }
    public var eventLines: Int64 { sources.reduce(0) { $0 + $1.eventLines } }
    public var accountingHolds: Bool { sources.allSatisfy(\.accountingHolds) }

    /// Reads the statistics from a store.
    public static func load(from db: Database) throws(HarnessAuditError) -> StoreStatistics {
        var stats = StoreStatistics()
        let sources = try db.prepare("""
            SELECT id, path, state, compression, size, sha256, first_ts, last_ts, lines, event_lines, rejected_lines,
                   blank_lines, events_added, events_duplicate, problem
            FROM sources ORDER BY id
            """)
        while try sources.step() {
            stats.sources.append(Source(
                id: sources.int64(0)!, path: sources.text(1) ?? "", state: sources.text(2) ?? "",
                compression: sources.text(3), size: sources.int64(4), sha256: sources.text(5),
                firstTS: sources.int64(6), lastTS: sources.int64(7), lines: sources.int64(8) ?? 0,
                eventLines: sources.int64(9) ?? 0, rejectedLines: sources.int64(10) ?? 0,
                blankLines: sources.int64(11) ?? 0, eventsAdded: sources.int64(12) ?? 0,
                eventsDuplicate: sources.int64(13) ?? 0, problem: sources.text(14)))
        }
        stats.events = try db.scalarInt("SELECT count(*) FROM events") ?? 0
        stats.sessions = try db.scalarInt("SELECT count(DISTINCT session_id) FROM events") ?? 0
        let range = try db.rows("SELECT min(ts), max(ts) FROM events")
        stats.firstTS = range.first?[0].int64
        stats.lastTS = range.first?[1].int64
        func counts(_ sql: String, name: (SQLValue) -> String) throws(HarnessAuditError) -> [Count] {
            try db.rows(sql).map { Count(name: name($0[0]), count: $0[1].int64 ?? 0) }
        }
        stats.eventsByFormat = try counts("SELECT format, count(*) FROM events GROUP BY format ORDER BY 2 DESC, 1") {
            LogFormat(rawValue: Int($0.int64 ?? 0))?.id ?? "unknown"
        }
        stats.eventsByKind = try counts("SELECT kind, count(*) FROM events GROUP BY kind ORDER BY 2 DESC, 1") {
            EventKind(rawValue: Int($0.int64 ?? 0))?.name ?? "unknown"
        }
        stats.eventsByAgent = try counts("""
            SELECT c.agent, count(*) FROM events e JOIN contexts c ON c.id = e.context_id
            GROUP BY c.agent ORDER BY 2 DESC, 1
            """) { value in
            let name = value.text ?? ""
            return name.isEmpty ? "(unknown)" : name
        }
        stats.rejectedByReason = try counts("SELECT reason, count(*) FROM rejected GROUP BY reason ORDER BY 2 DESC, 1") {
            $0.text ?? ""
        }
        return stats
    }

    /// Opens the store read-only and loads the statistics.
    public static func load(path: String) throws(HarnessAuditError) -> StoreStatistics {
        let db = try Database(path: path, access: .readOnly)
        try Schema.verify(db)
        return try load(from: db)
    }
}
