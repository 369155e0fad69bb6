import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The private scratch database that holds a check's action model (`ActionModel`), so that several
/// read-only rule connections can read one model at once (a connection's temporary tables are its
/// own). It lives in a new directory under `$TMPDIR`, private to the user (mode 0700, the files 0600:
/// the model holds the commands the logs hold), and is removed with everything in it when the check
/// ends. Once every rule connection has attached a build, its file is unlinked (`release`): the
/// connections keep it open, and nothing of it stays on disk after they close, whatever ends them.
///
/// Each build writes a new file (`model1.sqlite`, `model2.sqlite`) on a connection of its own, with
/// the store attached read-only, then closes it; connections attach the finished file read-only as
/// `schema`. A rebuild never writes a file a connection has open, so readers and the builder never
/// wait on each other's locks.
final class ModelScratch {
    let directory: TemporaryDirectory
    /// The last build that succeeded (0: none yet).
    private(set) var generation = 0

    /// The schema name connections attach the current build as.
    var schema: String { "model\(generation)" }
    var path: String { path(generation) }
    func path(_ generation: Int) -> String { directory.path + "/model\(generation).sqlite" }

    init() throws(HarnessAuditError) {
        do {
            directory = try TemporaryDirectory()
        } catch {
            guard case .outputFailed(let path, let reason) = error else { throw error }
            throw .outputFailed(path: path, reason: reason + " (for the action model's scratch database; set TMPDIR to a writable "
                                + "directory)")
        }
    }

    deinit { directory.remove() }

    /// Builds the model of `store`'s events up to `snapshot` (an event id) for the sessions of `range`
    /// into a new file. `store` is the check's own connection: the builders read its events up to the
    /// snapshot, and the times of its sources (which an ingest may change) as it sees them.
    /// `windowIndex`: index the actions' place in time, for bounded windows. `fold`: streamed (`ActionFold`),
    /// or one `GROUP BY` shared out by session among connections, each writing a file of its own, then
    /// gathered into the model's file. Returns the time each stage took, for `check --profile`.
    func build(store: Database, snapshot: Int64, range: ActionModel.SessionRange, windowIndex: Bool,
               fold: CheckOptions.Fold = .streamed()) throws(HarnessAuditError) -> [(String, Double)] {
        let next = generation + 1
        defer { for part in 1..<8 { unlink(path(next) + "-part\(part)") } }
        do {
            let timings = try build(into: path(next), store: store, snapshot: snapshot, range: range, windowIndex: windowIndex,
                                    fold: fold)
            generation = next
            return timings
        } catch {
            unlink(path(next))
            if case .database(let code, _, _) = error, code & 0xFF == SQLITE_FULL {
                throw .outputFailed(path: directory.path, reason: "no room left for the action model's scratch database (about "
                                    + "170 MB per million events); set TMPDIR to a directory with room")
            }
            throw error
        }
    }

