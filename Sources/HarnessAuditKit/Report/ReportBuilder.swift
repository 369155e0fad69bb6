/// Gathers a `ComplianceReport` from the store: the check over the period and over the one
/// before (for trends), the figures, the top findings with their sessions' timelines, the
/// scorecards, the confirmation of risky actions, and the data's coverage. Everything runs on
/// the check's read-only connection; the action model is built once for both periods.
public enum ReportBuilder {
    public static func build(_ options: ReportOptions) throws(HarnessAuditError) -> ComplianceReport {
        var timings: [(String, Double)] = []
        var mark = Clock.monotonicSeconds()
        func lap(_ name: String) {
            let now = Clock.monotonicSeconds()
            timings.append((name, now - mark))
            mark = now
        }
        var checkOptions = options.check
        checkOptions.since = nil
        checkOptions.until = nil
        let session = try CheckSession(checkOptions)
        lap("open the store, build the action model")
        let db = session.db
        let period = try ReportPeriod.resolved(options.period, store: db, now: options.generatedAt)
        let redactor = Redactor(enabled: options.redact)

        // The period before first, so the model's window ends on the period itself.
        var previous: ComplianceReport.PeriodResult?
        var previousRaw: CheckResult?
        if period.kind != .allData {
            let before = period.previous
            let result = try session.run(since: before.since, until: before.until)
            previousRaw = result
            previous = ComplianceReport.PeriodResult(
                period: before, result: result.redacted(redactor), figures: try figures(db, result))
            lap("rules and figures, previous period")
        }
        let result = try session.run(since: period.since, until: period.until)
        let current = ComplianceReport.PeriodResult(period: period, result: result.redacted(redactor),
                                                    figures: try figures(db, result))
        lap("rules and figures, period")
        // Drift against the period before (its findings come from `drift`, not the verdict).
        var driftOptions = DriftOptions(check: options.check, current: period, previous: period.previous)
        driftOptions.check.since = nil
        driftOptions.check.until = nil
        // The report's other sections are read on the check's connection while drift scans the actions on another.
        var top: [ComplianceReport.TopFinding] = [], scorecards: [ComplianceReport.Scorecard] = []
        var classes: [ComplianceReport.RiskyClass] = [], coverage: ComplianceReport.Coverage?
        var alongside: [(String, Double)] = []
        let drift = try DriftAnalyzer.run(driftOptions, session: session, checks: previousRaw.map { (result, $0) }) { () throws(HarnessAuditError) in
            var mark = Clock.monotonicSeconds()
            func lap(_ name: String) {
                let now = Clock.monotonicSeconds()
                alongside.append(("  alongside: " + name, now - mark))
                mark = now
            }
            top = try topFindings(db, current.result.findings, options: options, redactor: redactor)
            lap("top findings and timelines")
            let facts = try sessionFacts(db)
            scorecards = try [("agent", "agent"), ("repository", "repo"), ("actor", "actor")].map { dimension, column throws(HarnessAuditError) in
                try scorecard(db, dimension: dimension, column: column, findings: current.result.findings, facts: facts,
                              added: current.result.addedRiskyClasses, limit: options.scorecardRows, redactor: redactor)
            }
            lap("scorecards")
            classes = try riskyClasses(db, added: current.result.addedRiskyClasses)
            lap("risky actions by class")
            coverage = try Self.coverage(db, period: period, redactor: redactor)
            lap("coverage")
        }
        lap("drift and least privilege, with the other sections alongside")
        timings += alongside
        guard let coverage else { throw .usage("internal: the report's sections were not read") }
        return ComplianceReport(
            current: current, previous: previous, topFindings: top, scorecards: scorecards, riskyClasses: classes,
            coverage: coverage, drift: drift.redacted(redactor), options: options, generatedAt: options.generatedAt, timings: timings)
    }

    // MARK: Figures

