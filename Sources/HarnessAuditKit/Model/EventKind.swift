/// What an event is (DESIGN §2.1 kinds, plus `message` and `other` for entries that carry
/// no action but must still be kept). Raw values are stored in the database.
public enum EventKind: Int, CaseIterable, Sendable, Codable {
    case sessionStart = 1
    case sessionEnd = 2
    case prompt = 3
    case toolCall = 4
    case toolResult = 5
    case permissionRequest = 6
    case permissionDecision = 7
    case modeChange = 8
    case config = 9
    case message = 10
    case other = 11

    public var name: String {
        switch self {
        case .sessionStart: return "session_start"
        case .sessionEnd: return "session_end"
        case .prompt: return "prompt"
        case .toolCall: return "tool_call"
        case .toolResult: return "tool_result"
        case .permissionRequest: return "permission_request"
        case .permissionDecision: return "permission_decision"
        case .modeChange: return "mode_change"
        case .config: return "config"
        case .message: return "message"
        case .other: return "other"
        }
    }

    public init?(name: String) {
        guard let match = EventKind.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}
