/// Lays out a `ComplianceReport` as a `ReportDocument`, in the order a manager reads it: the
/// verdict and its trend, the key figures, the controls, the top findings with what happened
/// around them, scorecards, the data's coverage and integrity, and an appendix with the method
/// and the commands that reproduce every number.
public enum ReportComposer {
    public static func compose(_ report: ComplianceReport) -> ReportDocument {
        let current = report.current
        var document = ReportDocument(title: "Agent activity report: " + current.period.title)
        document.heading(1, "Agent activity report: " + current.period.title)
        var subtitle = "Period " + Timestamp.formatDate(current.period.since) + " to " + Timestamp.formatDate(current.period.until - 1)
            + " (UTC)"
        if let previous = report.previous { subtitle += ", compared with " + previous.period.title }
        subtitle += ". Generated " + dateTime(report.generatedAt) + " UTC by harness-audit " + HarnessAuditVersion.string + "."
        document.paragraph(.literal(subtitle))
        verdict(report, into: &document)
        figures(report, into: &document)
        controls(report, into: &document)
        topFindings(report, into: &document)
        acceptedRisk(report, into: &document)
        drift(report, into: &document)
        scorecards(report, into: &document)
        coverage(report, into: &document)
        appendix(report, into: &document)
        return document
    }

    /// Least privilege: capabilities new and vanished against the previous period, configuration
    /// drift, unused permissions (the findings of `drift`, apart from the verdict).
    static func drift(_ report: ComplianceReport, into document: inout ReportDocument) {
        guard let drift = report.drift else { return }
        document.heading(2, "Least privilege and drift")
        document.paragraph(.literal("From "), .code("harness-audit drift"),
                           .literal("; these findings are advice on the agents' permissions and do not change the verdict."))
        DriftComposer.section(drift, level: 3, limit: 15, failOn: report.options.failOn, into: &document)
    }

    /// The base of the chart file names: the report's file name without its extension.
    static func chartBase(_ report: ComplianceReport) -> String? {
        guard let output = report.options.output, output != "-" else { return nil }
        var name = String(output.split(separator: "/").last ?? Substring(output))
        for suffix in [".md", ".markdown", ".html", ".htm"] where name.lowercased().hasSuffix(suffix) {
            name.removeLast(suffix.count)
            break
        }
        return name.isEmpty ? "report" : name
    }

    /// Charts go beside a Markdown file and inside an HTML page; Markdown on standard output has none.
    static func chart(_ report: ComplianceReport, _ suffix: String, title: String, svg: () -> String) -> ReportDocument.Block? {
        if report.options.format == .markdown && chartBase(report) == nil { return nil }
        let base = chartBase(report) ?? "report"
        return .chart(ReportDocument.Chart(fileName: base + "-" + suffix + ".svg", title: title, svg: svg()))
    }

    // MARK: Verdict

    static func verdict(_ report: ComplianceReport, into document: inout ReportDocument) {
        let current = report.current
        let threshold = report.options.failOn
        let policy: [ReportDocument.Inline] = current.result.baseline.file.map { [.literal("the baseline "), .code($0)] }
            ?? [.literal("the built-in policy")]
        document.heading(2, "Verdict")
        let critical = current.findings(.critical), high = current.findings(.high)
        let severe = "\(Format.grouped(critical)) critical and \(Format.grouped(high)) high " + (critical + high == 1 ? "finding" : "findings")
        var sentence: [ReportDocument.Inline]
        if !current.hasData {
            sentence = [.strong([.literal("NO DATA")]),
                        .literal(": the store holds no agent activity for \(current.period.title). Nothing was assessed; "
                                 + "check that this period's logs were ingested (see Data coverage and integrity).")]
        } else if report.failed {
            // The counts of every severity the threshold fails on (a report that fails on medium names its medium findings).
            let failing = Severity.allCases.reversed().filter { $0 >= min(threshold ?? .high, .high) }
            let counts = failing.map { "\(Format.grouped(current.findings($0))) \($0.rawValue)" }
            let total = failing.reduce(0) { $0 + current.findings($1) }
            let listed = (counts.count > 1 ? counts.dropLast().joined(separator: ", ") + " and " + counts.last! : counts.joined())
                + (total == 1 ? " finding" : " findings")
            sentence = [.strong([.literal("FAIL")]), .literal(": \(listed) in \(current.period.title) against ")] + policy
                + [.literal(" (the report fails on \(threshold?.rawValue ?? "none") and above).")]
        } else {
            let below = current.result.findings.count
            sentence = [.strong([.literal("PASS")]),
                        .literal(": " + (threshold.map { "no finding at or above \($0.rawValue)" } ?? "the report never fails (--fail-on none)")
                                 + " in \(current.period.title) against ")] + policy
                + [.literal(below > 0 ? "; \(Format.count(below, "finding")) below that to review." : ".")]
            if threshold == nil { sentence.append(.literal(" There are \(severe).")) }
        }
        document.append(.paragraph(sentence))
        var notes: [[ReportDocument.Inline]] = []
        if let previous = report.previous {
            if !current.hasData {
                notes.append([.literal("Trend: not assessed, \(current.period.title) has no data.")])
            } else if previous.hasData {
                let before = previous.findings(.critical) + previous.findings(.high)
                let now = critical + high
                let noun = now == 1 ? "finding" : "findings"
                let trend = now > before ? "up from \(Format.grouped(before)) in \(previous.period.title) (worse)"
                    : now < before ? "down from \(Format.grouped(before)) in \(previous.period.title) (better)"
                    : "as many as in \(previous.period.title)"
                notes.append([.literal("Trend: \(Format.grouped(now)) critical and high \(noun), \(trend).")])
            } else {
                notes.append([.literal("Trend: \(previous.period.title) has no data to compare with.")])
            }
        }
        let result = current.result
        if !result.waived.isEmpty || !result.authorized.isEmpty {
            notes.append([.literal("\(Format.count(result.waived.count, "finding")) accepted by waivers and "
                                   + "\(result.authorized.count) authorized by the baseline are not counted.")])
        }
        let problems = FindingsTextRenderer.policyProblems(result)
        if !problems.isEmpty {
            notes.append([.literal("Policy files need attention: "), .text(problems.joined(separator: "; "))])
        }
        if !notes.isEmpty { document.append(.bullets(notes)) }
    }

