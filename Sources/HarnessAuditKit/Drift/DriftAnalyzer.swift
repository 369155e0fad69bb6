/// Compares what agents did in two periods and what they were granted (DESIGN §4, drift and
/// least privilege):
///
/// - **Permission drift.** Each action that ran (blocked attempts exercise nothing) yields
///   capabilities (`CapabilityExtractor`), grouped by agent, repository and principal. A
///   capability of the current period is covered when the baseline's `allowed` entries for its
///   scope list that kind and allow it; when no entry lists the kind, when the scope used it
///   in the previous period (a scope with no activity then is compared with the whole fleet).
///   Settings (modes, approval policies, sandboxes) are covered by any setting at least as wide.
///   An uncovered capability raises a finding, unless every action that used it raised a
///   `check` finding already (that finding is the report; `baseline suggest` leaves such
///   activity out, so a suggested baseline round-trips with no drift).
/// - **Configuration drift.** A session wider than its agent's norm (the commonest setting of
///   the agent's sessions in that repository, else anywhere, in the previous period), or with
///   allow rules, added directories or writable roots the previous period did not have.
/// - **Unused permissions.** Baseline allowances, authorizations and grants seen in the logs
///   that nothing exercised in the tracking period (the `trackingDays` before the current
///   period ends), with their last use when the store knows it.
public enum DriftAnalyzer {
    /// The drift rules, as rules, for the findings formats (SARIF rule lists, JUnit cases).
    public static var rules: [Rule] {
        DriftRules.all.map { Rule(metadata: $0, sql: "", file: "builtin:drift", sqlLine: 0, builtIn: true) }
    }

    public static func run(_ options: DriftOptions) throws(HarnessAuditError) -> DriftResult {
        var checkOptions = options.check
        checkOptions.since = nil
        checkOptions.until = nil
        checkOptions.previousFindingIDs = nil
        return try run(options, session: try CheckSession(checkOptions))
    }

