/// The normalised approval posture in force for an event. Raw values are stored.
///
/// Each harness spells its modes differently; `normalize` maps them here and the raw
/// spelling is kept next to it (see `PolicyState`).
public enum PermissionMode: Int, CaseIterable, Sendable, Codable {
    case `default` = 1
    case acceptEdits = 2
    case plan = 3
    case auto = 4
    case bypass = 5
    case dontAsk = 6
    /// A value no mapping knows. The raw text is kept in the policy row.
    case unknown = 9

    public var name: String {
        switch self {
        case .default: return "default"
        case .acceptEdits: return "accept_edits"
        case .plan: return "plan"
        case .auto: return "auto"
        case .bypass: return "bypass"
        case .dontAsk: return "dont_ask"
        case .unknown: return "unknown"
        }
    }

    /// Maps any harness's mode spelling (harness-v1, Claude Code, Gemini CLI) to a mode.
    public static func normalize(_ raw: String) -> PermissionMode {
        // The spellings harnesses actually log, without allocating.
        switch raw {
        case "default": return .default
        case "bypass", "bypassPermissions": return .bypass
        case "acceptEdits", "accept_edits": return .acceptEdits
        case "plan": return .plan
        case "auto": return .auto
        case "yolo": return .bypass
        case "dontAsk": return .dontAsk
        default: break
        }
        let key = raw.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " }
        switch key {
        case "default", "manual", "normal", "ask": return .default
        case "acceptedits", "autoedit", "autoedits", "acceptedit": return .acceptEdits
        case "plan", "readonly": return .plan
        case "auto": return .auto
        case "bypass", "bypasspermissions", "yolo", "dangerouslyskippermissions": return .bypass
        case "dontask": return .dontAsk
        default: return .unknown
        }
    }
}