    // MARK: Key figures

    /// The change between two shares in percentage points, to a tenth, rounded from the exact shares (1 of 7
    /// against 1 of 2: 14.29% against 50%, "−35.7 pts").
    static func pointsChange(_ part: Int64, of whole: Int64, against before: Int64, of beforeWhole: Int64) -> String {
        let exact = Double(part) / Double(whole) - Double(before) / Double(beforeWhole)
        let delta = Int((exact * 1000).rounded())
        return (delta > 0 ? "+" : delta < 0 ? "−" : "") + "\(abs(delta) / 10).\(abs(delta) % 10) pts"
    }

    static func figures(_ report: ComplianceReport, into document: inout ReportDocument) {
        let now = report.current.figures
        // The previous period's figures whenever it had data, also beside a period that has none (why is it empty?).
        let before = report.previous.flatMap { $0.hasData ? $0.figures : nil }
        document.heading(2, "Key figures")
        var rows: [[[ReportDocument.Inline]]] = []
        func row(_ name: String, _ value: (ComplianceReport.Figures) -> Int64) {
            let a = value(now)
            rows.append([[.literal(name)], [.literal(Format.grouped(a))],
                         before.map { [.literal(Format.grouped(value($0)))] } ?? [.literal("–")],
                         before.map { [.literal(change(a - value($0)))] } ?? [.literal("–")]])
        }
        row("Sessions", \.sessions)
        row("Actions", \.actions)
        row("Agents", \.agents)
        row("Actors (people)", \.actors)
        row("Risky actions that ran", \.riskyActions)
        func share(_ f: ComplianceReport.Figures) -> String {
            "\(Format.grouped(f.confirmedRiskyActions)) of \(Format.grouped(f.riskyActions)) (\(Format.percent(f.confirmedRiskyActions, of: f.riskyActions)))"
        }
        var shareChange = "–"
        if let before, now.riskyActions > 0, before.riskyActions > 0 {
            shareChange = pointsChange(now.confirmedRiskyActions, of: now.riskyActions,
                                       against: before.confirmedRiskyActions, of: before.riskyActions)
        }
        rows.append([[.literal("… confirmed by a person")], [.literal(share(now))],
                     [.literal(before.map(share) ?? "–")], [.literal(shareChange)]])
        row("Blocked attempts (guardrails working)", \.blockedAttempts)
        let counts: (ComplianceReport.PeriodResult) -> String = { period in
            Severity.allCases.reversed().filter { $0 >= .low }.map { Format.grouped(period.findings($0) + ($0 == .low ? period.findings(.info) : 0)) }
                .joined(separator: " / ")
        }
        rows.append([[.literal("Findings (critical / high / medium / low)")], [.literal(counts(report.current))],
                     [.literal(report.previous.flatMap { $0.hasData ? counts($0) : nil } ?? "–")],
                     [.literal(before.map { _ in change(Int64(report.current.result.findings.count - (report.previous?.result.findings.count ?? 0))) } ?? "–")]])
        document.append(.table(header: ["", report.current.period.title, report.previous?.period.title ?? "previous period", "change"],
                               alignments: [.left, .right, .right, .right], rows: rows))
        var notes: [[ReportDocument.Inline]] = [
            [.literal("Risky actions delete, deploy, change schemas, merge, run high-risk commands, mint credentials, read secrets, "
                      + "open remote shells or change permissions. A person confirmed an action when they approved that very call.")],
            [.literal("Blocked attempts were denied by a person, a rule or the platform: they did not run, and count as no violation.")],
        ]
        if now.undatedActions > 0 {
            notes.append([.literal("\(Format.count(now.undatedActions, "action")) had no timestamp in its session and "
                                   + "\(now.undatedActions == 1 ? "was" : "were") placed by its log file's modification time.")])
        }
        if !now.sourcesBeingIngested.isEmpty {
            // (Paths and principals come from the logs: text, escaped, never Markdown of their own.)
            notes.append([.text(FindingsTextRenderer.beingIngested(now.sourcesBeingIngested, clean: { $0 }) + ".")])
        }
        if let others = now.otherPrincipals { notes.append([.text(others + ".")]) }
        document.append(.bullets(notes))
        if let block = chart(report, "risky-actions", title: "Risky actions: confirmed by a person, unconfirmed, blocked", svg: {
            riskyChart(report)
        }) { document.append(block) }
    }

