#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The private scratch database that holds a check's action model (`ActionModel`), so that several
/// read-only rule connections can read one model at once (a connection's temporary tables are its
/// own). It lives in a new directory under `$TMPDIR`, private to the user (mode 0700, the file 0600:
/// the model holds the commands the logs hold), and is removed with everything in it when the check
/// ends.
///
/// Each build writes a new file (`model1.sqlite`, `model2.sqlite`, …) on a connection of its own, with
/// the store attached read-only, then closes it; connections attach the finished file read-only as
/// `schema`. A rebuild never writes a file a connection has open, so readers and the builder never
/// wait on each other's locks.
final class ModelScratch {
    let directory: TemporaryDirectory
    private var generation = 0

    /// The schema name connections attach the current build as.
    var schema: String { "model\(generation)" }
    var path: String { directory.path + "/model\(generation).sqlite" }

    init() throws(HarnessAuditError) {
        directory = try TemporaryDirectory()
    }

    deinit { directory.remove() }

    /// Builds the model of `store`'s events up to `snapshot` (an event id) for the sessions of `range`
    /// into a new file. `windowIndex`: index the actions' place in time, for bounded windows. The fold is
    /// shared out by session among one connection per processor (at most four), each writing a file of its
    /// own, then gathered into the model's file (`connections`: how many instead). Returns the time each stage took, for `check --profile`.
    func build(store: Database, snapshot: Int64, range: ActionModel.SessionRange, windowIndex: Bool,
               connections: Int? = nil) throws(HarnessAuditError) -> [(String, Double)] {
        generation += 1
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
        for sql in ActionModel.factsStatements() { try ModelScratch.run(sql, on: builder, bindings) }
        var rangeSessions: [Int64]?
        if !range.isAll {
            let statement = try builder.prepare(ActionModel.rangeSessions)
            for (name, value) in bindings { if let index = statement.parameterIndex(name) { try statement.bind(index, value) } }
            var ids: [Int64] = []
            while try statement.step() { if let id = statement.int64(0) { ids.append(id) } }
            rangeSessions = ids
        }
        lap("sessions")

        // Small models fold on one connection: a connection of its own costs more than it saves.
        let parts = max(1, min(connections ?? (snapshot < 20_000 ? 1 : min(ModelScratch.processors, 4)), 8))
        let partPaths = (1..<max(parts, 1)).map { directory.path + "/model\(generation)-part\($0).sqlite" }
        var foldBindings = bindings
        foldBindings[":parts"] = .integer(Int64(parts))
        let failures = partPaths.map { _ in FoldFailure() }
        let threads = partPaths.enumerated().map { offset, partPath in
            WorkerThread {
                do throws(HarnessAuditError) {
                    let part = try ModelScratch.builder(partPath, store: store)
                    try part.execute(ActionModel.actionsTable(schema: "main"))
                    var partBindings = foldBindings
                    partBindings[":part"] = .integer(Int64(offset + 1))
                    try ModelScratch.fold(on: part, rangeSessions: rangeSessions, partBindings)
                } catch {
                    failures[offset].error = error
                }
            }
        }
        foldBindings[":part"] = .integer(0)
        var ownFailure: HarnessAuditError?
        do { try ModelScratch.fold(on: builder, rangeSessions: rangeSessions, foldBindings) } catch { ownFailure = error }
        for thread in threads { thread.join() }
        if let error = ownFailure ?? failures.lazy.compactMap(\.error).first { throw error }
        lap("fold (INSERT INTO main.actions_raw), \(parts) connection\(parts == 1 ? "" : "s")")
        for (offset, partPath) in partPaths.enumerated() {
            let attach = try builder.prepare("ATTACH ? AS part\(offset + 1)")
            try attach.bind(1, partPath)
            try attach.run()
            try builder.execute("INSERT INTO main.actions_raw SELECT * FROM part\(offset + 1).actions_raw")
            try builder.execute("DETACH part\(offset + 1)")
            unlink(partPath)
        }
        if !partPaths.isEmpty { lap("gather the shares") }
        try builder.execute("PRAGMA threads=\(min(ModelScratch.processors, 4))")
        for sql in ActionModel.finishStatements(windowIndex: windowIndex) {
            try ModelScratch.run(sql, on: builder, bindings)
            lap(sql.split(separator: "\n").first.map { String($0.prefix(70)) } ?? "")
        }
        return timings
    }

    /// An error a fold thread met, read once it has been joined.
    final class FoldFailure: @unchecked Sendable {
        var error: HarnessAuditError?
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
        if let rangeSessions {
            try db.execute(ActionModel.rangeSessionsTable)
            let insert = try db.prepare("INSERT INTO temp.range_sessions VALUES (?)")
            for id in rangeSessions {
                try insert.bind(1, id)
                try insert.run()
            }
        }
        try run(ActionModel.foldStatement(restricted: rangeSessions != nil), on: db, bindings)
    }

    /// Runs one statement with the named parameters it uses bound.
    static func run(_ sql: String, on db: Database, _ bindings: [String: SQLValue]) throws(HarnessAuditError) {
        let statement = try db.prepare(sql)
        for (name, value) in bindings { if let index = statement.parameterIndex(name) { try statement.bind(index, value) } }
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

    /// The processors online (at least 1).
    static var processors: Int { max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1) }
}
