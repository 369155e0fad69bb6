#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One read-only connection to the store, prepared for rules: the baseline-aware SQL
/// functions registered and the action model built once. `run` evaluates the rules over a
/// time window and can be called again for another window (the report compares two periods)
/// without rebuilding the model. The connection stays open for queries over `temp.actions`.
///
/// The model lives in a private scratch database (`ModelScratch`) that `db` and up to three more
/// read-only connections attach, so rules that read only the model run on all of them at once;
/// rules that read the store's own tables (events, sources, rejected lines) run on `db`, whose
/// snapshot the model was built from.
public final class CheckSession {
    /// The read-only connection, with the action model attached and its temporary views.
    public let db: Database
    public let options: CheckOptions
    /// The enabled rules (the baseline's disabled rules and categories removed).
    public let rules: [Rule]
    private var modelTimings: [(String, Double)]
    private let opened: Double
    /// The window `temp.actions` holds now.
    public private(set) var window: (since: Int64?, until: Int64?)
    /// The time range whose sessions the action model holds (see `ActionModel`).
    public private(set) var modelRange: ActionModel.SessionRange
    /// What a rule reads when it needs actions beyond the window's sessions: a rule from outside the
    /// built-in pack that reads them gets every session, whose history it may need in full.
    static let wholeModelTables = ["all_actions", "actions_raw", "policy_events"]
    private var hasRun = false
    /// The last event id `db`'s snapshot holds: the model folds the events up to it, whatever an ingest
    /// commits meanwhile (events are only appended).
    let snapshot: Int64
    let scratch: ModelScratch
    /// Whether the model indexes its actions' place in time (windows other than all time will be asked for).
    private let windowIndex: Bool
    private let harnessPrincipals: Set<String>
    /// What `db`'s snapshot holds (`storeVersionQuery`): a helper connection is kept only when its own
    /// snapshot holds the same.
    private let storeVersion: [SQLValue]
    /// Read-only connections that run rules beside `db`, opened when the model is first built.
    private var helpers: [Database] = []
    private var helpersOpened = false
    private let beforeHelpers: (() -> Void)?
    /// The connections rules run on now: `db` and the helpers.
    var ruleConnections: Int { 1 + helpers.count }
    /// Per rule: whether it reads only the model and the store's interned names, so any connection may run it.
    private var portable: [Bool]?

    /// `windowed`: windows other than all time may be asked for (`--since`/`--until`, a report's
    /// periods); the model then indexes its actions' place in time. Without it, a bounded window
    /// still works, by scanning.
    public convenience init(_ options: CheckOptions, windowed: Bool = true) throws(HarnessAuditError) {
        try self.init(options, windowed: windowed, beforeHelpers: nil)
    }

    /// `beforeHelpers` runs once the model is built, before the helper connections open (tests make an
    /// ingest commit there).
    init(_ options: CheckOptions, windowed: Bool, beforeHelpers: (() -> Void)?) throws(HarnessAuditError) {
        opened = Clock.monotonicSeconds()
        self.options = options
        var rules: [Rule]
        if let given = options.rules { rules = given } else { rules = try RuleLoader.load(extra: options.ruleDirectories) }
        try CheckEngine.validateReferences(options, rules: rules)
        let disabled = Set(options.baseline.disabledRules)
        let disabledCategories = Set(options.baseline.disabledCategories)
        rules.removeAll { disabled.contains($0.id) || disabledCategories.contains($0.metadata.category) }
        self.rules = rules
        db = try Database(path: options.databasePath, access: .readOnly)
        try CheckSession.prepareRuleConnection(db)
        // One read transaction for the session's life: the model, the events and the rules' answers all
        // come from one snapshot, whatever an ingest commits meanwhile.
        try db.execute("BEGIN")
        try Schema.verify(db)
        snapshot = try db.scalarInt("SELECT coalesce(max(id), 0) FROM events") ?? 0
        storeVersion = try db.rows(CheckSession.storeVersionQuery).first ?? []
        harnessPrincipals = try CheckEngine.harnessPrincipals(db)
        try CheckEngine.registerFunctions(db, baseline: options.baseline, harnessPrincipals: harnessPrincipals)
        let needsAllSessions = rules.contains { rule in
            let sql = rule.sql.lowercased()
            return !rule.builtIn && CheckSession.wholeModelTables.contains { sql.contains($0) }
        }
        modelRange = needsAllSessions ? .all : CheckSession.modelRange(for: options.since, options.until)
        windowIndex = windowed || options.since != nil || options.until != nil
        scratch = try ModelScratch()
        self.beforeHelpers = beforeHelpers
        modelTimings = []
        window = (nil, nil)
        try rebuild(modelRange, since: options.since, until: options.until)
    }