    static func figures(_ db: Database, _ result: CheckResult) throws(HarnessAuditError) -> ComplianceReport.Figures {
        let row = try db.rows("""
            SELECT count(DISTINCT session_id), count(DISTINCT agent), count(DISTINCT actor)
            FROM temp.actions WHERE \(CheckEngine.countedActions)
            """).first
        var figures = ComplianceReport.Figures()
        figures.sessions = row?[0].int64 ?? 0
        figures.agents = row?[1].int64 ?? 0
        figures.actors = row?[2].int64 ?? 0
        figures.actions = result.actions
        // Risky actions that ran (blocked attempts are counted apart), as check counts them.
        figures.riskyActions = result.riskyActions
        figures.confirmedRiskyActions = result.confirmedRiskyActions
        figures.blockedAttempts = result.blockedAttempts
        figures.undatedActions = result.undatedActions
        figures.sourcesBeingIngested = result.sourcesBeingIngested
        figures.otherPrincipals = FindingsTextRenderer.otherPrincipals(result, clean: { $0 })
        return figures
    }

    /// Each risky class: its actions confirmed by a person, not confirmed, and blocked. An action
    /// of several classes counts in each; `added` are the classes findings showed beyond those from ingest.
    static func riskyClasses(_ db: Database, added: [CheckResult.AddedRisk] = []) throws(HarnessAuditError)
        -> [ComplianceReport.RiskyClass] {
        let classes = ActionClasses.all.filter { CheckEngine.riskyClasses.contains($0.0) }
        var columns: [String] = []
        var bindings: [SQLValue] = []
        for (bit, _) in classes {
            columns += ["sum(classes & ? <> 0 AND confirmed_known AND NOT blocked)", "sum(classes & ? <> 0 AND NOT confirmed_known AND NOT blocked)",
                        "sum(classes & ? <> 0 AND blocked)"]
            bindings += Array(repeating: .integer(bit.rawValue), count: 3)
        }
        let row = try db.rows("SELECT \(columns.joined(separator: ", ")) FROM temp.actions WHERE \(CheckEngine.countedActions)",
                              bindings).first ?? []
        return classes.enumerated().map { index, entry in
            func value(_ offset: Int) -> Int64 { row.count > index * 3 + offset ? row[index * 3 + offset].int64 ?? 0 : 0 }
            let shown = added.filter { $0.classes.contains(entry.0) }
            let confirmed = Int64(shown.filter(\.confirmed).count)
            return ComplianceReport.RiskyClass(name: entry.1, confirmed: value(0) + confirmed,
                                               unconfirmed: value(1) + Int64(shown.count) - confirmed, blocked: value(2))
        }
    }

    // MARK: Top findings