    static func change(_ delta: Int64) -> String {
        delta > 0 ? "+" + Format.grouped(delta) : delta < 0 ? "−" + Format.grouped(-delta) : "0"
    }

    // MARK: Controls

    static func controls(_ report: ComplianceReport, into document: inout ReportDocument) {
        let result = report.current.result
        let previous = report.comparablePrevious
        document.heading(2, "Controls")
        var categories = RuleMetadata.categories
        for rule in result.rules where !categories.contains(rule.metadata.category) { categories.append(rule.metadata.category) }
        var rows: [[[ReportDocument.Inline]]] = []
        for category in categories {
            let rules = result.rules.filter { $0.metadata.category == category }
            let findings = result.findings.filter { $0.category == category }
            let waived = result.waived.filter { $0.category == category }.count
            let authorized = result.authorized.filter { $0.category == category }.count
            let status: ReportDocument.Inline
            if rules.isEmpty {
                status = .literal("not checked")
            } else if let threshold = report.options.failOn, findings.contains(where: { $0.severity >= threshold }) {
                status = .strong([.literal("fail")])
            } else if !findings.isEmpty {
                status = .literal("review")
            } else if !report.current.hasData {
                // No agent activity: nothing passed, nothing was assessed (the verdict says NO DATA).
                status = .literal("not assessed")
            } else {
                status = .literal("pass")
            }
            var count = rules.isEmpty ? "–" : Format.grouped(findings.count)
            if waived > 0 { count += " (+\(waived) waived)" }
            if authorized > 0 { count += " (+\(authorized) authorized)" }
            var trend = "–"
            if let previous, !rules.isEmpty {
                let before = previous.findings(category: category)
                let (was, now) = (Format.grouped(before), Format.grouped(findings.count))
                trend = findings.count > before ? "worse (\(was) → \(now))" : findings.count < before ? "better (\(was) → \(now))" : "same (\(was))"
            }
            var controls: [FrameworkCatalog.Framework: [String]] = [:]
            for rule in rules {
                for (framework, ids) in rule.metadata.frameworks {
                    for id in ids where !(controls[framework] ?? []).contains(id) { controls[framework, default: []].append(id) }
                }
            }
            rows.append([[.literal(ControlCatalog.statement(category))], [.code(category)], [status], [.literal(count)],
                         [.literal(trend)]]
                        + FrameworkCatalog.Framework.allCases.map { [.literal((controls[$0] ?? []).joined(separator: ", "))] })
        }
        document.append(.table(header: ["Control", "Category", "Status", "Findings", "Trend", "SOC 2", "ISO 27001", "NIST 800-53"],
                               alignments: [.left, .left, .left, .right, .left, .left, .left, .left], rows: rows))
        document.append(.paragraph([.literal(
            "Status: " + (report.options.failOn.map { "fail = findings at or above \($0.rawValue); review = findings below that; " }
                          ?? "fail = never (--fail-on none); review = findings; ")
                + "pass = none; not assessed = no agent activity in the period; not checked = the baseline disabled every rule of "
                + "the category. Controls: SOC 2 (TSC 2017), "
                + "ISO/IEC 27001:2022 Annex A, NIST SP 800-53 rev. 5.")]))
        if let block = chart(report, "by-category", title: "Findings by category", svg: { categoryChart(report) }) {
            document.append(block)
        }
        if let block = chart(report, "findings-over-time", title: "Findings over time, by severity", svg: { timeChart(report) }) {
            document.append(block)
        }
    }

    // MARK: Accepted risk

    /// The findings a waiver accepted or the baseline authorizes, not counted above: what was accepted, by whom, why,
    /// and until when, so the report is evidence of the decision and not only of its result.
    static func acceptedRisk(_ report: ComplianceReport, into document: inout ReportDocument) {
        let result = report.current.result
        let accepted = (result.waived + result.authorized).sorted(by: CheckEngine.order)
        guard !accepted.isEmpty else { return }
        document.heading(2, "Accepted risk")
        let limit = 50
        document.paragraph(.literal("\(Format.count(result.waived.count, "finding")) accepted by waivers and "
                                    + "\(Format.grouped(result.authorized.count)) authorized by the baseline, not counted above"
                                    + (accepted.count > limit ? "; the \(limit) most severe:" : ":")))
        var rows: [[[ReportDocument.Inline]]] = []
        for finding in accepted.prefix(limit) {
            let by: [ReportDocument.Inline]
            let why: String
            if let waiver = finding.waiver {
                var who = "waiver"
                if let owner = waiver.owner { who += " (\(owner)" + (waiver.ticket.map { ", \($0)" } ?? "") + ")" }
                // (The owner and ticket are the waivers file's text: escaped, an address never a link.)
                by = [.text(who + (waiver.expires.map { ", until \($0)" } ?? ""))]
                why = waiver.reason ?? ""
            } else {
                let authorization = finding.authorization
                by = [.literal("baseline" + (authorization.map { ", line \($0.line)" } ?? ""))]
                why = authorization?.reason ?? ""
            }
            rows.append([[.literal(finding.severity.rawValue)], [.code(finding.rule)], [.text(finding.reason)], by, [.text(why)],
                         [.code(finding.id)]])
        }
        document.append(.table(header: ["Severity", "Rule", "Finding", "Accepted by", "Reason", "Finding id"],
                               alignments: [.left, .left, .left, .left, .left, .left], rows: rows))
    }

