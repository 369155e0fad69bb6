/// Bit flags stored per event.
public struct EventFlags: OptionSet, Hashable, Sendable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// The call id was not in the line; it was inferred (e.g. a Claude `PermissionRequest`
    /// matched to the preceding `PreToolUse` with the same tool and input).
    public static let callIDInferred = EventFlags(rawValue: 1 << 0)
    /// The event has no timestamp of its own.
    public static let noTimestamp = EventFlags(rawValue: 1 << 1)
    /// harness-v1 `prev_hash` was checked against the previous line of the session during ingest and matched.
    public static let chainVerified = EventFlags(rawValue: 1 << 2)
    /// harness-v1 `prev_hash` did not match the previous line of the session.
    public static let chainMismatch = EventFlags(rawValue: 1 << 3)
    /// harness-v1 `prev_hash` could not be checked during ingest (the previous line was not
    /// in this ingest); the hash is stored for `check` to verify.
    public static let chainUnverified = EventFlags(rawValue: 1 << 4)
    /// The line repeated a JSON key; the last value was used.
    public static let duplicateKeys = EventFlags(rawValue: 1 << 5)
    /// A known field had the wrong JSON type or an unusable value and was ignored.
    public static let invalidField = EventFlags(rawValue: 1 << 6)
    /// The event came from a sub-agent (Claude `agent_id`, transcript sidechain, Codex sub-agent).
    public static let subagent = EventFlags(rawValue: 1 << 7)
    /// The action explicitly asked to run outside the sandbox (Codex `require_escalated`,
    /// Claude `dangerouslyDisableSandbox`).
    public static let sandboxEscalation = EventFlags(rawValue: 1 << 8)
    /// The decision or outcome was inferred from surrounding records rather than stated.
    public static let decisionInferred = EventFlags(rawValue: 1 << 9)
    /// A result's targets say more than its call's and stand for the action (a Claude Code result's `gitOperation`:
    /// the branch a bare `git push` pushed, the pull request a script merged).
    public static let resultTargets = EventFlags(rawValue: 1 << 10)
}
