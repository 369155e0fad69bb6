import HarnessAuditKit

/// Writes OTLP/JSON log lines (one `LogsData` per line) for Claude Code and Gemini CLI events.
public struct OTelWriter {
    public private(set) var lines: [String] = []
    let service: String
    let scope: String

    public init(service: String, scope: String) {
        self.service = service
        self.scope = scope
    }

    public static func value(_ v: J) -> J {
        switch v {
        case .b(let flag): return .o([("boolValue", .b(flag))])
        case .i(let number): return .o([("intValue", .s(String(number)))])
        default: return .o([("stringValue", v)])
        }
    }

    public mutating func record(time: Int64, body: String?, attributes: [(String, J)]) {
        var record: [(String, J)] = [("timeUnixNano", .s(String(time * 1_000_000)))]
        if let body { record.append(("body", .o([("stringValue", .s(body))]))) }
        record.append(("attributes", .a(attributes.map { .o([("key", .s($0.0)), ("value", OTelWriter.value($0.1))]) })))
        lines.append(J.o([("resourceLogs", .a([.o([
            ("resource", .o([("attributes", .a([.o([("key", .s("service.name")), ("value", .o([("stringValue", .s(service))]))])]))])),
            ("scopeLogs", .a([.o([("scope", .o([("name", .s(scope))])), ("logRecords", .a([.o(record)]))])])),
        ])]))]).text)
    }

    /// A Claude Code tool decision for a call logged elsewhere (hooks or transcript).
    public mutating func claudeDecision(time: Int64, session: String, email: String, tool: String, callID: String,
                                        decision: String, source: String, command: String? = nil) {
        var attributes: [(String, J)] = [
            ("session.id", .s(session)), ("user.email", .s(email)), ("event.name", .s("tool_decision")),
            ("event.timestamp", .s(Timestamp.format(time))), ("tool_name", .s(tool)), ("tool_use_id", .s(callID)),
            ("decision", .s(decision)), ("source", .s(source)),
        ]
        if let command {
            attributes.append(("tool_parameters", .s(J.o([("bash_command", .s(String(command.split(separator: " ").first ?? ""))),
                                                          ("full_command", .s(command))]).text)))
        }
        record(time: time, body: "claude_code.tool_decision", attributes: attributes)
    }

    public mutating func claudeModeChange(time: Int64, session: String, from: String, to: String) {
        record(time: time, body: "claude_code.permission_mode_changed", attributes: [
            ("session.id", .s(session)), ("event.name", .s("permission_mode_changed")),
            ("event.timestamp", .s(Timestamp.format(time))), ("from_mode", .s(from)), ("to_mode", .s(to)),
            ("trigger", .s("shift_tab")),
        ])
    }

    public mutating func gemini(time: Int64, session: String, email: String, event: String, _ attributes: [(String, J)]) {
        record(time: time, body: nil, attributes: [
            ("session.id", .s(session)), ("installation.id", .s("4f2e9a1c")), ("interactive", .b(true)),
            ("user.email", .s(email)), ("event.name", .s("gemini_cli." + event)), ("event.timestamp", .s(Timestamp.format(time))),
        ] + attributes)
    }
}
