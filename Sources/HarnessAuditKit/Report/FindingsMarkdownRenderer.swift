/// Renders `check --format markdown`: a compact summary for a pull-request comment or a CI
/// job summary: the verdict, counts by severity, then one table row per finding (most severe
/// first). Every text from logs is escaped; the full report is `harness-audit report`.
public enum FindingsMarkdownRenderer {
    /// Rows shown before the table is cut (the JSON output has them all).
    public static let rowLimit = 200

    public static func render(_ result: CheckResult, options: FindingsRenderOptions) -> String {
        let verdict = options.verdict(result)
        var out = "## harness-audit check: "
        out += result.findings.isEmpty ? "no findings" : "\(result.findings.count) finding\(result.findings.count == 1 ? "" : "s")"
        out += verdict.failed ? " — **FAIL** (\(verdict.text))\n\n" : " — PASS (\(verdict.text))\n\n"
        out += "| severity | findings |\n|---|---:|\n"
        for severity in Severity.allCases.reversed() {
            out += "| \(severity.rawValue) | \(result.count(severity)) |\n"
        }
        out += "\n" + Format.count(result.actions, "action") + ", \(Format.grouped(result.riskyActions)) risky "
        out += "(\(Format.grouped(result.confirmedRiskyActions)) confirmed by a person), "
        out += Format.count(result.blockedAttempts, "blocked attempt") + ", \(result.waived.count) waived, "
        out += "\(result.authorized.count) authorized by the baseline"
        if result.previouslyReported > 0 { out += ", \(result.previouslyReported) already reported before (not shown)" }
        out += ".\n"
        if !result.sourcesBeingIngested.isEmpty {
            out += "\n**Warning:** " + MarkdownText.escape(FindingsTextRenderer.beingIngested(result.sourcesBeingIngested, clean: { $0 })) + ".\n"
        }
        if let others = FindingsTextRenderer.otherPrincipals(result, clean: { $0 }) { out += "\n" + MarkdownText.escape(others) + ".\n" }
        if !result.findings.isEmpty {
            out += "\n| severity | rule | finding | session | evidence | id |\n|---|---|---|---|---|---|\n"
            for finding in result.findings.prefix(rowLimit) { out += row(finding) }
            if result.findings.count > rowLimit {
                out += "\n\(result.findings.count - rowLimit) more findings are not shown; see `check --format json`.\n"
            }
        }
        if !result.waived.isEmpty {
            out += "\n<details><summary>Waived findings (\(result.waived.count))</summary>\n\n"
            out += "| severity | rule | finding | owner | expires | reason |\n|---|---|---|---|---|---|\n"
            for finding in result.waived.prefix(rowLimit) {
                let waiver = finding.waiver
                out += "| \(finding.severity.rawValue) | \(MarkdownText.code(finding.rule)) | \(MarkdownText.escape(finding.reason)) | "
                out += "\(MarkdownText.escape(waiver?.owner ?? "")) | \(MarkdownText.escape(waiver?.expires ?? "")) | "
                out += "\(MarkdownText.escape(waiver?.reason ?? "")) |\n"
            }
            out += "\n</details>\n"
        }
        let problems = FindingsTextRenderer.policyProblems(result)
        if !problems.isEmpty {
            out += "\n**Policy file problems**\n\n" + problems.map { "- " + MarkdownText.escape($0) + "\n" }.joined()
        }
        return out
    }

    static func row(_ finding: Finding) -> String {
        let severity = finding.severity >= .high ? "**\(finding.severity.rawValue)**" : finding.severity.rawValue
        let evidence = finding.evidence.prefix(2).map { MarkdownText.code("\($0.file):\($0.line)") }.joined(separator: " ")
            + (finding.evidence.count > 2 ? " +\(finding.evidence.count - 2)" : "")
        let session = finding.session.map { MarkdownText.code($0.count > 40 ? String($0.prefix(39)) + "…" : $0) } ?? ""
        return "| \(severity) | \(MarkdownText.code(finding.rule)) | \(MarkdownText.escape(finding.reason)) | \(session) | \(evidence) | \(MarkdownText.code(finding.id)) |\n"
    }
}