    private func build(into path: String, store: Database, snapshot: Int64, range: ActionModel.SessionRange, windowIndex: Bool,
                       fold: CheckOptions.Fold) throws(HarnessAuditError) -> [(String, Double)] {
        var timings: [(String, Double)] = []
        var mark = Clock.monotonicSeconds()
        func lap(_ label: String) {
            let now = Clock.monotonicSeconds()
            timings.append(("action model: " + label, now - mark))
            mark = now
        }
        let bindings: [String: SQLValue] = [":snapshot": .integer(snapshot), ":range_since": .optional(range.since),
                                            ":range_until": .optional(range.until)]
        let builder = try ModelScratch.builder(path, store: store)
        for sql in ActionModel.tableStatements(schema: "main") { try builder.execute(sql) }
        // The streamed fold gathers the facts of the sessions it folds as it reads them (a range's sessions are
        // chosen by index seeks first); the grouped fold takes them from a scan of the events of their own.
        let factsFromFold: Bool
        if case .streamed = fold { factsFromFold = true } else { factsFromFold = false }
        if !factsFromFold { try ModelScratch.run(ActionModel.factsStatement, on: builder, bindings) }
        // The sources' times and marks as the check's connection sees them: they place undated actions, and an
        // ingest that resumes a grown file changes its source's time and adds a mark.
        let times = try store.prepare("SELECT id, coalesce(mtime, started_at) FROM sources")
        let copy = try builder.prepare("INSERT INTO main.source_times VALUES (?, ?)")
        while try times.step() {
            try copy.bind(1, times.int64(0))
            try copy.bind(2, times.int64(1))
            try copy.run()
        }
        let marks = try store.prepare("SELECT source_id, first_line, time FROM source_marks")
        let copyMark = try builder.prepare("INSERT INTO main.source_marks VALUES (?, ?, ?)")
        while try marks.step() {
            try copyMark.bind([.optional(marks.int64(0)), .optional(marks.int64(1)), .optional(marks.int64(2))])
            try copyMark.run()
        }
        var rangeSessions: [Int64]?
        if !range.isAll {
            let statement = try builder.prepare(factsFromFold ? ActionModel.rangeSessionsBySeeks : ActionModel.rangeSessions)
            try ModelScratch.bind(statement, bindings)
            var ids: [Int64] = []
            while try statement.step() { if let id = statement.int64(0) { ids.append(id) } }
            rangeSessions = ids
        }
        lap("sessions")

        // Whether a permission request named no call (the streamed fold says; the grouped one is asked).
        var loneRequests = true
        switch fold {
        case .streamed(let limit):
            // A connection of its own reads the events; this one writes.
            let reader = try ModelScratch.builder(path + "-part1", store: store)
            if let rangeSessions { try ModelScratch.fill(rangeSessions, on: reader) }
            let outcome = try ActionFold.run(reader: reader, writer: builder, snapshot: snapshot, restricted: rangeSessions != nil,
                                             heldBytesLimit: limit ?? ActionFold.defaultHeldBytesLimit)
            lap("fold (streamed)")
            loneRequests = outcome.loneRequests
            let statement = try builder.prepare("INSERT INTO main.mode_statements VALUES (?, ?, ?)")
            try builder.execute("BEGIN")
            for row in outcome.modeStatements {
                try statement.bind([.integer(row.session), .optional(row.ts), .integer(row.id)])
                try statement.run()
            }
            try builder.execute("COMMIT")
            if factsFromFold {
                try ModelScratch.writeFacts(outcome.sessions, on: builder)
                lap("sessions' facts, from the fold's pass")
            }
            let fallback = outcome.fallbackSessions
            if !fallback.isEmpty {
                var share = bindings
                share[":parts"] = .integer(1)
                share[":part"] = .integer(0)
                let statement = try builder.prepare(ActionModel.foldStatement(restricted: false, fallback: true))
                try ModelScratch.bind(statement, share)
                for session in fallback {
                    try statement.bind(statement.parameterIndex(":session") ?? 1, session)
                    try statement.run()
                }
                lap("fold by SQL, \(fallback.count) session\(fallback.count == 1 ? "" : "s") too large to hold")
            }
        case .grouped(let connections):
            try foldGrouped(into: path, builder: builder, store: store, snapshot: snapshot, rangeSessions: rangeSessions,
                            bindings: bindings, connections: connections, lap: lap)
            if let rangeSessions {
                // This connection's table held its share of the sessions for the fold: now every one of them.
                try builder.execute("DROP TABLE IF EXISTS temp.range_sessions")
                try ModelScratch.fill(rangeSessions, on: builder)
            }
            try ModelScratch.run(ActionModel.modeStatementsStatement(restricted: rangeSessions != nil), on: builder, bindings)
        }
        try builder.execute("PRAGMA threads=\(min(ModelScratch.processors, 4))")
        // Permission requests the decoder could not join to their call (no `PreToolUse` logged).
        if loneRequests, try !builder.rows(ActionModel.hasLoneRequests).isEmpty {
            for sql in ActionModel.joinRequestsStatements { try ModelScratch.run(sql, on: builder, bindings) }
            lap("permission requests joined to their calls")
        }
        // The Kubernetes requests' harness calls, when the model holds any requests.
        let madeBy = try !builder.rows(ActionModel.hasAuditSessions).isEmpty
            ? [ActionModel.auditSessionAgentsStatement] + ActionModel.madeByStatements : []
        for sql in ActionModel.finishStatements(windowIndex: windowIndex) + madeBy {
            try ModelScratch.run(sql, on: builder, bindings)
            lap(sql.split(separator: "\n").first.map { String($0.prefix(70)) } ?? "")
        }
        return timings
    }

    /// Writes the sessions' facts from what the streamed fold found in its pass (`ActionFold.SessionScan`).
    static func writeFacts(_ sessions: [ActionFold.SessionScan], on db: Database) throws(HarnessAuditError) {
        for sql in ActionModel.sessionScanTables { try db.execute(sql) }
        let scan = try db.prepare("INSERT INTO temp.session_scan VALUES (?, ?, ?, ?)")
        let contexts = try db.prepare("INSERT INTO temp.session_contexts VALUES (?, ?)")
        try db.execute("BEGIN")
        for session in sessions {
            try scan.bind([.integer(session.sessionID), .optional(session.firstTs), .optional(session.lastTs),
                           .optional(session.cwdContext)])
            try scan.run()
            for context in session.contexts {
                try contexts.bind([.integer(session.sessionID), .integer(context)])
                try contexts.run()
            }
        }
        try db.execute(ActionModel.factsFromScanStatement)
        try db.execute("COMMIT")
        try db.execute("DROP TABLE temp.session_scan")
        try db.execute("DROP TABLE temp.session_contexts")
    }