    // MARK: Top findings

    static func topFindings(_ report: ComplianceReport, into document: inout ReportDocument) {
        document.heading(2, "Top findings")
        let total = report.current.result.findings.count
        guard total > 0 else {
            document.paragraph(.literal("No findings in \(report.current.period.title)."))
            return
        }
        guard !report.topFindings.isEmpty else {
            document.paragraph(.literal("\(Format.count(total, "finding")), none shown in full (--top 0)."))
            return
        }
        document.paragraph(.literal("The \(report.topFindings.count) most severe of \(Format.count(total, "finding")) (one per rule and session), "
                                    + "each with what happened around it in its session. Every finding, with its evidence, is in the output of "),
                           .code("harness-audit check --format json"), .literal(" (see the appendix)."))
        for (index, top) in report.topFindings.enumerated() {
            let finding = top.finding
            document.append(.heading(level: 3, [.literal("\(index + 1). \(finding.severity.rawValue): "), .text(finding.title)]))
            document.append(.paragraph([.text(finding.reason)]))
            var facts: [ReportDocument.Inline] = []
            func add(_ label: String, _ value: String?, code: Bool = false) {
                guard let value, !value.isEmpty else { return }
                if !facts.isEmpty { facts.append(.literal(" · ")) }
                facts.append(.literal(label + " "))
                facts.append(code ? .code(value) : .text(value))
            }
            add("When", finding.ts.map { dateTime($0) + " UTC" })
            add("Session", finding.session, code: true)
            add("Agent", finding.agent)
            add("Actor", finding.actor)
            add("Principal", finding.principal)
            add("Repository", finding.repo)
            add("Host", finding.host)
            var bullets: [[ReportDocument.Inline]] = [facts]
            var evidence: [ReportDocument.Inline] = [.literal("Evidence: ")]
            for (n, item) in finding.evidence.prefix(5).enumerated() {
                if n > 0 { evidence.append(.literal(", ")) }
                evidence.append(.code("\(item.file):\(item.line)"))
            }
            if finding.evidence.count > 5 { evidence.append(.literal(" and \(finding.evidence.count - 5) more")) }
            if finding.evidence.isEmpty { evidence.append(.literal("none recorded")) }
            bullets.append(evidence)
            var identity: [ReportDocument.Inline] = [.literal("Rule "), .code(finding.rule), .literal(", finding id "), .code(finding.id)]
            let controls = FrameworkCatalog.Framework.allCases.compactMap { framework -> String? in
                guard let ids = finding.frameworks[framework], !ids.isEmpty else { return nil }
                return frameworkShortName(framework) + " " + ids.joined(separator: ", ")
            }
            if !controls.isEmpty { identity.append(.literal("; controls: " + controls.joined(separator: "; "))) }
            bullets.append(identity)
            document.append(.bullets(bullets))
            guard !top.timeline.isEmpty else { continue }
            var rows: [[[ReportDocument.Inline]]] = []
            if top.hiddenBefore > 0 {
                rows.append([[], [.emphasis([.literal("\(Format.count(top.hiddenBefore, "earlier action")) not shown")])], [], []])
            }
            for entry in top.timeline {
                let when: [ReportDocument.Inline] = [.literal(entry.ts.map(dateTime) ?? "(no time)")]
                // A mode change is the report's own words; an action is what the log says ran.
                var action: [ReportDocument.Inline] = entry.tool == nil && entry.classes.isEmpty && entry.status == "mode change"
                    ? [.emphasis([.literal(entry.action)])] : [.code(entry.action)]
                if entry.isSubject { action = [.strong(action), .literal(" ← this finding")] }
                rows.append([entry.isSubject ? [.strong(when)] : when, action,
                             [.literal(entry.classes.joined(separator: ", "))],
                             entry.isSubject ? [.strong([.literal(entry.status)])] : [.literal(entry.status)]])
            }
            if top.hiddenAfter > 0 {
                rows.append([[], [.emphasis([.literal("\(Format.count(top.hiddenAfter, "later action")) not shown")])], [], []])
            }
            document.append(.table(header: ["Time (UTC)", "Action in the session", "Classes", "Outcome"],
                                   alignments: [.left, .left, .left, .left], rows: rows))
        }
    }

    static func frameworkShortName(_ framework: FrameworkCatalog.Framework) -> String {
        switch framework {
        case .soc2: return "SOC 2"
        case .iso27001: return "ISO 27001"
        case .nist80053: return "NIST 800-53"
        }
    }

    // MARK: Scorecards

