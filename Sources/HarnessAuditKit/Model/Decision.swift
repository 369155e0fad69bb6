/// A permission decision on one action. Raw values are stored.
public enum Decision: Int, CaseIterable, Sendable, Codable {
    case allow = 1
    case deny = 2
    case ask = 3

    public var name: String {
        switch self {
        case .allow: return "allow"
        case .deny: return "deny"
        case .ask: return "ask"
        }
    }

    /// Maps the spellings of every format: `allow`/`accept`/`approved`/`auto_accept`/`modify`,
    /// `deny`/`reject`/`denied`/`abort`/`block`/`timed_out`, `ask`.
    public static func normalize(_ raw: String) -> Decision? {
        switch raw.lowercased() {
        case "allow", "allowed", "accept", "accepted", "approve", "approved", "approved_for_session",
             "approvedforsession", "auto_accept", "modify", "proceed", "proceed_once", "proceed_always", "yes":
            return .allow
        case "deny", "denied", "reject", "rejected", "abort", "aborted", "block", "blocked", "forbid",
             "forbidden", "cancel", "cancelled", "timed_out", "timeout", "no":
            return .deny
        case "ask":
            return .ask
        default:
            if raw.lowercased().hasPrefix("approved") { return .allow }
            return nil
        }
    }
}

/// Who or what took a permission decision. Raw values are stored.
///
/// Only `user` is a human confirmation (DESIGN §4 `unconfirmed-delete`).
public enum DecisionSource: Int, CaseIterable, Sendable, Codable {
    case config = 1
    case user = 2
    case hook = 3
    case policy = 4
    case auto = 5

    public var name: String {
        switch self {
        case .config: return "config"
        case .user: return "user"
        case .hook: return "hook"
        case .policy: return "policy"
        case .auto: return "auto"
        }
    }

    /// Maps the spellings of every format: harness-v1 values, Claude `user_temporary` /
    /// `user_permanent` / `user_reject` / `user_abort`, Codex `User`/`Config`/`automated_reviewer`
    /// (whatever the case and separators: `AutomatedReviewer`, `automated-reviewer`). A source named but
    /// not known is something other than a person (`auto`): only a person's answer confirms.
    public static func normalize(_ raw: String) -> DecisionSource? {
        known(raw) ?? (raw.contains { $0.isLetter || $0.isNumber } ? .auto : nil)
    }

    /// A spelling of a source this tool knows; nil for any other (`normalize` takes those for `auto`).
    public static func known(_ raw: String) -> DecisionSource? {
        let key = raw.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "config", "configuration", "settings", "rule", "rules", "allowlist", "execpolicy", "prefixrule": return .config
        case "user", "human", "usertemporary", "userpermanent", "userreject", "userabort", "useronce", "usersession",
             "manual": return .user
        case "hook", "hooks": return .hook
        case "policy", "platform", "sandbox", "admin", "managed": return .policy
        case "auto", "automatic", "classifier", "automatedreviewer", "autoreviewer", "guardian", "reviewer", "model", "agent",
             "automode": return .auto
        default: return key.hasPrefix("user") ? .user : nil
        }
    }
}

/// How an action ended. Raw values are stored.
public enum Outcome: Int, CaseIterable, Sendable, Codable {
    case success = 1
    case failure = 2
    case denied = 3

    public var name: String {
        switch self {
        case .success: return "success"
        case .failure: return "failure"
        case .denied: return "denied"
        }
    }

    public static func normalize(_ raw: String) -> Outcome? {
        switch raw.lowercased() {
        case "success", "succeeded", "ok", "completed", "true": return .success
        case "failure", "failed", "error", "false", "interrupted", "timeout", "timed_out": return .failure
        case "denied", "blocked", "forbidden", "rejected", "deny": return .denied
        default: return nil
        }
    }
}
