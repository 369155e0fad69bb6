/// Parses a rule file: the metadata header (the first block of `-- key: value` lines, ended by
/// a blank line), then one SQL statement, which may start with comments. Errors name the file
/// and the line.
public enum RuleParser {
    public static func parse(_ text: String, file: String, builtIn: Bool) throws(HarnessAuditError) -> Rule {
        var values: [String: (value: String, line: Int)] = [:]
        var order: [String] = []
        var currentKey: String?
        var sqlStart: Int?
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingSpaces.isEmpty {
                // The header is the first block of `--` lines; after it, comments belong to the SQL.
                if !values.isEmpty, sqlStart == nil {
                    sqlStart = lines[(index + 1)...].firstIndex { !$0.trimmingSpaces.isEmpty }.map { $0 + 1 }
                    break
                }
                currentKey = nil
                continue
            }
            guard line.hasPrefix("--") else {
                sqlStart = number
                break
            }
            let body = line.dropFirst(2)
            if body.hasPrefix("   "), let key = currentKey {
                values[key]!.value += " " + body.trimmingSpaces
                continue
            }
            let content = body.trimmingSpaces
            if content.isEmpty {
                currentKey = nil
                continue
            }
            guard let colon = content.firstIndex(of: ":") else {
                throw .invalidRule(file: file, line: number, message: "expected `-- key: value` in the rule header")
            }
            let key = String(content[..<colon]).trimmingSpaces.lowercased()
            let value = String(content[content.index(after: colon)...]).trimmingSpaces
            guard RuleMetadata.knownKeys.contains(key) else {
                throw .invalidRule(file: file, line: number, message: "unknown header key `\(key)` (known: \(RuleMetadata.knownKeys.sorted().joined(separator: ", ")))")
            }
            guard values[key] == nil else { throw .invalidRule(file: file, line: number, message: "`\(key)` is given twice") }
            values[key] = (value, number)
            order.append(key)
            currentKey = key
        }
        guard let sqlStart else { throw .invalidRule(file: file, line: lines.count, message: "the rule has no SQL statement") }
        for key in RuleMetadata.requiredKeys where (values[key]?.value ?? "").isEmpty {
            throw .invalidRule(file: file, line: values[key]?.line ?? 1, message: "the header lacks `\(key)`")
        }
        func value(_ key: String) -> String { values[key]?.value ?? "" }
        func line(_ key: String) -> Int { values[key]?.line ?? 1 }

        let id = value("id")
        guard id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }) else {
            throw .invalidRule(file: file, line: line("id"), message: "rule id `\(id)` must be lower-case letters, digits, `-` and `.`")
        }
        let stem = file.split(separator: "/").last.map { String($0.dropLast($0.hasSuffix(".sql") ? 4 : 0)) } ?? id
        if stem != id {
            throw .invalidRule(file: file, line: line("id"), message: "rule id `\(id)` does not match its file name `\(stem).sql`")
        }
        let category = value("category")
        guard RuleMetadata.categories.contains(category) else {
            throw .invalidRule(file: file, line: line("category"),
                               message: "unknown category `\(category)` (one of: \(RuleMetadata.categories.joined(separator: ", ")))")
        }
        guard let severity = Severity(rawValue: value("severity").lowercased()) else {
            throw .invalidRule(file: file, line: line("severity"),
                               message: "unknown severity `\(value("severity"))` (one of: \(Severity.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let frameworks = try parseFrameworks(value("frameworks"), file: file, line: line("frameworks"))
        var version = 1
        if let text = values["version"]?.value {
            guard let v = Int(text), v >= 1 else { throw .invalidRule(file: file, line: line("version"), message: "`version` must be a positive integer") }
            version = v
        }
        let metadata = RuleMetadata(
            id: id, title: value("title"), category: category, severity: severity, description: value("description"),
            rationale: value("rationale"), remediation: value("remediation"),
            references: value("references").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init),
            falsePositives: value("false_positives"), frameworks: frameworks, version: version)
        let sql = lines[(sqlStart - 1)...].joined(separator: "\n")
        return Rule(metadata: metadata, sql: sql, file: file, sqlLine: sqlStart, builtIn: builtIn)
    }

    /// `soc2=CC8.1,CC6.1; iso27001=A.8.32; nist80053=CM-3,CM-5`
    static func parseFrameworks(_ text: String, file: String, line: Int) throws(HarnessAuditError) -> [FrameworkCatalog.Framework: [String]] {
        var out: [FrameworkCatalog.Framework: [String]] = [:]
        for part in text.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
            guard pair.count == 2, let framework = FrameworkCatalog.Framework(rawValue: pair[0].lowercased()) else {
                throw .invalidRule(file: file, line: line,
                                   message: "frameworks must read `soc2=…; iso27001=…; nist80053=…` (got `\(part.trimmingSpaces)`)")
            }
            let controls = pair[1].split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
            for control in controls where !FrameworkCatalog.isValid(control, in: framework) {
                throw .invalidRule(file: file, line: line, message: "`\(control)` is not a control of \(framework.title)")
            }
            out[framework] = controls
        }
        for framework in FrameworkCatalog.Framework.allCases where (out[framework] ?? []).isEmpty {
            throw .invalidRule(file: file, line: line, message: "frameworks lack a mapping to \(framework.title)")
        }
        return out
    }
}