    static func scorecards(_ report: ComplianceReport, into document: inout ReportDocument) {
        document.heading(2, "Scorecards")
        document.paragraph(.literal("Per agent, repository and actor, the worst first. Confirmed: the share of risky actions a person "
                                    + "confirmed. Rate: findings per 100 actions."))
        for card in report.scorecards {
            document.heading(3, "By " + card.dimension)
            var rows: [[[ReportDocument.Inline]]] = []
            func cells(_ name: [ReportDocument.Inline], _ row: ComplianceReport.ScorecardRow) -> [[ReportDocument.Inline]] {
                let rate: String
                if row.actions > 0 {
                    let tenths = (Int64(row.findings) * 1000 + row.actions / 2) / row.actions
                    rate = "\(tenths / 10).\(tenths % 10)"
                } else {
                    rate = "–"
                }
                return [name] + [Format.grouped(row.sessions), Format.grouped(row.actions), Format.grouped(row.riskyActions),
                                 Format.percent(row.confirmedRiskyActions, of: row.riskyActions), Format.grouped(row.blockedAttempts),
                                 Format.grouped(row.critical), Format.grouped(row.high), Format.grouped(row.medium), Format.grouped(row.lowAndInfo), rate]
                    .map { [ReportDocument.Inline.literal($0)] }
            }
            for row in card.rows { rows.append(cells(row.name == "(none)" ? [.emphasis([.literal("none recorded")])] : [.text(row.name)], row)) }
            if let others = card.others {
                rows.append(cells([.emphasis([.literal("\(card.otherCount) others")])], others))
            }
            if rows.isEmpty {
                document.paragraph(.literal("No activity."))
                continue
            }
            document.append(.table(header: [card.dimension.prefix(1).uppercased() + card.dimension.dropFirst(), "Sessions", "Actions",
                                            "Risky", "Confirmed", "Blocked", "Critical", "High", "Medium", "Low", "Rate"],
                                   alignments: [.left] + Array(repeating: .right, count: 10), rows: rows))
        }
    }

    // MARK: Coverage

    static func coverage(_ report: ComplianceReport, into document: inout ReportDocument) {
        let coverage = report.coverage
        let stats = coverage.statistics
        document.heading(2, "Data coverage and integrity")
        var bullets: [[ReportDocument.Inline]] = []
        let formats = coverage.eventsByFormat.map { "\($0.name) \(Format.grouped($0.count))" }.joined(separator: ", ")
        let undatedFormats = coverage.undatedByFormat.map { "\($0.name) \(Format.grouped($0.count))" }.joined(separator: ", ")
        // Files with no dated event (hook payloads) are counted apart: their events are in the period by their file's time.
        let undated = coverage.undatedEventsPlaced == 0 ? ""
            : " and \(Format.count(coverage.undatedEventsPlaced, "undated event")) (\(undatedFormats)) placed in it by their file's time"
        bullets.append([.literal("\(report.current.period.title): \(Format.count(coverage.eventsInPeriod, "dated event"))"
                                 + (formats.isEmpty ? "" : " (\(formats))") + undated + " from "
                                 + "\(Format.count(coverage.sources.count, "source file"))"
                                 + "; events on \(coverage.daysWithEvents) of \(coverage.daysInPeriod) days.")])
        let duplicates = stats.eventsDuplicate
        var range = "no dated events"
        if let first = stats.firstTS, let last = stats.lastTS { range = "from " + dateTime(first) + " to " + dateTime(last) + " UTC" }
        bullets.append([.literal("The store: \(Format.count(stats.sources.count, "file")), \(Format.count(stats.events, "event")) in "
                                 + "\(Format.count(stats.sessions, "session")), \(range). Lines: \(Format.grouped(stats.lines)) read = "
                                 + "\(Format.grouped(stats.eventLines)) made events + \(Format.grouped(stats.rejectedLines)) rejected + "
                                 + "\(Format.grouped(stats.blankLines)) blank" + (stats.accountingHolds ? "; every line is accounted for."
                                                                                   : ". THE LINE ACCOUNTING DOES NOT ADD UP for some files; see below.")
                                 + (duplicates > 0 ? " \(Format.count(duplicates, "event")) \(duplicates == 1 ? "was a copy" : "were copies") of "
                                    + "what another file or an earlier ingest gave, stored once." : ""))])
        let gaps = report.current.result.findings.filter { $0.category == "audit-gap" }
        if gaps.isEmpty {
            bullets.append([.literal("Gaps: none found (sequence numbers, hash chains, unreadable lines and files, "
                                     + "Kubernetes requests without a harness record).")])
        } else {
            var byRule: [(String, Int)] = []
            for finding in gaps {
                if let index = byRule.firstIndex(where: { $0.0 == finding.rule }) { byRule[index].1 += 1 } else { byRule.append((finding.rule, 1)) }
            }
            bullets.append([.literal("Gaps: \(Format.count(gaps.count, "audit-gap finding")) ("
                                     + byRule.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + "):")])
        }
        document.append(.bullets(bullets))
        if !gaps.isEmpty {
            var rows: [[[ReportDocument.Inline]]] = gaps.prefix(10).map { finding in
                var evidence: [ReportDocument.Inline] = finding.evidence.prefix(2).enumerated().flatMap { n, item -> [ReportDocument.Inline] in
                    (n > 0 ? [.literal(" ")] : []) + [.code("\(item.file):\(item.line)")]
                }
                // What the table leaves out, said: an auditor checks every line.
                if finding.evidence.count > 2 { evidence.append(.literal(" and \(finding.evidence.count - 2) more")) }
                return [[.code(finding.rule)], [.text(finding.reason)], evidence.isEmpty ? [.literal("–")] : evidence]
            }
            if gaps.count > 10 { rows.append([[], [.emphasis([.literal("\(gaps.count - 10) more")])], []]) }
            document.append(.table(header: ["Rule", "Gap", "Evidence"], alignments: [.left, .left, .left], rows: rows))
        }
        if coverage.rejectedTotal > 0 {
            document.heading(3, "Rejected lines")
            document.paragraph(.literal("\(Format.count(coverage.rejectedTotal, "line")) of this period's files could not be read as events "
                                        + "(" + coverage.rejectedByReason.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
                                        + "). Each is kept in the store with its raw bytes (view "), .code("rejected_v"), .literal(")."))
            var rows: [[[ReportDocument.Inline]]] = coverage.rejectedLines.map { [[.code("\($0.file):\($0.line)")], [.literal($0.reason)]] }
            if coverage.rejectedTotal > Int64(coverage.rejectedLines.count) {
                rows.append([[.emphasis([.literal("\(coverage.rejectedTotal - Int64(coverage.rejectedLines.count)) more")])], []])
            }
            document.append(.table(header: ["Line", "Reason"], alignments: [.left, .left], rows: rows))
        }
        let partial = coverage.sources.filter { $0.state != "complete" || $0.problem != nil || !$0.accountingHolds }
        if !partial.isEmpty {
            document.heading(3, "Files read in part")
            document.append(.bullets(partial.map { source in
                let why = source.problem ?? (source.state == "ingesting"
                    ? "its ingest did not finish (still running, or stopped): lines after line \(Format.grouped(source.lines)) are not in the store"
                    : "the line accounting does not add up")
                return [.code(source.path), .literal(" (\(source.state)): ")] + [.text(why)]
            }))
        }
        document.heading(3, "Sources")
        let limit = 50
        var rows: [[[ReportDocument.Inline]]] = coverage.sources.prefix(limit).map { source in
            [[.code(source.path)], [.literal(source.state)], [.literal(Format.grouped(source.lines))], [.literal(Format.grouped(source.eventLines))],
             [.literal(Format.grouped(source.rejectedLines))],
             [.literal(source.firstTS.map { Timestamp.formatDate($0) + " – " + Timestamp.formatDate(source.lastTS ?? $0) } ?? "no dated events")],
             source.sha256.map { [.code(String($0.prefix(16)))] } ?? []]
        }
        if coverage.sources.count > limit {
            rows.append([[.emphasis([.literal("\(coverage.sources.count - limit) more (harness-audit stats --format json lists them all)")])],
                         [], [], [], [], [], []])
        }
        if rows.isEmpty {
            document.paragraph(.literal("No source file has events in this period."))
        } else {
            document.append(.table(header: ["File", "State", "Lines", "Events", "Rejected", "Data", "SHA-256 (first 16)"],
                                   alignments: [.left, .left, .right, .right, .right, .left, .left], rows: rows))
        }
    }

