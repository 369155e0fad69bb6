/// The header of a rule file: `-- key: value` lines before the SQL. A value continues on
/// following lines that start with `--` and two more spaces.
///
///     -- id: unconfirmed-delete
///     -- title: Delete ran without a person confirming it
///     -- category: unconfirmed-delete
///     -- severity: high
///     -- frameworks: soc2=CC8.1,CC6.1; iso27001=A.8.32; nist80053=CM-3,CM-5
public struct RuleMetadata: Sendable, Equatable {
    public var id: String
    public var title: String
    public var category: String
    public var severity: Severity
    public var description: String
    public var rationale: String
    public var remediation: String
    public var references: [String]
    public var falsePositives: String
    public var frameworks: [FrameworkCatalog.Framework: [String]]
    public var version: Int

    public static let requiredKeys = ["id", "title", "category", "severity", "description", "rationale", "remediation",
                                      "references", "false_positives", "frameworks"]
    public static let knownKeys = Set(requiredKeys + ["version"])

    /// The categories of DESIGN §4.
    public static let categories: [String] = [
        "approval-bypass", "unconfirmed-delete", "sensitive-read", "production-deploy", "high-risk-command",
        "write-outside-scope", "schema-change", "merge-without-approval", "untested-change", "k8s-exec",
        "k8s-cross-namespace", "privilege-escalation", "long-lived-credential", "audit-gap",
    ]
}

/// Finding severity, ordered.
public enum Severity: String, CaseIterable, Comparable, Sendable, Codable {
    case info, low, medium, high, critical

    var rank: Int { Severity.allCases.firstIndex(of: self)! }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}
