/// Renders `check` results for a person at a terminal: a verdict line, the numbers, then
/// findings grouped by severity (most severe first), each with its reason, who and where,
/// and the log lines that prove it. Colour only when asked (a TTY); text from logs is
/// sanitised so it cannot drive the terminal.
public enum FindingsTextRenderer {
    static let colors: [Severity: String] = [
        .critical: "\u{1B}[1;31m", .high: "\u{1B}[31m", .medium: "\u{1B}[33m", .low: "\u{1B}[36m", .info: "\u{1B}[2m",
    ]
    static let reset = "\u{1B}[0m"
    static let dim = "\u{1B}[2m"
    static let bold = "\u{1B}[1m"

    /// The first line of `render`: the findings by severity and the verdict (what `--output` leaves on
    /// standard error), without rendering the findings.
    public static func headline(_ result: CheckResult, options: FindingsRenderOptions) -> String {
        func paint(_ text: String, _ code: String?) -> String {
            guard options.color, let code else { return text }
            return code + text + reset
        }
        let verdict = options.verdict(result)
        let counts = Severity.allCases.reversed().compactMap { severity -> String? in
            let n = result.count(severity)
            return n > 0 ? "\(n) \(severity.rawValue)" : nil
        }
        let headline = result.findings.isEmpty
            ? "harness-audit \(options.command): no findings"
            : "harness-audit \(options.command): \(result.findings.count) finding\(result.findings.count == 1 ? "" : "s") (\(counts.joined(separator: ", ")))"
        let status = verdict.failed ? paint("FAIL", colors[.critical]) : paint("PASS", "\u{1B}[32m")
        return paint(headline, bold) + "  " + status + " — " + verdict.text
    }

    /// Files an ingest is still reading, named (the first three).
    /// The Kubernetes requests no rule checked, since their principals are not taken for agents, and how to check them.
    public static func otherPrincipals(_ result: CheckResult, clean: (String) -> String) -> String? {
        guard result.otherPrincipalRequests > 0 else { return nil }
        let named = result.otherPrincipals.prefix(3).map(clean).joined(separator: ", ")
        let more = result.otherPrincipalCount > 3 ? ", …" : ""
        return Format.count(result.otherPrincipalRequests, "Kubernetes request") + " by "
            + Format.count(result.otherPrincipalCount, "principal") + " not taken for agents (\(named)\(more)) not checked; "
            + "list an agent's principals under agent_principals in the baseline"
    }

    public static func beingIngested(_ paths: [String], clean: (String) -> String) -> String {
        let shown = paths.prefix(3).map(clean).joined(separator: ", ") + (paths.count > 3 ? ", …" : "")
        return Format.count(Int64(paths.count), "file") + " still being ingested (\(shown)): only the lines stored so far were checked"
    }