    // MARK: Appendix

    static func appendix(_ report: ComplianceReport, into document: inout ReportDocument) {
        let result = report.current.result
        let options = report.options
        document.heading(2, "Appendix")
        document.heading(3, "Method")
        document.append(.bullets([
            [.literal("harness-audit ingested the logs listed under Sources into one SQLite store, keeping every line byte for byte; "
                      + "each tool call was classified from its tool and input by a shell, SQL and patch parser.")],
            [.literal("Records of one action from several logs (hook, OpenTelemetry, transcript) were joined by session and call id. "
                      + "Actions were placed in the period by their time (UTC), or by their session's first time, or by their file's "
                      + "modification time when neither exists.")],
            [.literal("Every rule below ran on a read-only connection over the period; findings were then adjusted by the baseline "
                      + "(severities, authorized contexts) and the waivers. Blocked attempts are never findings.")],
            [.literal("Sessions, agents and actors are counted over the period's actions by agents; Kubernetes requests count when "
                      + "made by an agent's service account.")],
            [.literal(options.redact
                ? "Secrets in commands, paths and other log text are masked as [REDACTED]."
                : "Redaction was turned off (--no-redact): this report may hold secrets in clear text. Do not share it.")],
        ]))
        document.heading(3, "Rules")
        let rows: [[[ReportDocument.Inline]]] = result.rules.map { rule in
            let severity = result.baseline.severities[rule.id] ?? result.baseline.severities[rule.metadata.category] ?? rule.metadata.severity
            return [[.code(rule.id)], [.literal(String(rule.metadata.version))], [.code(rule.metadata.category)],
                    [.literal(severity.rawValue)], rule.builtIn ? [.literal("built-in")] : [.code(rule.file)]]
        }
        document.append(.table(header: ["Rule", "Version", "Category", "Severity", "Origin"],
                               alignments: [.left, .right, .left, .left, .left], rows: rows))
        var ruleText: [UInt8] = []
        for rule in result.rules { ruleText += Array("\(rule.id)\u{0}\(rule.metadata.version)\u{0}\(rule.sql)\u{0}".utf8) }
        let packHash = SHA256Digest.hex(SHA256Digest.digest(ruleText))
        var policy: [[ReportDocument.Inline]] = [
            [.literal("Rules: \(result.rules.count) enabled, SHA-256 of their ids, versions and queries "), .code(packHash), .literal(".")],
        ]
        if let file = result.baseline.file {
            policy.append([.literal("Baseline: "), .code(file), .literal(", SHA-256 "), .code(result.baseline.sha256), .literal(".")])
        } else {
            policy.append([.literal("Baseline: the built-in policy ("), .code("harness-audit baseline init"), .literal(" writes it), SHA-256 "),
                           .code(SHA256Digest.hex(SHA256Digest.digest(Array(Baseline.defaultText.utf8)))), .literal(".")])
        }
        if let file = options.check.waivers.file {
            policy.append([.literal("Waivers: "), .code(file), .literal(", SHA-256 "), .code(options.check.waivers.sha256 ?? "?"),
                           .literal(", \(Format.count(result.waived.count, "finding")) waived.")])
        } else {
            policy.append([.literal("Waivers: none.")])
        }
        policy.append([.literal("Fails on: \(options.failOn?.rawValue ?? "none (never fails)").")])
        document.append(.bullets(policy))
        document.heading(3, "Reproduce this report")
        document.paragraph(.literal("From the same logs, with the same harness-audit version, these commands rebuild the store, this "
                                    + "report, and the full list of findings with their evidence:"))
        document.append(.code(commands(report)))
    }