    /// The most severe findings, at most one per rule and session, each with its session's
    /// actions around the one it is about.
    static func topFindings(_ db: Database, _ findings: [Finding], options: ReportOptions,
                            redactor: Redactor) throws(HarnessAuditError) -> [ComplianceReport.TopFinding] {
        var seen = Set<String>()
        var chosen: [Finding] = []
        for finding in findings where chosen.count < options.topFindings {
            let key = finding.rule + "\u{1F}" + (finding.session ?? finding.id)
            if seen.insert(key).inserted { chosen.append(finding) }
        }
        let actions = try db.prepare("""
            SELECT a.anchor_id, a.ts, a.tool, a.action, a.classes, a.blocked, a.ran_despite_deny, a.confirmed, a.outcome_failure
            FROM temp.all_actions a
            WHERE a.session_id = ?1
            UNION ALL
            SELECT e.id, e.ts, NULL, NULL, NULL, NULL, NULL, NULL, p.mode
            FROM events e LEFT JOIN policies p ON p.id = e.policy_id
            WHERE e.session_id = ?1 AND e.kind = ?2
            ORDER BY 2, 1
            """)
        let sessionOf = try db.prepare("SELECT session_id FROM events WHERE id = ?")
        let risky = CheckEngine.riskyClasses.rawValue
        return try chosen.map { finding throws(HarnessAuditError) in
            guard let anchor = finding.anchorEventID else {
                return ComplianceReport.TopFinding(finding: finding, timeline: [], hiddenBefore: 0, hiddenAfter: 0)
            }
            sessionOf.reset()
            try sessionOf.bind(1, anchor)
            guard try sessionOf.step(), let session = sessionOf.int64(0) else {
                return ComplianceReport.TopFinding(finding: finding, timeline: [], hiddenBefore: 0, hiddenAfter: 0)
            }
            actions.reset()
            try actions.bind(1, session)
            try actions.bind(2, Int64(EventKind.modeChange.rawValue))
            var entries: [(anchor: Int64, entry: ComplianceReport.TimelineEntry)] = []
            while try actions.step() {
                let id = actions.int64(0) ?? 0
                let isAction = actions.text(3) != nil
                // The subject is the finding's action, or the event it is about (a mode change).
                var entry = ComplianceReport.TimelineEntry(ts: actions.int64(1), action: "", tool: nil, classes: [], status: "",
                                                           isSubject: id == anchor)
                if isAction {
                    let classes = actions.int64(4) ?? 0
                    entry.action = CheckEngine.oneLine(redactor.redact(actions.text(3) ?? ""), limit: 160)
                    entry.tool = actions.text(2).map { redactor.redact($0) }
                    entry.classes = ActionClasses.all.filter { classes & $0.0.rawValue != 0 }.map(\.1)
                    if actions.int64(5) == 1 {
                        entry.status = "blocked"
                    } else if actions.int64(6) == 1 {
                        entry.status = "ran despite a denial"
                    } else if actions.int64(7) == 1 {
                        entry.status = "confirmed by a person"
                    } else if actions.int64(8) == 1 {
                        entry.status = "failed"
                    } else {
                        entry.status = classes & risky != 0 ? "ran unconfirmed" : "ran"
                    }
                } else {
                    let mode = actions.int64(8).flatMap { PermissionMode(rawValue: Int($0)) }
                    entry.action = "permission mode changed to " + (mode?.name ?? "an unknown mode")
                    entry.status = "mode change"
                }
                entries.append((id, entry))
            }
            // An anchor that is neither an action's first event nor a mode change (a result, a decision) belongs to
            // the action just before it.
            if !entries.contains(where: { $0.entry.isSubject }), let last = entries.lastIndex(where: { $0.anchor <= anchor }) {
                entries[last].entry.isSubject = true
            }
            guard let index = entries.firstIndex(where: { $0.entry.isSubject }) else {
                return ComplianceReport.TopFinding(finding: finding, timeline: [], hiddenBefore: 0, hiddenAfter: 0)
            }
            let lower = max(0, index - options.timelineContext)
            let upper = min(entries.count, index + options.timelineContext + 1)
            return ComplianceReport.TopFinding(finding: finding, timeline: entries[lower..<upper].map(\.entry),
                                               hiddenBefore: lower, hiddenAfter: entries.count - upper)
        }
    }

    // MARK: Scorecards

    /// Each session's agent, repository and actor, for findings whose rule did not name them.
    static func sessionFacts(_ db: Database) throws(HarnessAuditError) -> [String: (agent: String?, repo: String?, actor: String?)] {
        var facts: [String: (agent: String?, repo: String?, actor: String?)] = [:]
        for row in try db.rows("SELECT session, agent, repo, actor FROM temp.session_facts") {
            if let name = row[0].text { facts[name] = (row[1].text, row[2].text, row[3].text) }
        }
        return facts
    }

