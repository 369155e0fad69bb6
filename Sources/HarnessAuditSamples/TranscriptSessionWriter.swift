import HarnessAuditKit

/// Writes one Claude Code session transcript (`~/.claude/projects/<project>/<session>.jsonl`).
public struct TranscriptSessionWriter {
    public let id: String
    public var cwd: String
    public var mode: String
    public var time: Int64
    public var branch = "main"
    public var version = "2.1.214"
    public private(set) var lines: [String] = []
    var rng: SeededRandom
    var parent: String?

    public init(rng: inout SeededRandom, cwd: String, mode: String, start: Int64) {
        id = rng.uuid()
        self.cwd = cwd
        self.mode = mode
        time = start
        self.rng = SeededRandom(seed: rng.next())
    }

    mutating func entry(_ type: String, _ extra: [(String, J)]) {
        let uuid = rng.uuid()
        var members: [(String, J)] = [("parentUuid", parent.map { .s($0) } ?? .null), ("isSidechain", .b(false)),
                                      ("userType", .s("external")), ("cwd", .s(cwd)), ("sessionId", .s(id)),
                                      ("version", .s(version)), ("gitBranch", .s(branch)), ("type", .s(type))]
        members += extra
        members += [("uuid", .s(uuid)), ("timestamp", .s(Timestamp.format(time)))]
        lines.append(J.o(members).text)
        parent = uuid
        time += Int64(rng.int(1...20)) * 1000 + Int64(rng.int(0...999))
    }

    public mutating func prompt(_ text: String) {
        entry("user", [("message", .o([("role", .s("user")), ("content", .s(text))])), ("permissionMode", .s(mode))])
    }

    public enum Result {
        case success(String)
        case failure(String)
        case rejectedByUser
        case deniedByRule
    }

    @discardableResult
    public mutating func tool(_ name: String, _ input: [(String, J)], result: Result) -> String {
        let callID = "toolu_01" + rng.hex(22)
        entry("assistant", [
            ("message", .o([("model", .s("claude-sonnet-4-6")), ("id", .s("msg_01" + rng.hex(22))), ("type", .s("message")),
                            ("role", .s("assistant")),
                            ("content", .a([.o([("type", .s("tool_use")), ("id", .s(callID)), ("name", .s(name)), ("input", .o(input))])])),
                            ("stop_reason", .s("tool_use")), ("stop_sequence", .null),
                            ("usage", .o([("input_tokens", .int(rng.int(3...40))), ("output_tokens", .int(rng.int(20...200)))]))])),
            ("requestId", .s("req_011" + rng.hex(20))),
        ])
        let (content, isError, toolUseResult): (String, Bool, J) = {
            switch result {
            case .success(let text): return (text, false, .o([("stdout", .s(text)), ("stderr", .s("")), ("interrupted", .b(false))]))
            case .failure(let text): return (text, true, .s("Error: " + text))
            case .rejectedByUser:
                return ("The user doesn't want to take this action right now. STOP what you are doing and wait for the user to tell you how to proceed.",
                        true, .s("Error: The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed."))
            case .deniedByRule:
                let command = input.first { $0.0 == "command" }.map { " with command " + ($0.1.text.trimmingCharacters(in: "\"")) } ?? ""
                let text = "Error: Permission to use \(name)\(command) has been denied."
                return (text, true, .s(text))
            }
        }()
        var block: [(String, J)] = [("tool_use_id", .s(callID)), ("type", .s("tool_result")), ("content", .s(content))]
        if isError { block.append(("is_error", .b(true))) }
        entry("user", [("message", .o([("role", .s("user")), ("content", .a([.o(block)]))])), ("toolUseResult", toolUseResult)])
        return callID
    }

    public mutating func say(_ text: String) {
        entry("assistant", [("message", .o([("model", .s("claude-sonnet-4-6")), ("id", .s("msg_01" + rng.hex(22))),
                                            ("type", .s("message")), ("role", .s("assistant")),
                                            ("content", .a([.o([("type", .s("text")), ("text", .s(text))])]))]))])
    }

    public mutating func summary(_ text: String) {
        lines.append(J.o([("type", .s("summary")), ("summary", .s(text)), ("leafUuid", .s(parent ?? ""))]).text)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
