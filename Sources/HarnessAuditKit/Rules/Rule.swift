/// One rule: its metadata, its query, where it came from, and its test fixtures.
public struct Rule: Sendable {
    public var metadata: RuleMetadata
    /// The `SELECT` statement (the file without its header).
    public var sql: String
    /// The file the rule was loaded from (`queries/rules/…` for the built-in pack).
    public var file: String
    /// 1-based line of the file where the SQL starts.
    public var sqlLine: Int
    /// Whether the rule ships with harness-audit.
    public var builtIn: Bool
    /// Logs that must raise this rule in every session they hold, and logs that must not raise it.
    public var positiveFixture: RuleFixture?
    public var negativeFixture: RuleFixture?

    public var id: String { metadata.id }
}

/// A rule's test input: a log file in a real format (`<id>.positive.jsonl`,
/// `<id>.negative.jsonl`, optionally gzip-compressed as `.jsonl.gz`).
public struct RuleFixture: Sendable, Equatable {
    public var fileName: String
    public var bytes: [UInt8]

    public init(fileName: String, bytes: [UInt8]) {
        self.fileName = fileName
        self.bytes = bytes
    }
}
