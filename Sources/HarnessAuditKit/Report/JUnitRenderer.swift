/// Renders `check --format junit`: JUnit XML as Jenkins and GitLab read it (DESIGN §5: one test
/// case per rule, failures per finding). A rule with findings fails, with one `<failure>` per
/// finding (its severity as the type, its reason as the message, who, when and evidence in the
/// body). Which findings fail the build is the exit code's business (`--fail-on`), as with
/// Semgrep's and Checkov's JUnit; the threshold is a property of the suite. Waived findings go to
/// the test case's `<system-out>`, so they show without failing it.
public enum JUnitRenderer {
    public static func render(_ result: CheckResult, options: FindingsRenderOptions) -> String {
        let rules = result.rules.sorted { ($0.metadata.category, $0.id) < ($1.metadata.category, $1.id) }
        var byRule: [String: [Finding]] = [:]
        for finding in result.findings { byRule[finding.rule, default: []].append(finding) }
        var waivedByRule: [String: [Finding]] = [:]
        for finding in result.waived { waivedByRule[finding.rule, default: []].append(finding) }
        let failures = rules.reduce(0) { $0 + (byRule[$1.id]?.count ?? 0) }
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
            let waived = waivedByRule[rule.id] ?? []
            out += "    <testcase classname=\"harness-audit.\(XMLText.escape(rule.metadata.category))\" "
            out += "name=\"\(XMLText.escape(rule.id)): \(XMLText.escape(rule.metadata.title))\" time=\"0\">\n"
            for finding in findings {
                let message = "[\(finding.severity.rawValue)] \(finding.reason)"
                out += "      <failure message=\"\(XMLText.escape(truncate(message, 300)))\" type=\"\(finding.severity.rawValue)\">"
                out += XMLText.escape(describe(finding), keepNewlines: true)
                out += "\n\nRemediation: " + XMLText.escape(rule.metadata.remediation, keepNewlines: true)
                out += "</failure>\n"
            }
            if !waived.isEmpty {
                let text = waived.map { "waived (\($0.waiver?.owner ?? "?"), expires \($0.waiver?.expires ?? "?")): " + describe($0) }
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