    public static func render(_ result: CheckResult, options: FindingsRenderOptions) -> String {
        func paint(_ text: String, _ code: String?) -> String {
            guard options.color, let code else { return text }
            return code + text + reset
        }
        func clean(_ text: String) -> String { TerminalText.sanitize(text) }
        var out = headline(result, options: options) + "\n"

        var window = "all events"
        if result.since != nil || result.until != nil {
            window = (result.since.map(Timestamp.format) ?? "…") + " to " + (result.until.map(Timestamp.format) ?? "…")
        }
        let baseline = result.baseline.file.map { "\(clean($0)) (sha256 \(result.baseline.sha256.prefix(12)))" } ?? "built-in default"
        out += paint("  window \(window) · \(result.rules.count) rules · baseline \(baseline)", dim) + "\n"
        out += paint("  " + Format.count(result.actions, "action") + ", \(Format.grouped(result.riskyActions)) risky, "
                     + "\(Format.grouped(result.confirmedRiskyActions)) of them confirmed by a person · "
                     + Format.count(result.blockedAttempts, "blocked attempt") + " · \(result.waived.count) waived · "
                     + "\(result.authorized.count) authorized by the baseline", dim) + "\n"
        if result.undatedActions > 0 && (result.since != nil || result.until != nil) {
            out += paint("  " + Format.count(result.undatedActions, "action") + " without a timestamp placed in the window by their log file's time", dim) + "\n"
        }
        if !result.sourcesBeingIngested.isEmpty {
            out += paint("  " + FindingsTextRenderer.beingIngested(result.sourcesBeingIngested, clean: clean), dim) + "\n"
        }
        if let others = FindingsTextRenderer.otherPrincipals(result, clean: clean) { out += paint("  " + others, dim) + "\n" }
        if result.previouslyReported > 0 {
            out += paint("  " + Format.count(result.previouslyReported, "finding") + " of the previous run not shown (--new-only)", dim) + "\n"
        }

        for severity in Severity.allCases.reversed() {
            let count = result.count(severity)
            guard count > 0 else { continue }
            out += "\n" + paint("\(severity.rawValue.uppercased()) (\(count))", colors[severity]) + "\n"
            for finding in result.findings where finding.severity == severity {
                out += describe(finding, paint: paint)
            }
        }

        if !result.waived.isEmpty {
            out += "\n" + paint("WAIVED (\(result.waived.count)) — accepted, never failing CI", bold) + "\n"
            for finding in result.waived {
                let waiver = finding.waiver
                out += "  \(finding.severity.rawValue) \(finding.rule) \(paint(finding.id, dim)): \(clean(finding.reason))\n"
                out += "    waived by \(clean(waiver?.owner ?? "?")) until \(clean(waiver?.expires ?? "?"))"
                if let ticket = waiver?.ticket { out += " (\(clean(ticket)))" }
                out += ": \(clean(waiver?.reason ?? ""))\n"
            }
        }
        if !result.authorized.isEmpty {
            out += "\n" + paint("AUTHORIZED BY THE BASELINE (\(result.authorized.count)) — not findings", bold) + "\n"
            for finding in result.authorized {
                out += "  \(finding.severity.rawValue) \(finding.rule) \(paint(finding.id, dim)): \(clean(finding.reason))\n"
                out += "    \(clean(result.baseline.file ?? "baseline")):\(finding.authorization?.line ?? 0): \(clean(finding.authorization?.reason ?? ""))\n"
            }
        }
        let problems = FindingsTextRenderer.policyProblems(result)
        if !problems.isEmpty {
            out += "\n" + paint("POLICY FILE PROBLEMS", colors[.medium]) + "\n"
            for problem in problems { out += "  " + clean(problem) + "\n" }
        }
        return out

        func describe(_ f: Finding, paint: (String, String?) -> String) -> String {
            var text = "  " + paint("●", colors[f.severity]) + " " + paint(f.rule, bold) + " — " + clean(f.title) + "\n"
            text += "    " + clean(f.reason) + "\n"
            var who: [String] = []
            if let session = f.session { who.append("session " + clean(session)) }
            for value in [f.agent, f.actor, f.principal, f.repo, f.host] {
                if let value, !value.isEmpty, !who.contains(value) { who.append(clean(value)) }
            }
            if let ts = f.ts { who.append(Timestamp.format(ts)) }
            if !who.isEmpty { text += "    " + paint(who.joined(separator: " · "), dim) + "\n" }
            for detail in f.details.prefix(3) { text += "    " + paint("why: " + clean(detail), dim) + "\n" }
            text += "    evidence " + evidenceSummary(f.evidence, limit: 3, clean: clean) + "  " + paint("id " + f.id, dim) + "\n"
            return text
        }
    }

    /// `file:12, :14, :17 (+3 more)`: lines of one file share its name.
    static func evidenceSummary(_ evidence: [Evidence], limit: Int, clean: (String) -> String) -> String {
        guard !evidence.isEmpty else { return "(none)" }
        var parts: [String] = []
        var lastFile: String?
        for item in evidence.prefix(limit) {
            parts.append(item.file == lastFile ? ":\(item.line)" : "\(clean(item.file)):\(item.line)")
            lastFile = item.file
        }
        var text = parts.joined(separator: ", ")
        if evidence.count > limit { text += " (+\(evidence.count - limit) more)" }
        return text
    }

    /// Waivers that do not apply or matched nothing, and authorizations that matched nothing.
    public static func policyProblems(_ result: CheckResult) -> [String] {
        var out: [String] = []
        for (waiver, problem) in result.invalidWaivers {
            out.append("\(waiverLocation(waiver, file: result.waiversFile)) does not apply: \(problem)")
        }
        for waiver in result.unusedWaivers {
            out.append("\(waiverLocation(waiver, file: result.waiversFile)) matched no finding (or only findings an earlier waiver covers)")
        }
        // Over a window (a month's report), an authorization may be for another period's action: no problem of the file.
        for authorization in result.unusedAuthorizations where result.since == nil && result.until == nil {
            out.append("authorization of \(authorization.rule ?? authorization.category ?? "?") (\(result.baseline.file ?? "baseline"):\(authorization.line)) matched no finding")
        }
        return out
    }

    static func waiverLocation(_ waiver: Waivers.Waiver, file: String?) -> String {
        let what = waiver.findingID.map { "waiver for finding \($0)" } ?? "waiver for \(waiver.rule ?? "?")"
        return "\(what) (\(file ?? "waivers"):\(waiver.line))"
    }
}
