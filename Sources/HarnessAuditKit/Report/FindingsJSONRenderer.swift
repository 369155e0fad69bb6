/// Renders `check --format json` (DESIGN §5): one document, `schemaVersion` 1, with a
/// `findings` array. Each finding has `id`, `rule`, `category`, `severity`, `title`, `reason`,
/// `session`, `ts` (ISO 8601 UTC) and `evidence` (`{file, line}`), plus who, what and why.
/// Waived findings, authorized findings and waiver problems follow in their own arrays.
public enum FindingsJSONRenderer {
    public static let schemaVersion = 1

    public static func render(_ result: CheckResult, options: FindingsRenderOptions,
                              extra: ((inout JSONWriter) -> Void)? = nil) -> String {
        var text = ""
        write(result, options: options, extra: extra) { text += $0 }
        return text
    }

    /// Writes the document to `sink` in pieces of about 64 KiB (their concatenation is `render`'s text).
    public static func write(_ result: CheckResult, options: FindingsRenderOptions,
                             extra: ((inout JSONWriter) -> Void)? = nil, to sink: (String) -> Void) {
        var w = JSONWriter(pretty: true)
        let verdict = options.verdict(result)
        w.beginObject()
        w.field("schemaVersion", schemaVersion)
        w.key("tool")
        w.beginObject()
        w.field("name", "harness-audit")
        w.field("version", HarnessAuditVersion.string)
        w.endObject()
        w.field("generatedAt", Timestamp.format(options.generatedAt))
        w.key("window")
        w.beginObject()
        w.field("since", result.since.map(Timestamp.format))
        w.field("until", result.until.map(Timestamp.format))
        w.endObject()
        w.key("baseline")
        w.beginObject()
        w.field("file", result.baseline.file)
        w.field("sha256", result.baseline.file == nil ? nil : result.baseline.sha256)
        w.endObject()
        w.key("summary")
        w.beginObject()
        w.field("findings", result.findings.count)
        w.key("bySeverity")
        w.beginObject()
        for severity in Severity.allCases.reversed() { w.field(severity.rawValue, result.count(severity)) }
        w.endObject()
        w.key("byCategory")
        w.beginObject()
        var categories: [String: Int] = [:]
        for finding in result.findings { categories[finding.category, default: 0] += 1 }
        for (category, count) in categories.sorted(by: { $0.key < $1.key }) { w.field(category, count) }
        w.endObject()
        w.field("waived", result.waived.count)
        w.field("authorized", result.authorized.count)
        w.field("previouslyReported", result.previouslyReported)
        w.field("actions", result.actions)
        w.field("riskyActions", result.riskyActions)
        w.field("confirmedRiskyActions", result.confirmedRiskyActions)
        w.field("blockedAttempts", result.blockedAttempts)
        w.field("undatedActions", result.undatedActions)
        w.field("sourcesBeingIngested", strings: result.sourcesBeingIngested)
        w.field("otherPrincipalRequests", result.otherPrincipalRequests)
        w.field("otherPrincipals", strings: result.otherPrincipals)
        w.field("rules", result.rules.count)
        w.field("failOn", options.failOn?.rawValue ?? "none")
        w.field("failed", verdict.failed)
        w.endObject()
        w.key("findings")
        w.beginArray()
        for finding in result.findings {
            write(finding, to: &w)
            w.drain(to: sink)
        }
        w.endArray()
        w.key("waived")
        w.beginArray()
        for finding in result.waived {
            write(finding, to: &w)
            w.drain(to: sink)
        }
        w.endArray()
        w.key("authorized")
        w.beginArray()
        for finding in result.authorized {
            write(finding, to: &w)
            w.drain(to: sink)
        }
        w.endArray()
        w.key("waiverProblems")
        w.beginArray()
        for (waiver, problem) in result.invalidWaivers {
            writeProblem(waiver, problem: "does not apply: " + problem, file: result.waiversFile, to: &w)
        }
        for waiver in result.unusedWaivers {
            writeProblem(waiver, problem: "matched no finding", file: result.waiversFile, to: &w)
        }
        w.endArray()
        w.key("unusedAuthorizations")
        w.beginArray()
        // As the text says it: only a check over all time knows an authorization covered no finding (over a window, it
        // may be for another period's).
        for authorization in result.unusedAuthorizations where result.since == nil && result.until == nil {
            w.beginObject()
            w.field("file", result.baseline.file)
            w.field("line", authorization.line)
            w.field("category", authorization.category)
            w.field("rule", authorization.rule)
            w.field("reason", authorization.reason)
            w.endObject()
        }
        w.endArray()
        // `--new-only`: the findings it left out as already reported, so this output can be the next `--previous`.
        if !result.previouslyReportedIDs.isEmpty {
            w.field("previouslyReportedIDs", strings: result.previouslyReportedIDs)
        }
        extra?(&w)
        w.endObject()
        sink(w.output + "\n")
    }

    static func write(_ finding: Finding, to w: inout JSONWriter) {
        w.beginObject()
        w.field("id", finding.id)
        w.field("rule", finding.rule)
        w.field("category", finding.category)
        w.field("severity", finding.severity.rawValue)
        w.field("title", finding.title)
        w.field("reason", finding.reason)
        w.field("session", finding.session)
        w.field("ts", finding.ts.map(Timestamp.format))
        // A finding whose log has no time (Claude Code hook payloads) is placed, as windows place it, at its log file's time.
        if finding.ts == nil, let placed = finding.placedTs { w.field("placedAt", Timestamp.format(placed)) }
        w.key("evidence")
        w.beginArray()
        for item in finding.evidence {
            w.beginObject()
            w.field("file", item.file)
            w.field("line", item.line)
            w.endObject()
        }
        w.endArray()
        for (name, value) in [("agent", finding.agent), ("actor", finding.actor), ("principal", finding.principal),
                              ("host", finding.host), ("repo", finding.repo), ("target", finding.target), ("command", finding.command)] {
            if let value { w.field(name, value) }
        }
        if !finding.targets.isEmpty { w.field("targets", strings: Array(Set(finding.targets)).sorted()) }
        if !finding.details.isEmpty { w.field("details", strings: finding.details) }
        w.frameworks(finding.frameworks)
        if !finding.properties.isEmpty {
            w.key("properties")
            w.beginObject()
            for (name, value) in finding.properties { w.field(name, value) }
            w.endObject()
        }
        if let waiver = finding.waiver {
            w.key("waiver")
            w.beginObject()
            w.field("reason", waiver.reason)
            w.field("owner", waiver.owner)
            w.field("ticket", waiver.ticket)
            w.field("expires", waiver.expires)
            w.field("line", waiver.line)
            w.endObject()
        }
        if let authorization = finding.authorization {
            w.key("authorization")
            w.beginObject()
            w.field("reason", authorization.reason)
            w.field("line", authorization.line)
            w.endObject()
        }
        w.endObject()
    }

    static func writeProblem(_ waiver: Waivers.Waiver, problem: String, file: String?, to w: inout JSONWriter) {
        w.beginObject()
        w.field("file", file)
        w.field("line", waiver.line)
        w.field("id", waiver.findingID)
        w.field("rule", waiver.rule)
        w.field("owner", waiver.owner)
        w.field("expires", waiver.expires)
        w.field("problem", problem)
        w.endObject()
    }
}