    /// The commands that rebuild the store and reproduce the report and its findings.
    static func commands(_ report: ComplianceReport) -> String {
        let options = report.options
        let database = ShellQuote.quote(options.check.databasePath)
        let sources = report.coverage.statistics.sources.map(\.path)
        var out = "harness-audit ingest --db \(database)"
        let limit = 100
        for path in sources.prefix(limit) { out += " \\\n    " + ShellQuote.quote(path) }
        if sources.count > limit {
            out += "\n# … and \(sources.count - limit) more files: harness-audit stats --db \(database) --format json lists them all"
        }
        var policy = ""
        if let file = report.current.result.baseline.file { policy += " --baseline " + ShellQuote.quote(file) }
        if let file = options.check.waivers.file { policy += " --waivers " + ShellQuote.quote(file) }
        for directory in options.check.ruleDirectories { policy += " --rules " + ShellQuote.quote(directory) }
        let period = report.current.period.arguments.map(ShellQuote.quote).joined(separator: " ")
        out += "\nharness-audit report --db \(database) " + period + policy
        if let failOn = options.failOn { if failOn != .high { out += " --fail-on " + failOn.rawValue } } else { out += " --fail-on none" }
        if options.topFindings != ReportOptions.defaultTopFindings { out += " --top \(options.topFindings)" }
        if !options.redact { out += " --no-redact" }
        if options.format == .html { out += " --format html" }
        if let output = options.output { out += " --out " + ShellQuote.quote(output) }
        let window = ["--since", Timestamp.format(report.current.period.since), "--until", Timestamp.format(report.current.period.until)]
        out += "\nharness-audit check --db \(database) " + window.joined(separator: " ") + policy + " --format json --fail-on none"
        if let drift = report.drift {
            let periods = drift.current.arguments + (drift.previous.kind == .range
                ? ["--against-since", Timestamp.format(drift.previous.since), "--against-until", Timestamp.format(drift.previous.until)]
                : ["--against", drift.previous.slug])
            out += "\nharness-audit drift --db \(database) " + periods.map(ShellQuote.quote).joined(separator: " ") + policy
                + " --format json --fail-on none"
        }
        out += "\n"
        return out
    }

    // MARK: Charts

    static let severityColors: [Severity: String] = [
        .critical: "#9f1239", .high: "#ea580c", .medium: "#ca8a04", .low: "#2563eb", .info: "#94a3b8",
    ]

    static var severitySeries: [SVGChart.Series] {
        [.critical, .high, .medium, .low].map { SVGChart.Series(name: $0 == .low ? "low / info" : $0.rawValue, color: severityColors[$0]!) }
    }

    static func severityIndex(_ severity: Severity) -> Int {
        switch severity {
        case .critical: return 0
        case .high: return 1
        case .medium: return 2
        case .low, .info: return 3
        }
    }

