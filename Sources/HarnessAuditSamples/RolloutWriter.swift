import HarnessAuditKit

/// Writes one Codex session rollout (`rollout-<time>-<uuid>.jsonl`) and, alongside, the
/// OTel records its CLI would export for the same session.
public struct RolloutWriter {
    public let id: String
    public var time: Int64
    public var cwd: String
    public private(set) var lines: [String] = []
    public private(set) var otel: [String] = []
    public var email: String
    var rng: SeededRandom

    public init(rng: inout SeededRandom, cwd: String, start: Int64, email: String) {
        let h = rng.hex(32)
        let c = Array(h)
        id = "019" + String(c[3..<8]) + "-" + String(c[8..<12]) + "-7" + String(c[13..<16]) + "-b" + String(c[17..<20]) + "-" + String(c[20..<32])
        time = start
        self.cwd = cwd
        self.email = email
        self.rng = SeededRandom(seed: rng.next())
    }

    public var fileName: String {
        let stamp = String(Timestamp.format(time).prefix(19).map { $0 == ":" ? "-" : $0 })
        return "rollout-\(stamp)-\(id).jsonl"
    }

    mutating func line(_ type: String, _ payload: [(String, J)]) {
        lines.append(J.o([("timestamp", .s(Timestamp.format(time))), ("type", .s(type)), ("payload", .o(payload))]).text)
        time += Int64(rng.int(200...4000))
    }

    mutating func otelRecord(_ name: String, _ attributes: [(String, J)]) {
        var attrs: [J] = [
            .o([("key", .s("event.name")), ("value", .o([("stringValue", .s("codex." + name))]))]),
            .o([("key", .s("event.timestamp")), ("value", .o([("stringValue", .s(Timestamp.format(time)))]))]),
            .o([("key", .s("conversation.id")), ("value", .o([("stringValue", .s(id))]))]),
            .o([("key", .s("app.version")), ("value", .o([("stringValue", .s("0.150.1"))]))]),
            .o([("key", .s("user.email")), ("value", .o([("stringValue", .s(email))]))]),
        ]
        for (key, value) in attributes { attrs.append(.o([("key", .s(key)), ("value", value)])) }
        let record: J = .o([("timeUnixNano", .s(String(time * 1_000_000))), ("severityNumber", .int(9)),
                            ("severityText", .s("INFO")), ("attributes", .a(attrs))])
        otel.append(J.o([("resourceLogs", .a([.o([
            ("resource", .o([("attributes", .a([.o([("key", .s("service.name")), ("value", .o([("stringValue", .s("codex_cli_rs"))]))])]))])),
            ("scopeLogs", .a([.o([("scope", .o([("name", .s("codex_otel.log_only"))])), ("logRecords", .a([record]))])])),
        ])]))]).text)
    }

    static func string(_ text: String) -> J { .o([("stringValue", .s(text))]) }

    public mutating func start(approval: String, sandbox: String, repo: String) {
        line("session_meta", [("id", .s(id)), ("timestamp", .s(Timestamp.format(time))), ("cwd", .s(cwd)),
                              ("originator", .s("codex_cli_rs")), ("cli_version", .s("0.150.1")), ("source", .s("cli")),
                              ("model_provider", .s("openai")),
                              ("git", .o([("commit_hash", .s(rng.hex(12))), ("branch", .s("main")),
                                          ("repository_url", .s("git@github.com:\(repo).git"))]))])
        otelRecord("conversation_starts", [("approval_policy", RolloutWriter.string(approval)),
                                           ("sandbox_policy", RolloutWriter.string(sandbox)),
                                           ("mcp_servers", RolloutWriter.string("github, postgres"))])
        turn(approval: approval, sandbox: sandbox)
    }

    public mutating func turn(approval: String, sandbox: String) {
        line("turn_context", [("cwd", .s(cwd)), ("approval_policy", .s(approval)), ("sandbox_policy", .o([("type", .s(sandbox))])),
                              ("model", .s("gpt-5-codex")), ("effort", .s("high")), ("summary", .s("auto"))])
    }

    public mutating func prompt(_ text: String) {
        line("event_msg", [("type", .s("user_message")), ("message", .s(text)), ("images", .a([])), ("local_images", .a([])),
                           ("text_elements", .a([]))])
    }

    public enum Decision {
        case config
        case user
        case denied
    }

    /// An exec_command call, its output, and the OTel decision and result.
    public mutating func exec(_ command: String, decision: Decision = .config, exitCode: Int = 0, escalated: Bool = false) {
        let callID = "call_" + rng.hex(22)
        var args: [(String, J)] = [("cmd", .s(command)), ("workdir", .s(cwd)), ("yield_time_ms", .int(1000))]
        if escalated {
            args += [("sandbox_permissions", .s("require_escalated")), ("justification", .s("needs access outside the sandbox"))]
        }
        line("response_item", [("type", .s("function_call")), ("name", .s("exec_command")), ("arguments", .s(J.o(args).text)),
                               ("call_id", .s(callID))])
        let (raw, source): (String, String) = {
            switch decision {
            case .config: return ("approved", "config")
            case .user: return ("approved", "user")
            case .denied: return ("denied", "user")
            }
        }()
        otelRecord("tool_decision", [("tool_name", RolloutWriter.string("exec_command")), ("call_id", RolloutWriter.string(callID)),
                                     ("decision", RolloutWriter.string(raw)), ("source", RolloutWriter.string(source))])
        let output = decision == .denied ? "exec command rejected by user"
            : "Chunk ID: \(rng.hex(6))\nWall time: 0.\(rng.int(100...999)) seconds\nProcess exited with code \(exitCode)\nOriginal token count: 3\nOutput:\nok\n"
        line("response_item", [("type", .s("function_call_output")), ("call_id", .s(callID)), ("output", .s(output))])
        if decision != .denied {
            otelRecord("tool_result", [("tool_name", RolloutWriter.string("exec_command")), ("call_id", RolloutWriter.string(callID)),
                                       ("arguments", RolloutWriter.string(J.o([("cmd", .s(command))]).text)),
                                       ("duration_ms", RolloutWriter.string(String(rng.int(40...3000)))),
                                       ("success", RolloutWriter.string(exitCode == 0 ? "true" : "false"))])
        }
    }

    public mutating func patch(_ body: String) {
        let callID = "call_" + rng.hex(22)
        line("response_item", [("type", .s("custom_tool_call")), ("status", .s("completed")), ("call_id", .s(callID)),
                               ("name", .s("apply_patch")), ("input", .s(body))])
        otelRecord("tool_decision", [("tool_name", RolloutWriter.string("apply_patch")), ("call_id", RolloutWriter.string(callID)),
                                     ("decision", RolloutWriter.string("approved")), ("source", RolloutWriter.string("config"))])
        line("response_item", [("type", .s("custom_tool_call_output")), ("call_id", .s(callID)),
                               ("output", .s(J.o([("output", .s("Success.")), ("metadata", .o([("exit_code", .int(0)), ("duration_seconds", .d(0.1))]))]).text))])
    }

    public mutating func say(_ text: String) {
        line("event_msg", [("type", .s("agent_message")), ("message", .s(text))])
    }
}