    /// Runs on an open check session (the report's); a session built for a window first folds
    /// every session, since drift reads the capabilities' whole history. `checks` are the session's
    /// results for the current and the previous period when the caller has them already.
    ///
    /// `alongside` runs on the session's own connection, with the caller's window, while the actions are
    /// scanned on another (the report computes its other sections there meanwhile).
    public static func run(_ options: DriftOptions, session: CheckSession,
                           checks: (current: CheckResult, previous: CheckResult)? = nil,
                           alongside: () throws(HarnessAuditError) -> Void = {}) throws(HarnessAuditError) -> DriftResult {
        let started = Clock.monotonicSeconds()
        try session.foldAllSessions()
        let db = session.db
        // The caller's window is restored before the scan (nothing moves it after): `alongside` and the
        // report afterwards query `temp.actions`.
        let callerWindow = session.window
        var options = options
        let range = try db.rows("SELECT min(first_ts), max(last_ts) FROM sources").first
        let current = options.current
            ?? ReportPeriod.defaultPeriod(first: range?[0].int64, last: range?[1].int64, now: options.check.now)
        let previous = options.previous ?? current.previous
        options.current = current
        options.previous = previous
        let trackingUntil = current.until
        let trackingSince = trackingUntil - Int64(options.trackingDays) * 86_400_000
        var drift = DriftResult(current: current, previous: previous, trackingSince: trackingSince,
                                trackingUntil: trackingUntil, trackingDays: options.trackingDays)
        drift.dataFirst = range?[0].int64
        drift.dataLast = range?[1].int64

        // The actions `check` reports already, in both periods.
        let currentCheck: CheckResult, previousCheck: CheckResult
        if let checks {
            (currentCheck, previousCheck) = checks
        } else {
            currentCheck = try session.run(since: current.since, until: current.until)
            previousCheck = try session.run(since: previous.since, until: previous.until)
        }
        let flaggedEvents = DriftScan.flaggedEvents([currentCheck, previousCheck])
        // When each authorization last covered a finding.
        var authorizationLastUse: [Int: Int64] = [:]
        if !options.check.baseline.authorizations.isEmpty {
            let all = try session.run(since: nil, until: trackingUntil)
            for finding in all.authorized {
                guard let line = finding.authorization?.line else { continue }
                let ts = finding.ts ?? trackingSince
                authorizationLastUse[line] = max(authorizationLastUse[line] ?? ts, ts)
            }
        }

        var scan = DriftScan(options: options, trackingSince: trackingSince, flaggedEvents: flaggedEvents)
        try scan.loadGrants(db)
        // The scan reads every action, whatever the window.
        try session.setWindow(since: callerWindow.since, until: callerWindow.until)
        try session.concurrently({ connection throws(HarnessAuditError) in try scan.scanActions(connection) }, alongside: alongside)
        drift.currentActions = Int64(scan.actionCount[0])
        drift.previousActions = Int64(scan.actionCount[1])

        var findings: [Finding] = []
        findings += scan.permissionDrift(into: &drift)
        findings += scan.configurationDrift()
        // Authorizations may name drift rules and categories: covering a drift finding is a use too.
        for finding in findings {
            guard let authorization = options.check.baseline.authorizations.first(where: { CheckEngine.authorizes($0, finding) }) else { continue }
            let ts = finding.ts ?? trackingSince
            authorizationLastUse[authorization.line] = max(authorizationLastUse[authorization.line] ?? ts, ts)
        }
        findings += scan.unusedPermissions(authorizationLastUse: authorizationLastUse)
        try attachEvidence(&findings, db: db)

        // The baseline's disabled rules and categories, severities, authorizations; the waivers.
        let disabled = Set(options.check.baseline.disabledRules), disabledCategories = Set(options.check.baseline.disabledCategories)
        findings.removeAll { disabled.contains($0.rule) || disabledCategories.contains($0.category) }
        var result = CheckResult()
        result.rules = rules.filter { !disabled.contains($0.id) && !disabledCategories.contains($0.metadata.category) }
        result.baseline = options.check.baseline
        result.waiversFile = options.check.waivers.file
        result.since = current.since
        result.until = current.until
        result.actions = currentCheck.actions
        result.riskyActions = currentCheck.riskyActions
        result.confirmedRiskyActions = currentCheck.confirmedRiskyActions
        result.blockedAttempts = currentCheck.blockedAttempts
        result.undatedActions = currentCheck.undatedActions
        result.otherPrincipalRequests = currentCheck.otherPrincipalRequests
        result.otherPrincipalCount = currentCheck.otherPrincipalCount
        result.otherPrincipals = currentCheck.otherPrincipals
        var policy = options.check
        policy.previousFindingIDs = options.check.previousFindingIDs
        CheckEngine.applyPolicy(consume findings, options: policy, to: &result)
        // A team keeps one waivers file for `check` and `drift`: a waiver of a finding id or of a rule that is not
        // drift's is `check`'s to report when it matches nothing, not noise here.
        let driftNames = Set(DriftRules.all.map(\.id) + DriftRules.categories)
        result.unusedWaivers = result.unusedWaivers.filter { waiver in waiver.rule.map { driftNames.contains($0) } ?? false }
        // Authorizations are for `check`'s findings; the ones nothing used are unused-authorization findings here.
        result.unusedAuthorizations = []
        let ids = Dictionary(result.findings.map { ($0.id, true) }, uniquingKeysWith: { a, _ in a })
        // A use whose finding the waivers or the baseline's authorizations took says so.
        func settle(_ use: inout DriftResult.Use) {
            guard let id = use.findingID, ids[id] == nil else { return }
            use.covered = result.waived.contains { $0.id == id } ? "waived" : result.authorized.contains { $0.id == id } ? "authorized"
                : "disabled"
            use.coveredBy = use.covered
            use.findingID = nil
        }
        for index in drift.scopes.indices {
            for use in drift.scopes[index].new.indices { settle(&drift.scopes[index].new[use]) }
            for use in drift.scopes[index].outside.indices { settle(&drift.scopes[index].outside[use]) }
        }
        result.elapsedSeconds = Clock.monotonicSeconds() - started
        result.timings = currentCheck.timings
        drift.result = result
        drift.elapsedSeconds = result.elapsedSeconds
        return drift
    }

    /// Turns the event ids gathered as evidence into file and line.
    static func attachEvidence(_ findings: inout [Finding], db: Database) throws(HarnessAuditError) {
        let query = try db.prepare("SELECT s.path, e.line, e.source_id FROM events e JOIN sources s ON s.id = e.source_id WHERE e.id = ?")
        for index in findings.indices {
            var evidence: [Evidence] = []
            for item in findings[index].evidence {
                guard let id = item.eventID else {
                    evidence.append(item)
                    continue
                }
                query.reset()
                try query.bind(1, id)
                if try query.step() {
                    evidence.append(Evidence(file: query.text(0) ?? "?", line: query.int64(1) ?? 0, sourceID: query.int64(2) ?? 0, eventID: id))
                }
            }
            (findings[index].evidence, findings[index].sameLineEventIDs) = Evidence.byLine(Set(evidence))
        }
    }
}
