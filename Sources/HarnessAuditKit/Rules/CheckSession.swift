#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One read-only connection to the store, prepared for rules: the baseline-aware SQL
/// functions registered and the action model built once. `run` evaluates the rules over a
/// time window and can be called again for another window (the report compares two periods)
/// without rebuilding the model. The connection stays open for queries over `temp.actions`.
public final class CheckSession {
    /// The read-only connection, with the action model's temporary tables.
    public let db: Database
    public let options: CheckOptions
    /// The enabled rules (the baseline's disabled rules and categories removed).
    public let rules: [Rule]
    private var modelTimings: [(String, Double)]
    private let opened: Double
    /// The window `temp.actions` holds now.
    public private(set) var window: (since: Int64?, until: Int64?)
    /// The time range whose sessions the action model holds (see `ActionModel.build`).
    public private(set) var modelRange: ActionModel.SessionRange
    /// What a rule reads when it needs actions beyond the window's sessions: a rule from outside the
    /// built-in pack that reads them gets every session, whose history it may need in full.
    static let wholeModelTables = ["all_actions", "actions_raw", "policy_events"]
    private var hasRun = false

    public init(_ options: CheckOptions) throws(HarnessAuditError) {
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
        // Let SQLite's sorter use the other cores for the action model's GROUP BY (2M events on 2 cores:
        // check 16.5 s → 15.8 s; 4M: 35.8 s → 32.1 s, so 4M costs 2.04× what 2M costs instead of 2.16×).
        try db.execute("PRAGMA threads=\(min(max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1), 4))")
        // One read transaction for the session's life: the model, the events and the rules' answers all
        // come from one snapshot, whatever an ingest commits meanwhile.
        try db.execute("BEGIN")
        try Schema.verify(db)
        try CheckEngine.registerFunctions(db, baseline: options.baseline)
        let needsAllSessions = rules.contains { rule in
            let sql = rule.sql.lowercased()
            return !rule.builtIn && CheckSession.wholeModelTables.contains { sql.contains($0) }
        }
        modelRange = needsAllSessions ? .all : CheckSession.modelRange(for: options.since, options.until)
        modelTimings = try ActionModel.build(db, since: options.since, until: options.until, range: modelRange)
        window = (options.since, options.until)
    }

    /// Rebuilds the model for the sessions of `range` with `actions` over the window given. The range
    /// is recorded only once the model holds it: a failed rebuild leaves no claim behind.
    private func rebuild(_ range: ActionModel.SessionRange, since: Int64?, until: Int64?) throws(HarnessAuditError) {
        modelTimings += try ActionModel.build(db, since: since, until: until, range: range)
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
            try rebuild(modelRange.union(needed), since: since, until: until)
        } else {
            try ActionModel.applyWindow(db, since: since, until: until)
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
        try CheckEngine.summarise(db, into: &result)

        var findings: [Finding] = []
        for rule in rules {
            findings += try CheckEngine.evaluate(rule, db: db, options: options)
            lap("rule " + rule.id)
        }
        try CheckEngine.attachDetails(&findings, db: db, policy: options.baseline.classificationPolicy,
                                      revalidate: options.baseline.protectedBranches != ProtectedBranches.defaultPatterns)
        CheckEngine.applyPolicy(findings, options: options, to: &result)
        lap("details, baseline, waivers")
        result.timings = timings
        result.elapsedSeconds = Clock.monotonicSeconds() - started
        return result
    }
}