    /// The fold as one `GROUP BY`, shared out by session among connections.
    private func foldGrouped(into path: String, builder: Database, store: Database, snapshot: Int64, rangeSessions: [Int64]?,
                             bindings: [String: SQLValue], connections: Int?, lap: (String) -> Void) throws(HarnessAuditError) {
        // Small models fold on one connection: a connection of its own costs more than it saves.
        let parts = max(1, min(connections ?? (snapshot < ModelScratch.smallStore ? 1 : min(ModelScratch.processors, 4)), 8))
        let shares = (0..<parts).map { part in
            var share = bindings
            share[":parts"] = .integer(Int64(parts))
            share[":part"] = .integer(Int64(part))
            return (bindings: share, sessions: rangeSessions?.filter { $0 % Int64(parts) == Int64(part) })
        }
        let failures = (1..<parts).map { _ in ThreadFailure() }
        let threads = (1..<parts).map { part in
            WorkerThread {
                do throws(HarnessAuditError) {
                    let builder = try ModelScratch.builder(path + "-part\(part)", store: store)
                    try builder.execute(ActionModel.actionsTable(schema: "main"))
                    try ModelScratch.fold(on: builder, rangeSessions: shares[part].sessions, shares[part].bindings)
                } catch {
                    failures[part - 1].error = error
                }
            }
        }
        var ownFailure: HarnessAuditError?
        do { try ModelScratch.fold(on: builder, rangeSessions: shares[0].sessions, shares[0].bindings) } catch { ownFailure = error }
        for thread in threads { thread.join() }
        if let error = ownFailure ?? failures.lazy.compactMap(\.error).first { throw error }
        lap("fold (INSERT INTO main.actions_raw), \(parts) connection\(parts == 1 ? "" : "s")")
        for part in 1..<parts {
            let attach = try builder.prepare("ATTACH ? AS part\(part)")
            try attach.bind(1, path + "-part\(part)")
            try attach.run()
            try builder.execute("INSERT INTO main.actions_raw SELECT * FROM part\(part).actions_raw")
            try builder.execute("DETACH part\(part)")
            unlink(path + "-part\(part)")
        }
        if parts > 1 { lap("gather the shares") }
    }

    /// A connection that writes a scratch file, with the store attached read-only as `store` and the
    /// aggregates the fold uses.
    static func builder(_ path: String, store: Database) throws(HarnessAuditError) -> Database {
        let builder = try Database(path: path, access: .scratch)
        let attach = try builder.prepare("ATTACH ? AS store")
        try attach.bind(1, store.readOnlyURI)
        try attach.run()
        try builder.registerBitOr()
        try ActionAggregates.register(builder)
        return builder
    }

    /// Folds one share of the sessions into the connection's `main.actions_raw`.
    static func fold(on db: Database, rangeSessions: [Int64]?, _ bindings: [String: SQLValue]) throws(HarnessAuditError) {
        if let rangeSessions { try fill(rangeSessions, on: db) }
        try run(ActionModel.foldStatement(restricted: rangeSessions != nil), on: db, bindings)
    }

    /// The sessions a restricted model folds, as the connection's `temp.range_sessions`.
    static func fill(_ rangeSessions: [Int64], on db: Database) throws(HarnessAuditError) {
        try db.execute(ActionModel.rangeSessionsTable)
        let insert = try db.prepare("INSERT INTO temp.range_sessions VALUES (?)")
        for id in rangeSessions {
            try insert.bind(1, id)
            try insert.run()
        }
    }

    /// Binds the named parameters a statement uses.
    static func bind(_ statement: Statement, _ bindings: [String: SQLValue]) throws(HarnessAuditError) {
        for (name, value) in bindings { if let index = statement.parameterIndex(name) { try statement.bind(index, value) } }
    }

    /// Runs one statement with the named parameters it uses bound.
    static func run(_ sql: String, on db: Database, _ bindings: [String: SQLValue]) throws(HarnessAuditError) {
        let statement = try db.prepare(sql)
        try bind(statement, bindings)
        try statement.run()
    }

    /// Attaches the current build to a rule connection and (re)creates the views rules read it through.
    /// The views' window is unbounded until `ActionModel.applyWindow` moves it.
    func attach(to db: Database) throws(HarnessAuditError) {
        let attach = try db.prepare("ATTACH ? AS \(schema)")
        try attach.bind(1, path)
        try attach.run()
        for sql in ActionModel.viewStatements(schema: schema) { try db.execute(sql) }
    }

    /// Removes the current build's file from the directory once every connection that reads it has
    /// attached it (they keep it open).
    func release() {
        unlink(path)
    }

    /// Below this many events, the model is folded and the rules run on one connection.
    static let smallStore: Int64 = 20_000

    /// The processors online (at least 1).
    static var processors: Int { max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1) }
}