    /// Gives the memory the builders' and rules' threads freed back to the system (their sorters' buffers
    /// stay in each thread's malloc arena otherwise), so the check's peak is what it holds, not what it held.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        // glibc's `malloc_trim` (declared in <malloc.h>, which Swift's Glibc module leaves out).
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }

    /// Settings of every connection that runs rules: SQLite's sorter may use the other cores for the
    /// window functions' sorts.
    static func prepareRuleConnection(_ db: Database) throws(HarnessAuditError) {
        try db.execute("PRAGMA threads=\(min(ModelScratch.processors, 4))")
    }

    /// (Re)builds the model for the sessions of `range` with `actions` over the window given, attaches it
    /// to every rule connection (opening the helpers the first time), then unlinks its file, which the
    /// connections keep open. The range is recorded only once the model holds it: a failed rebuild leaves
    /// no claim behind.
    private func rebuild(_ range: ActionModel.SessionRange, since: Int64?, until: Int64?) throws(HarnessAuditError) {
        modelTimings += try scratch.build(store: db, snapshot: snapshot, range: range, windowIndex: windowIndex,
                                          fold: options.fold)
        CheckSession.returnFreedMemory()
        let started = Clock.monotonicSeconds()
        defer { scratch.release() }
        try scratch.attach(to: db)
        try ActionModel.applyWindow(db, since: since, until: until)
        window = (since, until)
        if !helpersOpened {
            helpersOpened = true
            beforeHelpers?()
            let portable = try portableRules()
            // A small store's rules run on one connection: opening more costs more than it saves.
            let wanted = max(1, min(options.ruleConnections ?? (snapshot < ModelScratch.smallStore ? 1 : min(ModelScratch.processors, 4)), 8))
            try openHelpers(min(wanted - 1, max(portable.filter { $0 }.count - 1, 0)))
        } else {
            for (index, helper) in helpers.enumerated() {
                do {
                    try scratch.attach(to: helper)
                    try ActionModel.applyWindow(helper, since: since, until: until)
                } catch {
                    // A helper that cannot read the new model runs no more rules; `db` does them.
                    helpers.removeSubrange(index...)
                    break
                }
            }
        }
        modelTimings.append(("action model: attach, window", Clock.monotonicSeconds() - started))
        modelRange = range
    }

    /// The sessions a window's rules need: those with actions in it, and, for
    /// `k8s-without-harness-record`, those with harness calls up to the gap window before or after it.
    /// Within a session the rules read all of it (mode episodes, the tests before a push).
    static func modelRange(for since: Int64?, _ until: Int64?) -> ActionModel.SessionRange {
        let margin = CheckEngine.gapWindowMillis
        return ActionModel.SessionRange(since: since.map { $0 > Int64.min + margin ? $0 - margin : Int64.min },
                                        until: until.map { $0 < Int64.max - margin ? $0 + margin : Int64.max })
    }

    /// Makes the model hold every session (the capabilities' history drift reads), rebuilding it
    /// when it was built for a window.
    public func foldAllSessions() throws(HarnessAuditError) {
        if !modelRange.isAll { try rebuild(.all, since: window.since, until: window.until) }
    }

    /// Moves `temp.actions` to another window without running the rules, rebuilding the model
    /// first when the window needs sessions it does not hold.
    public func setWindow(since: Int64?, until: Int64?) throws(HarnessAuditError) {
        guard window.since != since || window.until != until else { return }
        let needed = CheckSession.modelRange(for: since, until)
        if !modelRange.contains(needed) {
            // Every session: a session rebuilds its model once at most, whatever windows it is asked for.
            try rebuild(.all, since: since, until: until)
        } else {
            for connection in [db] + helpers { try ActionModel.applyWindow(connection, since: since, until: until) }
        }
        window = (since, until)
    }

    /// Runs the rules over the window of the options.
    public func run() throws(HarnessAuditError) -> CheckResult {
        try run(since: options.since, until: options.until)
    }

    /// Runs the rules over actions at or after `since` and before `until` (ms; nil: unbounded).
    /// Afterwards `temp.actions` holds that window's actions.
    public func run(since: Int64?, until: Int64?) throws(HarnessAuditError) -> CheckResult {
        // The first run also counts opening the store and building the model.
        let started = hasRun ? Clock.monotonicSeconds() : opened
        hasRun = true
        var timings = modelTimings
        modelTimings = []
        var mark = Clock.monotonicSeconds()
        func lap(_ name: String) {
            let now = Clock.monotonicSeconds()
            timings.append((name, now - mark))
            mark = now
        }
        if window.since != since || window.until != until {
            try setWindow(since: since, until: until)
            if modelTimings.isEmpty {
                lap("action model: window")
            } else {
                // The window needed sessions the model did not hold: it was rebuilt.
                timings += modelTimings
                modelTimings = []
                mark = Clock.monotonicSeconds()
            }
        }
        var options = self.options
        options.since = since
        options.until = until

        var result = CheckResult()
        result.rules = rules
        result.baseline = options.baseline
        result.waiversFile = options.waivers.file
        result.since = since
        result.until = until
        // The summary is counted on `db` while the other connections start on the rules.
        var summaryError: HarnessAuditError?
        var evaluated = try evaluateRules(options) {
            do throws(HarnessAuditError) { try CheckEngine.summarise(db, into: &result) } catch { summaryError = error }
        }
        if let summaryError { throw summaryError }
        CheckSession.returnFreedMemory()
        timings += zip(rules, evaluated).map { ("rule " + $0.id, $1.seconds) }
        // Gathered into one list, in rule order; each rule's list is released as it is taken.
        var findings: [Finding] = []
        findings.reserveCapacity(evaluated.reduce(0) { $0 + $1.findings.count })
        for index in evaluated.indices {
            findings += evaluated[index].findings
            evaluated[index].findings = []
        }
        lap("rules (\(ruleConnections) connection\(ruleConnections == 1 ? "" : "s"), wall time)")
        try CheckEngine.mergeKubernetesCopies(&findings, db: db)
        try CheckEngine.attachDetails(&findings, db: db, policy: options.baseline.classificationPolicy,
                                      revalidate: options.baseline.protectedBranches != ProtectedBranches.defaultPatterns)
        // Only a baseline's own sensitive paths or protected branches make actions risky that ingest did not class so.
        if !options.baseline.sensitivePathsAdd.isEmpty || options.baseline.protectedBranches != ProtectedBranches.defaultPatterns {
            try CheckEngine.countFindingClasses(db, findings: findings, into: &result)
        }
        CheckEngine.applyPolicy(consume findings, options: options, to: &result)
        lap("details, baseline, waivers")
        result.timings = timings
        result.elapsedSeconds = Clock.monotonicSeconds() - started
        return result
    }

    // MARK: Work beside `db`

    /// Runs `work` on a rule connection other than `db` (it reads the same snapshot, the model and its
    /// views) while `alongside` runs on `db`, and returns once both are done; the first error is thrown
    /// then. Without such a connection (a small store, one processor), `work` runs on `db`, then
    /// `alongside`.
    func concurrently(_ work: @escaping (Database) throws(HarnessAuditError) -> Void,
                      alongside: () throws(HarnessAuditError) -> Void) throws(HarnessAuditError) {
        guard let helper = helpers.first else {
            try work(db)
            try alongside()
            return
        }
        let failure = ThreadFailure()
        let thread = WorkerThread {
            do throws(HarnessAuditError) { try work(helper) } catch { failure.error = error }
        }
        var ownError: HarnessAuditError?
        do { try alongside() } catch { ownError = error }
        thread.join()
        if let error = failure.error ?? ownError { throw error }
    }

    // MARK: Rules on several connections

    /// What evaluating one rule gave.
    struct Evaluation {
        var findings: [Finding] = []
        var seconds: Double = 0
        var error: HarnessAuditError?
    }

    /// Evaluates every rule, in rule order of the results. Rules that read only the model and interned
    /// names are shared out among `db` and the helper connections (each takes the next when it is done);
    /// the others run on `db`, first. The first error, in rule order, is thrown once all have stopped.
    /// `alongside` runs on `db` once its own rules are done, before it takes shared ones.
    private func evaluateRules(_ options: CheckOptions, alongside: () -> Void) throws(HarnessAuditError) -> [Evaluation] {
        let portable = try portableRules()
        var results = [Evaluation](repeating: Evaluation(), count: rules.count)
        let queue = BlockingQueue<Int>(capacity: max(rules.count, 1))
        for index in rules.indices where portable[index] { queue.push(index) }
        queue.close()
        let rules = self.rules
        let outcomes = helpers.map { _ in RuleOutcomes() }
        let threads = zip(helpers, outcomes).map { helper, outcome in
            WorkerThread {
                while let index = queue.pop() { outcome.add(index, CheckSession.evaluate(rules[index], on: helper, options: options)) }
            }
        }
        for index in rules.indices where !portable[index] { results[index] = CheckSession.evaluate(rules[index], on: db, options: options) }
        alongside()
        while let index = queue.pop() { results[index] = CheckSession.evaluate(rules[index], on: db, options: options) }
        for thread in threads { thread.join() }
        for outcome in outcomes { for (index, evaluation) in outcome.evaluations { results[index] = evaluation } }
        if let error = results.lazy.compactMap(\.error).first { throw error }
        return results
    }

    static func evaluate(_ rule: Rule, on db: Database, options: CheckOptions) -> Evaluation {
        let started = Clock.monotonicSeconds()
        do {
            let findings = try CheckEngine.evaluate(rule, db: db, options: options)
            return Evaluation(findings: findings, seconds: Clock.monotonicSeconds() - started)
        } catch {
            return Evaluation(seconds: Clock.monotonicSeconds() - started, error: error)
        }
    }

    /// The evaluations one helper thread made; read once the thread has been joined.
    final class RuleOutcomes: @unchecked Sendable {
        private(set) var evaluations: [(Int, Evaluation)] = []
        func add(_ index: Int, _ evaluation: Evaluation) { evaluations.append((index, evaluation)) }
    }

    /// Which rules any connection may run: those whose every table read (as SQLite's authorizer sees them,
    /// views and the tables behind them) is the model's, a temporary one, JSON's table-valued functions,
    /// the schema, or an interned name table of the store (helpers read `db`'s snapshot, checked by
    /// `storeVersionQuery`, and those tables only ever grow). A rule that reads events, sources or
    /// rejected lines runs on `db`, whose snapshot bounds the model exactly. A rule that does not compile
    /// stays on `db`, where its evaluation reports the error.
    func portableRules() throws(HarnessAuditError) -> [Bool] {
        if let portable { return portable }
        // The interned names, JSON's table-valued functions (SQLite reports them as tables of `main`), and the
        // schema (compiling a statement may read it).
        let interned: Set<String> = ["names", "contexts", "policies", "sessions", "action_classes", "json_each", "json_tree",
                                     "sqlite_master", "sqlite_schema"]
        let result = rules.map { rule in
            guard let reads = try? db.tablesRead(rule.sql) else { return false }
            return reads.allSatisfy { read in
                read.schema == "temp" || read.schema.hasPrefix("model") || (read.schema == "main" && interned.contains(read.table))
            }
        }
        portable = result
        return result
    }

    /// What a snapshot of the store holds, in figures every commit of an ingest changes (it adds events,
    /// rejected lines or source progress, claims or finishes a source, or interns names): two connections
    /// whose read transactions answer alike read the same snapshot.
    static let storeVersionQuery = """
        SELECT (SELECT coalesce(max(id), 0) FROM events), (SELECT coalesce(max(id), 0) FROM rejected),
               (SELECT coalesce(max(id), 0) FROM sessions), (SELECT coalesce(max(id), 0) FROM contexts),
               (SELECT coalesce(max(id), 0) FROM names), (SELECT coalesce(max(id), 0) FROM policies),
               (SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || total(lines) || ':' || total(state = 'ingesting')
                       || ':' || total(heartbeat) || ':' || total(coalesce(finished_at, 0)) FROM sources)
        """

    /// Opens helper connections until there are `count`, each attached to the current model with the
    /// current window, each reading the same snapshot of the store as `db`.
    /// A connection whose snapshot differs from `db`'s (an ingest committed in between) is closed and
    /// opened again, twice at most in all; after that the rules run on the connections there are.
    private func openHelpers(_ count: Int) throws(HarnessAuditError) {
        var attempts = 0
        while helpers.count < count && attempts < count + 2 {
            attempts += 1
            let helper = try Database(path: options.databasePath, access: .readOnly)
            try CheckSession.prepareRuleConnection(helper)
            try helper.execute("BEGIN")
            guard try helper.rows(CheckSession.storeVersionQuery).first ?? [] == storeVersion else { continue }
            try CheckEngine.registerFunctions(helper, baseline: options.baseline, harnessPrincipals: harnessPrincipals)
            try scratch.attach(to: helper)
            try ActionModel.applyWindow(helper, since: window.since, until: window.until)
            helpers.append(helper)
        }
    }
}
