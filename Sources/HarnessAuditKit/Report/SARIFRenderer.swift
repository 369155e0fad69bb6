/// Renders `check --format sarif`: SARIF 2.1.0 that GitHub code scanning accepts. Every rule
/// is a reporting descriptor (descriptions, help with remediation, default level, a
/// `security-severity`, framework tags); every finding is a result at the log file and line
/// of its action's call (else its first evidence; the rest as related locations), with the finding id as a partial
/// fingerprint. Waived findings are results with an accepted external suppression.
public enum SARIFRenderer {
    public static let fingerprintKey = "harnessAuditFinding/v1"

    public static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "note"
        }
    }

    /// GitHub's scale: 9.0+ critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
    public static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .critical: return "9.5"
        case .high: return "8.0"
        case .medium: return "5.5"
        case .low: return "3.0"
        case .info: return "0.0"
        }
    }

    /// GitHub code scanning rejects a run of more than 25,000 results: a larger log keeps the most severe (every
    /// finding stays in the JSON output), and says how many it left out.
    public static let maximumResults = 25_000

    /// The findings and waived findings a log holds, at most `limit` of them: the most severe first (findings before
    /// waived ones), in their order otherwise; and how many were left out.
    static func kept(_ result: CheckResult, limit: Int) -> (findings: [Finding], waived: [Finding], omitted: Int) {
        let total = result.findings.count + result.waived.count
        guard total > limit else { return (result.findings, result.waived, 0) }
        let ranked = result.findings.enumerated().sorted { ($0.element.severity, $1.offset) > ($1.element.severity, $0.offset) }
        let findings = ranked.prefix(limit).sorted { $0.offset < $1.offset }.map(\.element)
        let waived = Array(result.waived.prefix(limit - findings.count))
        return (findings, waived, total - findings.count - waived.count)
    }

    public static func render(_ result: CheckResult, options: FindingsRenderOptions) -> String {
        var text = ""
        write(result, options: options) { text += $0 }
        return text
    }

    /// Writes the log to `sink` in pieces of about 64 KiB (their concatenation is `render`'s text).
    public static func write(_ result: CheckResult, options: FindingsRenderOptions, limit: Int = maximumResults,
                             to sink: (String) -> Void) {
        var w = JSONWriter(pretty: true)
        let (findings, waived, omitted) = kept(result, limit: limit)
        let rules = result.rules.sorted { $0.id < $1.id }
        var ruleIndex: [String: Int] = [:]
        for (index, rule) in rules.enumerated() { ruleIndex[rule.id] = index }

        w.beginObject()
        w.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
        w.field("version", "2.1.0")
        w.key("runs")
        w.beginArray()
        w.beginObject()
        w.key("tool")
        w.beginObject()
        w.key("driver")
        w.beginObject()
        w.field("name", "harness-audit")
        w.field("version", HarnessAuditVersion.string)
        w.field("semanticVersion", HarnessAuditVersion.string)
        w.key("rules")
        w.beginArray()
        for rule in rules { writeDescriptor(rule, severity: result.baseline.severities[rule.id] ?? result.baseline.severities[rule.metadata.category], to: &w) }
        w.endArray()
        w.endObject()
        w.endObject()
        w.key("invocations")
        w.beginArray()
        w.beginObject()
        w.field("executionSuccessful", true)
        w.field("endTimeUtc", Timestamp.format(options.generatedAt))
        if omitted > 0 {
            w.key("toolExecutionNotifications")
            w.beginArray()
            w.beginObject()
            w.field("level", "warning")
            w.key("message")
            w.beginObject()
            w.field("text", "\(omitted) of \(result.findings.count + result.waived.count) findings are left out of this log: GitHub code "
                    + "scanning accepts at most \(limit) results per run. It holds the most severe; `--format json` holds them all.")
            w.endObject()
            w.endObject()
            w.endArray()
        }
        w.endObject()
        w.endArray()
        w.key("automationDetails")
        w.beginObject()
        w.field("id", "harness-audit/check/")
        w.endObject()
        w.key("results")
        w.beginArray()
        for finding in findings {
            writeResult(finding, index: ruleIndex[finding.rule], to: &w)
            w.drain(to: sink)
        }
        for finding in waived {
            writeResult(finding, index: ruleIndex[finding.rule], to: &w)
            w.drain(to: sink)
        }
        w.endArray()
        if omitted > 0 {
            w.key("properties")
            w.beginObject()
            w.field("resultsOmitted", omitted)
            w.endObject()
        }
        w.endObject()
        w.endArray()
        w.endObject()
        sink(w.output + "\n")
    }

    static func writeDescriptor(_ rule: Rule, severity override: Severity?, to w: inout JSONWriter) {
        let m = rule.metadata
        let severity = override ?? m.severity
        w.beginObject()
        w.field("id", m.id)
        w.field("name", pascalCase(m.id))
        w.key("shortDescription")
        w.beginObject()
        w.field("text", m.title)
        w.endObject()
        w.key("fullDescription")
        w.beginObject()
        w.field("text", m.description)
        w.endObject()
        w.key("help")
        w.beginObject()
        w.field("text", "\(m.rationale)\n\nRemediation: \(m.remediation)\n\nFalse positives: \(m.falsePositives)")
        var markdown = "**Why it matters.** \(MarkdownText.escape(m.rationale))\n\n**Remediation.** \(MarkdownText.escape(m.remediation))\n\n"
        markdown += "**False positives.** \(MarkdownText.escape(m.falsePositives))\n\n**Controls.** "
        markdown += FrameworkCatalog.Framework.allCases.map { "\($0.title): \((m.frameworks[$0] ?? []).joined(separator: ", "))" }.joined(separator: "; ")
        if !m.references.isEmpty {
            markdown += "\n\n**References.** " + m.references.map { "<\($0)>" }.joined(separator: " ")
        }
        w.field("markdown", markdown)
        w.endObject()
        if let first = m.references.first(where: { $0.hasPrefix("https://") }) { w.field("helpUri", first) }
        w.key("defaultConfiguration")
        w.beginObject()
        w.field("level", level(severity))
        w.endObject()
        w.key("properties")
        w.beginObject()
        w.field("category", m.category)
        w.field("severity", severity.rawValue)
        w.field("security-severity", securitySeverity(severity))
        w.field("precision", "high")
        w.key("tags")
        w.beginArray()
        w.string("security")
        w.string("ai-agent")
        w.string(m.category)
        for framework in FrameworkCatalog.Framework.allCases {
            for control in m.frameworks[framework] ?? [] { w.string("\(framework.rawValue):\(control)") }
        }
        w.endArray()
        w.endObject()
        w.endObject()
    }

    static func writeResult(_ finding: Finding, index: Int?, to w: inout JSONWriter) {
        w.beginObject()
        w.field("ruleId", finding.rule)
        if let index { w.field("ruleIndex", index) }
        w.field("level", level(finding.severity))
        w.key("message")
        w.beginObject()
        var text = finding.reason
        if let session = finding.session { text += " (session \(session))" }
        w.field("text", text)
        w.endObject()
        w.key("locations")
        w.beginArray()
        // The line of the action itself (its call) where the finding has one, not whichever file sorts first (an OTel
        // batch line holding other calls' records).
        let primary = finding.evidence.firstIndex { $0.eventID != nil && $0.eventID == finding.anchorEventID } ?? 0
        if finding.evidence.indices.contains(primary) { writeLocation(finding.evidence[primary], id: nil, to: &w) }
        w.endArray()
        if finding.evidence.count > 1 {
            w.key("relatedLocations")
            w.beginArray()
            let related = finding.evidence.enumerated().filter { $0.offset != primary }.map(\.element)
            for (offset, item) in related.prefix(50).enumerated() { writeLocation(item, id: offset + 1, to: &w) }
            w.endArray()
        }
        w.key("partialFingerprints")
        w.beginObject()
        w.field(fingerprintKey, finding.id)
        w.endObject()
        if let waiver = finding.waiver {
            w.key("suppressions")
            w.beginArray()
            w.beginObject()
            w.field("kind", "external")
            w.field("status", "accepted")
            var justification = waiver.reason ?? ""
            if let owner = waiver.owner { justification += " (owner \(owner)" + (waiver.ticket.map { ", \($0)" } ?? "") + ", expires \(waiver.expires ?? "?"))" }
            w.field("justification", justification)
            w.endObject()
            w.endArray()
        }
        w.key("properties")
        w.beginObject()
        w.field("findingId", finding.id)
        w.field("category", finding.category)
        w.field("severity", finding.severity.rawValue)
        w.field("session", finding.session)
        w.field("ts", finding.ts.map(Timestamp.format))
        // A finding whose log has no time (Claude Code hook payloads) is placed, as windows place it, at its log file's time.
        if finding.ts == nil, let placed = finding.placedTs { w.field("placedAt", Timestamp.format(placed)) }
        for (name, value) in [("agent", finding.agent), ("actor", finding.actor), ("principal", finding.principal),
                              ("host", finding.host), ("repo", finding.repo), ("target", finding.target), ("command", finding.command)] {
            if let value { w.field(name, value) }
        }
        w.endObject()
        w.endObject()
    }

    static func writeLocation(_ evidence: Evidence, id: Int?, to w: inout JSONWriter) {
        w.beginObject()
        if let id { w.field("id", id) }
        w.key("physicalLocation")
        w.beginObject()
        w.key("artifactLocation")
        w.beginObject()
        w.field("uri", uri(evidence.file))
        w.endObject()
        w.key("region")
        w.beginObject()
        w.field("startLine", max(1, evidence.line))
        w.endObject()
        w.endObject()
        w.endObject()
    }

    /// A URI reference for a file path: relative paths stay relative (to the repository root,
    /// as GitHub expects), absolute ones become `file://` URIs; everything outside the
    /// unreserved set is percent-encoded.
    public static func uri(_ path: String) -> String {
        var out = path.hasPrefix("/") ? "file://" : ""
        var relative = path
        while relative.hasPrefix("./") { relative.removeFirst(2) }
        for byte in relative.utf8 {
            let allowed = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E || byte == 0x2F
            if allowed {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// `unconfirmed-delete` → `UnconfirmedDelete`.
    static func pascalCase(_ id: String) -> String {
        id.split(whereSeparator: { $0 == "-" || $0 == "." }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