    /// One scorecard: the period's actions and findings per agent, repository or actor, the worst first.
    /// `column` is one of the view's own column names, never input.
    static func scorecard(_ db: Database, dimension: String, column: String, findings: [Finding],
                          facts: [String: (agent: String?, repo: String?, actor: String?)],
                          added: [CheckResult.AddedRisk] = [], limit: Int,
                          redactor: Redactor) throws(HarnessAuditError) -> ComplianceReport.Scorecard {
        let none = "(none)"
        var rows: [String: ComplianceReport.ScorecardRow] = [:]
        let risky = CheckEngine.riskyClasses.rawValue
        for row in try db.rows("""
            SELECT coalesce(\(column), ''), count(DISTINCT session_id), count(*), sum(classes & ?1 <> 0 AND NOT blocked),
                   sum(classes & ?1 <> 0 AND confirmed_known AND NOT blocked), sum(blocked)
            FROM temp.actions WHERE \(CheckEngine.countedActions)
            GROUP BY 1
            """, [.integer(risky)]) {
            let name = row[0].text.flatMap { $0.isEmpty ? nil : redactor.redact($0) } ?? none
            // Names that redact alike (or are empty) share a row.
            var counts = ComplianceReport.ScorecardRow(name: name)
            (counts.sessions, counts.actions) = (row[1].int64 ?? 0, row[2].int64 ?? 0)
            (counts.riskyActions, counts.confirmedRiskyActions, counts.blockedAttempts) = (row[3].int64 ?? 0, row[4].int64 ?? 0, row[5].int64 ?? 0)
            rows[name, default: ComplianceReport.ScorecardRow(name: name)].add(counts)
        }
        // Actions the baseline made risky (its own sensitive paths, protected branches), as the figures count them.
        for risk in added where risk.newlyRisky {
            let value = column == "agent" ? risk.agent : column == "repo" ? risk.repo : risk.actor
            let name = value.flatMap { $0.isEmpty ? nil : redactor.redact($0) } ?? none
            rows[name, default: ComplianceReport.ScorecardRow(name: name)].riskyActions += 1
            if risk.confirmed { rows[name, default: ComplianceReport.ScorecardRow(name: name)].confirmedRiskyActions += 1 }
        }
        for finding in findings {
            let fact = finding.session.flatMap { facts[$0] }
            let value: String?
            switch column {
            case "agent": value = finding.agent ?? fact?.agent
            case "repo": value = finding.repo ?? fact?.repo
            default: value = finding.actor ?? fact?.actor
            }
            let name = value.flatMap { $0.isEmpty ? nil : redactor.redact($0) } ?? none
            var entry = rows[name] ?? ComplianceReport.ScorecardRow(name: name)
            switch finding.severity {
            case .critical: entry.critical += 1
            case .high: entry.high += 1
            case .medium: entry.medium += 1
            case .low, .info: entry.lowAndInfo += 1
            }
            rows[name] = entry
        }
        let ordered = rows.values.sorted { a, b in
            if a.critical != b.critical { return a.critical > b.critical }
            if a.high != b.high { return a.high > b.high }
            if a.findings != b.findings { return a.findings > b.findings }
            if a.actions != b.actions { return a.actions > b.actions }
            return a.name < b.name
        }
        guard ordered.count > limit + 1 else {
            return ComplianceReport.Scorecard(dimension: dimension, rows: ordered, others: nil, otherCount: 0)
        }
        var others = ComplianceReport.ScorecardRow(name: "")
        for row in ordered[limit...] { others.add(row) }
        return ComplianceReport.Scorecard(dimension: dimension, rows: Array(ordered[..<limit]), others: others,
                                          otherCount: ordered.count - limit)
    }

    // MARK: Coverage

    /// Ids bound as one JSON array, read in SQL with `json_each(?)`: values stay bound, never spliced.
    static func jsonArray(_ ids: [Int64]) -> SQLValue {
        .text("[" + ids.map { String($0) }.joined(separator: ",") + "]")
    }

