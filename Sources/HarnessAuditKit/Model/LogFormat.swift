/// The input formats of DESIGN §2. Raw values are stored in the database.
public enum LogFormat: Int, CaseIterable, Sendable, Codable {
    case harnessV1 = 1
    case claudeHook = 2
    case claudeTranscript = 3
    case codexRollout = 4
    case otlpLogs = 5
    case k8sAudit = 6

    /// The format id used in the documentation, the CLI and JSON outputs.
    public var id: String {
        switch self {
        case .harnessV1: return "harness-v1"
        case .claudeHook: return "claude-hook"
        case .claudeTranscript: return "claude-transcript"
        case .codexRollout: return "codex-rollout"
        case .otlpLogs: return "otlp-logs"
        case .k8sAudit: return "k8s-audit"
        }
    }

    /// Whether its records each say which git branch the session is on (Claude transcripts' `gitBranch`,
    /// harness-v1's `branch`), rather than once per session (Codex's `session_meta`) or not at all.
    public var reportsBranchPerRecord: Bool { self == .harnessV1 || self == .claudeTranscript }

    public init?(id: String) {
        guard let match = LogFormat.allCases.first(where: { $0.id == id }) else { return nil }
        self = match
    }
}
