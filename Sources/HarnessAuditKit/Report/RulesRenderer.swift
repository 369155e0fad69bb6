/// Renders the rule catalogue (`rules list`, `rules show`) and fixture results (`rules test`).
public enum RulesRenderer {
    public static func list(_ rules: [Rule]) -> String {
        let sorted = rules.sorted { ($0.metadata.category, $0.id) < ($1.metadata.category, $1.id) }
        let idWidth = max(4, sorted.map(\.id.count).max() ?? 0)
        let categoryWidth = max(8, sorted.map(\.metadata.category.count).max() ?? 0)
        var out = "ID".padding(to: idWidth) + "  " + "CATEGORY".padding(to: categoryWidth) + "  SEVERITY  SOURCE    TITLE\n"
        for rule in sorted {
            out += rule.id.padding(to: idWidth) + "  " + rule.metadata.category.padding(to: categoryWidth) + "  "
            let source = rule.sql.isEmpty ? "drift   " : rule.builtIn ? "built-in" : "team    "
            out += rule.metadata.severity.rawValue.padding(to: 8) + "  " + source + "  "
            out += rule.metadata.title + "\n"
        }
        let drift = rules.filter { $0.sql.isEmpty }.count
        out += "\n\(rules.count - drift) rules" + (drift > 0 ? " for check and \(drift) for drift" : "")
        out += "; `harness-audit rules show ID` for the details and the query.\n"
        return out
    }

    public static func listJSON(_ rules: [Rule]) -> String {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("schemaVersion", 1)
        w.key("rules")
        w.beginArray()
        for rule in rules.sorted(by: { $0.id < $1.id }) { write(rule, sql: false, to: &w) }
        w.endArray()
        w.endObject()
        return w.output + "\n"
    }

    public static func show(_ rule: Rule) -> String {
        let m = rule.metadata
        var out = "\(m.id) — \(m.title)\n"
        out += "  category:   \(m.category)\n  severity:   \(m.severity.rawValue)\n  version:    \(m.version)\n"
        out += "  file:       \(rule.file)\(rule.builtIn ? " (built in)" : "")\n"
        out += "  fixtures:   positive \(rule.positiveFixture?.fileName ?? "none"), negative \(rule.negativeFixture?.fileName ?? "none")\n\n"
        out += "Description\n  \(m.description)\n\nWhy it matters\n  \(m.rationale)\n\nRemediation\n  \(m.remediation)\n\n"
        out += "False positives\n  \(m.falsePositives)\n\nControls\n"
        for framework in FrameworkCatalog.Framework.allCases {
            out += "  \(framework.title): \((m.frameworks[framework] ?? []).joined(separator: ", "))\n"
        }
        out += "\nReferences\n" + m.references.map { "  \($0)\n" }.joined()
        if rule.sql.isEmpty {
            out += "\nQuery\n  none: `harness-audit drift` raises this rule by comparing periods and allowances (see the README's Least privilege section).\n"
            return out
        }
        out += "\nQuery (from line \(rule.sqlLine))\n" + rule.sql.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
        return out
    }

    public static func showJSON(_ rule: Rule) -> String {
        var w = JSONWriter(pretty: true)
        write(rule, sql: true, to: &w)
        return w.output + "\n"
    }

    static func write(_ rule: Rule, sql: Bool, to w: inout JSONWriter) {
        let m = rule.metadata
        w.beginObject()
        w.field("id", m.id)
        w.field("title", m.title)
        w.field("category", m.category)
        w.field("severity", m.severity.rawValue)
        w.field("version", m.version)
        w.field("builtIn", rule.builtIn)
        w.field("file", rule.file)
        w.field("description", m.description)
        w.field("rationale", m.rationale)
        w.field("remediation", m.remediation)
        w.field("falsePositives", m.falsePositives)
        w.field("references", strings: m.references)
        w.frameworks(m.frameworks)
        if sql { w.field("sql", rule.sql) }
        w.endObject()
    }

    public static func testResults(_ outcomes: [RuleTester.Outcome]) -> String {
        var out = ""
        for outcome in outcomes {
            out += (outcome.passed ? "PASS  " : "FAIL  ") + outcome.rule + " " + outcome.kind.rawValue
            out += outcome.fixture.map { " (\($0))" } ?? ""
            out += ": " + TerminalText.sanitize(outcome.message) + "\n"
            if outcome.rejectedLines > 0 && outcome.passed {
                out += "      note: the fixture has \(outcome.rejectedLines) line(s) that could not be read\n"
            }
        }
        let failed = outcomes.filter { !$0.passed }.count
        out += "\n\(outcomes.count - failed) passed, \(failed) failed (" + Format.count(Set(outcomes.map(\.rule)).count, "rule") + ")\n"
        return out
    }
}
