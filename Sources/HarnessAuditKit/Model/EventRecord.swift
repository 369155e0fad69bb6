/// One canonical event (DESIGN §3): what a format decoder produces from a line and what
/// the store keeps. A line yields one event, except formats that batch several records
/// per line (OTLP, Claude `PostToolBatch`, k8s `EventList`), where `recordIndex` numbers them.
public struct EventRecord: Sendable {
    public var format: LogFormat
    /// 1-based line number in the decompressed source (set by the pipeline).
    public var line: Int64 = 0
    public var recordIndex: Int = 0
    /// Milliseconds since the epoch, UTC.
    public var ts: Int64?
    public var session: String?
    public var seq: Int64?
    public var kind: EventKind
    /// The format's own name for the record (`PreToolUse`, `tool_decision`, `function_call`, …).
    public var name: String?
    /// The raw tool name as logged (`Bash`, `Task`, `mcp__github__merge_pull_request`, `exec_command`).
    public var tool: String?
    /// Correlation key of the action (`tool_use_id`, `call_id`, k8s `auditID`).
    public var callID: String?
    public var context = EventContext()
    public var policy = PolicyState()
    public var decision: Decision?
    public var decisionSource: DecisionSource?
    public var approver: String?
    public var environment: String?
    public var outcome: Outcome?
    public var durationMs: Int64?
    /// The shell command of a shell tool call, when there is one.
    public var command: String?
    /// The user's home directory when the format reveals it (used to resolve `~`; not stored).
    public var home: String?
    /// Action classes bit set (see `ActionClass`), filled by classification.
    public var classes: Int64 = 0
    /// Extracted targets as JSON (`[{"kind":"path","value":"/etc/hosts"}, …]`), filled by classification.
    public var targets: String?
    /// Evidence that the action touched production (default policy), or nil.
    public var production: String?
    /// Format-specific facts as a small JSON object (k8s verb and namespace, denial reason, …).
    public var attributes: String?
    public var flags: EventFlags = []
    /// Idempotency key: equal for the same record seen twice, in any file.
    public var contentKey: UInt64 = 0
    /// harness-v1 `prev_hash` (32 bytes) when it must be verified by `check`.
    public var prevHash: [UInt8]?
    /// A harness-v1 line whose `prev_hash` is not the line before it in its own file. Not a column: when the store
    /// has the line already (a replayed line, a copy of the log with lines cut out or moved), the writer keeps the
    /// break in `chain_breaks`, so the copy's tampering is not lost with the duplicate.
    public var chainBreakInFile = false

    public init(format: LogFormat, kind: EventKind) {
        self.format = format
        self.kind = kind
    }
}
