/// Renders `check --format junit`: JUnit XML as Jenkins and GitLab read it. One test case per
/// rule; a rule with findings at or above `--fail-on` fails, its `<failure>` listing every such
/// finding with its evidence; findings below the threshold and waived findings go to the test
/// case's `<system-out>`, so they show without failing the build.
public enum JUnitRenderer {
    public static func render(_ result: CheckResult, options: FindingsRenderOptions) -> String {
        let rules = result.rules.sorted { ($0.metadata.category, $0.id) < ($1.metadata.category, $1.id) }
        var byRule: [String: [Finding]] = [:]
        for finding in result.findings { byRule[finding.rule, default: []].append(finding) }
        var waivedByRule: [String: [Finding]] = [:]
        for finding in result.waived { waivedByRule[finding.rule, default: []].append(finding) }
        func failing(_ finding: Finding) -> Bool { options.failOn.map { finding.severity >= $0 } ?? false }
        let failures = rules.filter { (byRule[$0.id] ?? []).contains(where: failing) }.count
        let time = seconds(result.elapsedSeconds)

        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"harness-audit\" tests=\"\(rules.count)\" failures=\"\(failures)\" errors=\"0\" time=\"\(time)\">\n"
        out += "  <testsuite name=\"harness-audit \(options.command)\" tests=\"\(rules.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(time)\">\n"
        out += "    <properties>\n"
        out += property("failOn", options.failOn?.rawValue ?? "none")
        out += property("findings", String(result.findings.count))
        out += property("waived", String(result.waived.count))
        out += property("baseline", result.baseline.file ?? "built-in default")
        out += "    </properties>\n"
        for rule in rules {
            let findings = byRule[rule.id] ?? []
            let failed = findings.filter(failing)
            let informational = findings.filter { !failing($0) }
            let waived = waivedByRule[rule.id] ?? []
            out += "    <testcase classname=\"harness-audit.\(XMLText.escape(rule.metadata.category))\" "
            out += "name=\"\(XMLText.escape(rule.id)): \(XMLText.escape(rule.metadata.title))\" time=\"0\">\n"
            if !failed.isEmpty {
                let worst = failed.map(\.severity).max() ?? rule.metadata.severity
                let message = "\(failed.count) finding\(failed.count == 1 ? "" : "s") (\(worst.rawValue)): \(failed[0].reason)"
                out += "      <failure message=\"\(XMLText.escape(truncate(message, 300)))\" type=\"\(worst.rawValue)\">"
                out += XMLText.escape(failed.map(describe).joined(separator: "\n\n"), keepNewlines: true)
                out += "\n\nRemediation: " + XMLText.escape(rule.metadata.remediation, keepNewlines: true)
                out += "</failure>\n"
            }
            if !informational.isEmpty || !waived.isEmpty {
                var text = informational.map { "below --fail-on: " + describe($0) }
                text += waived.map { "waived (\($0.waiver?.owner ?? "?"), expires \($0.waiver?.expires ?? "?")): " + describe($0) }
                out += "      <system-out>" + XMLText.escape(text.joined(separator: "\n\n"), keepNewlines: true) + "</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func describe(_ finding: Finding) -> String {
        var lines = ["[\(finding.severity.rawValue)] \(finding.reason)"]
        var who: [String] = []
        if let session = finding.session { who.append("session \(session)") }
        for value in [finding.agent, finding.actor, finding.principal, finding.repo] { if let value { who.append(value) } }
        if let ts = finding.ts { who.append(Timestamp.format(ts)) }
        if !who.isEmpty { lines.append(who.joined(separator: " · ")) }
        lines.append("evidence: " + finding.evidence.prefix(10).map { "\($0.file):\($0.line)" }.joined(separator: ", ")
                     + (finding.evidence.count > 10 ? " (+\(finding.evidence.count - 10) more)" : ""))
        lines.append("id: \(finding.id)")
        return lines.joined(separator: "\n")
    }

    static func property(_ name: String, _ value: String) -> String {
        "      <property name=\"\(XMLText.escape(name))\" value=\"\(XMLText.escape(value))\"/>\n"
    }

    static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        return "\(millis / 1000).\(Timestamp.pad(millis % 1000, 3))"
    }

    static func truncate(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