    /// Findings per day (or week, or month for long spans) over the previous and current periods, by severity.
    static func timeChart(_ report: ComplianceReport) -> String {
        let start = report.previous?.period.since ?? report.current.period.since
        let end = report.current.period.until
        let day: Int64 = 86_400_000
        var starts: [Int64] = []
        let span = (end - start) / day
        let unit: String
        if span <= 92 {
            unit = "day"
            var t = start - ((start % day) + day) % day
            while t < end { starts.append(t); t += day }
        } else if span <= 731 {
            unit = "week"
            var t = start
            while t < end { starts.append(t); t += 7 * day }
        } else {
            unit = "month"
            var (year, month) = Timestamp.yearMonth(start)
            var t = Timestamp.millis(year: year, month: month, day: 1)
            while t < end {
                starts.append(t)
                (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
                t = Timestamp.millis(year: year, month: month, day: 1)
            }
        }
        var values = Array(repeating: [0, 0, 0, 0], count: starts.count)
        var undated = 0, placed = 0
        let findings = (report.previous?.result.findings ?? []) + report.current.result.findings
        for finding in findings {
            guard let ts = finding.ts ?? finding.placedTs, ts >= start, ts < end,
                  let index = starts.lastIndex(where: { $0 <= ts }) else { undated += 1; continue }
            values[index][severityIndex(finding.severity)] += 1
            if finding.ts == nil { placed += 1 }
        }
        let bars = starts.enumerated().map { index, t in
            let date = Timestamp.formatDate(t)
            return SVGChart.Bar(label: unit == "month" ? String(date.prefix(7)) : String(date.dropFirst(5)), values: values[index])
        }
        // A bin belongs to the period its start falls in, or that starts inside it.
        func binEnd(_ index: Int) -> Int64 { index + 1 < starts.count ? starts[index + 1] : end }
        var bands: [SVGChart.Band] = []
        for (n, period) in [report.previous?.period, report.current.period].compactMap({ $0 }).enumerated() {
            guard let first = starts.indices.first(where: { binEnd($0) > period.since }),
                  let last = starts.lastIndex(where: { $0 < period.until }) else { continue }
            bands.append(SVGChart.Band(first: first, last: last, caption: period.title, shaded: n == 0 && report.previous != nil))
        }
        let total = findings.count - undated
        var description = "Findings per \(unit) by severity from \(Timestamp.formatDate(start)) to \(Timestamp.formatDate(end - 1)): "
            + "\(total) in all"
        for (index, series) in severitySeries.enumerated() { description += ", \(values.reduce(0) { $0 + $1[index] }) \(series.name)" }
        description += "." + (placed > 0 ? " \(placed) of them have no time in their log and are shown at their log file's time." : "")
            + (undated > 0 ? " \(undated) findings without a time are not shown." : "")
        return SVGChart.columns(id: "findings-over-time", title: "Findings per \(unit), by severity", description: description, series: severitySeries,
                                bars: bars, bands: bands, emptyText: "No findings in this time")
    }

    /// Findings by category in the period, stacked by severity, with the previous period as a tick.
    static func categoryChart(_ report: ComplianceReport) -> String {
        let previous = report.comparablePrevious
        var categories = RuleMetadata.categories
        for finding in report.current.result.findings where !categories.contains(finding.category) { categories.append(finding.category) }
        var bars: [SVGChart.Bar] = []
        for category in categories {
            var values = [0, 0, 0, 0]
            for finding in report.current.result.findings where finding.category == category { values[severityIndex(finding.severity)] += 1 }
            let before = previous?.findings(category: category)
            guard values.reduce(0, +) > 0 || (before ?? 0) > 0 else { continue }
            bars.append(SVGChart.Bar(label: category, values: values, reference: before))
        }
        bars.sort { $0.total != $1.total ? $0.total > $1.total : $0.label < $1.label }
        let description = "Findings by category in \(report.current.period.title)"
            + (previous.map { " (tick: \($0.period.title))" } ?? "") + ": "
            + (bars.isEmpty ? "none." : bars.map { "\($0.label) \($0.total)" + ($0.reference.map { " (was \($0))" } ?? "") }.joined(separator: ", ") + ".")
        return SVGChart.rows(id: "by-category", title: "Findings by category, \(report.current.period.title)", description: description,
                             series: severitySeries, bars: bars, referenceName: previous?.period.title,
                             suffix: { bar in String(bar.total) }, emptyText: "No findings in this period")
    }

    /// Risky actions by class: confirmed by a person, unconfirmed, blocked.
    static func riskyChart(_ report: ComplianceReport) -> String {
        let series = [SVGChart.Series(name: "confirmed by a person", color: "#15803d"),
                      SVGChart.Series(name: "not confirmed", color: "#ea580c"),
                      SVGChart.Series(name: "blocked", color: "#94a3b8")]
        let bars = report.riskyClasses.filter { $0.confirmed + $0.unconfirmed + $0.blocked > 0 }.map {
            SVGChart.Bar(label: $0.name, values: [Int($0.confirmed), Int($0.unconfirmed), Int($0.blocked)])
        }
        let description = "Risky actions in \(report.current.period.title) by class (an action of several classes counts in each): "
            + (bars.isEmpty ? "none." : bars.map { "\($0.label) \($0.values[0]) confirmed, \($0.values[1]) not confirmed, \($0.values[2]) blocked" }
                .joined(separator: "; ") + ".")
        return SVGChart.rows(id: "risky-actions", title: "Risky actions, \(report.current.period.title): confirmed or not", description: description,
                             series: series, bars: bars, referenceName: nil,
                             suffix: { bar in
                                 let ran = bar.values[0] + bar.values[1]
                                 let blocked = bar.values[2] > 0 ? ", \(bar.values[2]) blocked" : ""
                                 return ran > 0 ? "\(bar.values[0]) of \(ran) confirmed" + blocked : "\(bar.values[2]) blocked"
                             }, emptyText: "No risky actions in this period")
    }

    static func dateTime(_ millis: Int64) -> String {
        let text = Timestamp.format(millis)
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(8))
    }
}