    static func coverage(_ db: Database, period: ReportPeriod, redactor: Redactor) throws(HarnessAuditError) -> ComplianceReport.Coverage {
        // File paths are shown as given to `ingest` (the operator's, not the logs'), as in every output's evidence.
        var statistics = try StoreStatistics.load(from: db)
        for index in statistics.sources.indices {
            statistics.sources[index].problem = redactor.redact(statistics.sources[index].problem)
        }
        // The period's sources: those with events in it, and those with no dated event placed in it by their
        // file's time (as undated actions are).
        var ids = Set(try db.rows("""
            SELECT id FROM sources
            WHERE (first_ts IS NOT NULL AND first_ts < ?2 AND last_ts >= ?1)
               OR (first_ts IS NULL AND coalesce(mtime, started_at) >= ?1 AND coalesce(mtime, started_at) < ?2)
            """, [.integer(period.since), .integer(period.until)]).compactMap { $0[0].int64 })
        // Files without a dated event whose actions were placed in the period by their session's time.
        let undated = try db.rows("SELECT id FROM sources WHERE first_ts IS NULL AND lines > 0").compactMap { $0[0].int64 }
        if !undated.isEmpty {
            let list = [jsonArray(undated)]
            // (Any record of such an action: a hook payload is evidence of a call a transcript's line anchors.)
            for row in try db.rows("""
                SELECT DISTINCT e.source_id FROM temp.actions a, json_each('[' || a.evidence || ']') j JOIN events e ON e.id = j.value
                WHERE e.source_id IN (SELECT value FROM json_each(?1))
                """, list) {
                if let id = row[0].int64 { ids.insert(id) }
            }
        }
        var byFormat: [String: Int64] = [:]
        var days = Set<Int64>()
        var events: Int64 = 0
        for row in try db.rows("""
            SELECT format, ts / 86400000, count(*) FROM events WHERE ts >= ?1 AND ts < ?2 GROUP BY 1, 2
            """, [.integer(period.since), .integer(period.until)]) {
            let count = row[2].int64 ?? 0
            let format = row[0].int64.flatMap { LogFormat(rawValue: Int($0)) }?.id ?? "unknown"
            byFormat[format, default: 0] += count
            if let day = row[1].int64 { days.insert(day) }
            events += count
        }
        var rejectedByReason: [StoreStatistics.Count] = []
        var rejectedLines: [ComplianceReport.Coverage.RejectedLine] = []
        var rejectedTotal: Int64 = 0
        let sourceList = [jsonArray(ids.sorted())]
        if !ids.isEmpty {
            for row in try db.rows("""
                SELECT reason, count(*) FROM rejected WHERE source_id IN (SELECT value FROM json_each(?1))
                GROUP BY reason ORDER BY 2 DESC, 1
                """, sourceList) {
                let count = row[1].int64 ?? 0
                rejectedByReason.append(StoreStatistics.Count(name: row[0].text ?? "", count: count))
                rejectedTotal += count
            }
            for row in try db.rows("""
                SELECT s.path, r.line, r.reason FROM rejected r JOIN sources s ON s.id = r.source_id
                WHERE r.source_id IN (SELECT value FROM json_each(?1)) ORDER BY s.path, r.line LIMIT 20
                """, sourceList) {
                rejectedLines.append(.init(file: row[0].text ?? "", line: row[1].int64 ?? 0, reason: row[2].text ?? ""))
            }
        }
        // The events of the period's files with no dated event (hook payloads): counted apart, by format.
        var undatedByFormat: [String: Int64] = [:]
        var undatedPlaced: Int64 = 0
        let undatedInPeriod = Set(undated).intersection(ids).sorted()
        if !undatedInPeriod.isEmpty {
            for row in try db.rows("""
                SELECT format, count(*) FROM events
                WHERE source_id IN (SELECT value FROM json_each(?1)) AND ts IS NULL
                  -- Only the sessions the period holds: a file of many months' sessions is counted in each for its own.
                  AND session_id IN (SELECT session_id FROM temp.actions)
                GROUP BY 1
                """, [jsonArray(undatedInPeriod)]) {
                let count = row[1].int64 ?? 0
                undatedByFormat[row[0].int64.flatMap { LogFormat(rawValue: Int($0)) }?.id ?? "unknown", default: 0] += count
                undatedPlaced += count
            }
        }
        let dayCount = Int((period.until - period.since + 86_399_999) / 86_400_000)
        func counts(_ byFormat: [String: Int64]) -> [StoreStatistics.Count] {
            byFormat.map { StoreStatistics.Count(name: $0.key, count: $0.value) }.sorted { ($1.count, $0.name) < ($0.count, $1.name) }
        }
        var coverage = ComplianceReport.Coverage(
            statistics: statistics, sources: statistics.sources.filter { ids.contains($0.id) }, eventsInPeriod: events,
            eventsByFormat: counts(byFormat), daysWithEvents: days.count, daysInPeriod: dayCount, rejectedByReason: rejectedByReason,
            rejectedLines: rejectedLines, rejectedTotal: rejectedTotal)
        coverage.undatedEventsPlaced = undatedPlaced
        coverage.undatedByFormat = counts(undatedByFormat)
        return coverage
    }
}
