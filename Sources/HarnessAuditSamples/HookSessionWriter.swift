import HarnessAuditKit

/// Writes one Claude Code session as a logging hook would append it: one hook input
/// object per line, in firing order, with the `timestamp` the hook adds.
public struct HookSessionWriter {
    public var id: String
    public var cwd: String
    public var mode: String
    public var time: Int64
    public var model = "claude-sonnet-4-6"
    public var addTimestamps = true
    public private(set) var lines: [String] = []
    var rng: SeededRandom
    var transcript: String
    var promptID: String?

    public init(rng: inout SeededRandom, cwd: String, mode: String, start: Int64, home: String = "/home/alice") {
        id = rng.uuid()
        self.cwd = cwd
        self.mode = mode
        time = start
        self.rng = SeededRandom(seed: rng.next())
        let project = "-" + cwd.dropFirst().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        transcript = "\(home)/.claude/projects/\(project)/\(id).jsonl"
    }

    public enum Result {
        case success(J)
        case failure(String)
        /// No PostToolUse (the hook log shows only the call).
        case none
    }

    public enum Permission {
        case none
        /// A permission dialog was shown (PermissionRequest), then the user answered.
        case requested
        /// Auto mode's classifier denied it (PermissionDenied).
        case autoDenied(String)
    }

    mutating func advance(_ seconds: ClosedRange<Int> = 2...40) {
        time += Int64(rng.int(seconds)) * 1000 + Int64(rng.int(0...999))
    }

    mutating func emit(_ event: String, includeMode: Bool = true, _ extra: [(String, J)]) {
        var members: [(String, J)] = [("session_id", .s(id))]
        if let promptID, event != "SessionStart" && event != "SessionEnd" { members.append(("prompt_id", .s(promptID))) }
        members.append(("transcript_path", .s(transcript)))
        members.append(("cwd", .s(cwd)))
        if includeMode { members.append(("permission_mode", .s(mode))) }
        members.append(("hook_event_name", .s(event)))
        members += extra
        if addTimestamps { members.append(("timestamp", .s(Timestamp.format(time)))) }
        lines.append(J.o(members).text)
    }

    public mutating func start(source: String = "startup") {
        emit("SessionStart", includeMode: false, [("source", .s(source)), ("model", .s(model))])
        advance(1...5)
    }

    public mutating func prompt(_ text: String) {
        promptID = rng.uuid()
        emit("UserPromptSubmit", [("prompt", .s(text))])
        advance(2...8)
    }

    public mutating func setMode(_ newMode: String) { mode = newMode }

    /// One tool call: PreToolUse, optionally PermissionRequest / PermissionDenied, then the result.
    @discardableResult
    public mutating func tool(_ name: String, _ input: [(String, J)], result: Result = .success(.o([])),
                              permission: Permission = .none, duration: Int = 40) -> String {
        let callID = "toolu_01" + rng.hex(22)
        emit("PreToolUse", [("tool_name", .s(name)), ("tool_input", .o(input)), ("tool_use_id", .s(callID))])
        advance(0...1)
        switch permission {
        case .none:
            break
        case .requested:
            emit("PermissionRequest", [
                ("tool_name", .s(name)), ("tool_input", .o(input)),
                ("permission_suggestions", .a([.o([
                    ("type", .s("addRules")),
                    ("rules", .a([.o([("toolName", .s(name))])])),
                    ("behavior", .s("allow")), ("destination", .s("localSettings")),
                ])])),
            ])
            advance(3...20)
        case .autoDenied(let reason):
            emit("PermissionDenied", [("tool_name", .s(name)), ("tool_input", .o(input)), ("tool_use_id", .s(callID)),
                                      ("reason", .s(reason))])
            advance(1...3)
            return callID
        }
        switch result {
        case .success(let response):
            advance(0...3)
            emit("PostToolUse", [("tool_name", .s(name)), ("tool_input", .o(input)), ("tool_response", response),
                                 ("tool_use_id", .s(callID)), ("duration_ms", .int(duration))])
        case .failure(let error):
            advance(0...3)
            emit("PostToolUseFailure", [("tool_name", .s(name)), ("tool_input", .o(input)), ("tool_use_id", .s(callID)),
                                        ("error", .s(error)), ("duration_ms", .int(duration))])
        case .none:
            break
        }
        advance()
        return callID
    }

    @discardableResult
    public mutating func bash(_ command: String, description: String, result: Result? = nil,
                              permission: Permission = .none) -> String {
        let output = result ?? .success(.o([("stdout", .s("")), ("stderr", .s("")), ("interrupted", .b(false)),
                                            ("isImage", .b(false))]))
        return tool("Bash", [("command", .s(command)), ("description", .s(description)), ("timeout", .int(120_000))],
                    result: output, permission: permission, duration: rng.int(80...4000))
    }

    /// The time of the last line written.
    public var now: Int64 { time }

    public mutating func read(_ path: String, permission: Permission = .none) {
        tool("Read", [("file_path", .s(path))],
             result: .success(.o([("type", .s("text")), ("file", .o([("filePath", .s(path)), ("numLines", .int(rng.int(5...300)))]))])),
             permission: permission)
    }

    public mutating func write(_ path: String, content: String, permission: Permission = .none) {
        tool("Write", [("file_path", .s(path)), ("content", .s(content))],
             result: .success(.o([("filePath", .s(path)), ("success", .b(true))])), permission: permission)
    }

    public mutating func edit(_ path: String, old: String, new: String) {
        tool("Edit", [("file_path", .s(path)), ("old_string", .s(old)), ("new_string", .s(new))],
             result: .success(.o([("filePath", .s(path)), ("oldString", .s(old)), ("newString", .s(new)),
                                  ("userModified", .b(false)), ("replaceAll", .b(false))])))
    }

    public mutating func stop() {
        emit("Stop", [("stop_hook_active", .b(false))])
        advance(5...60)
    }

    public mutating func end(reason: String = "prompt_input_exit") {
        emit("SessionEnd", includeMode: false, [("reason", .s(reason))])
    }
}
