import HarnessAuditKit

/// Writes one `harness-v1` session (DESIGN §2.1) with `seq` and a `prev_hash` chain.
public struct HarnessSessionWriter {
    public var id: String
    public var time: Int64
    public var seq: Int64 = 0
    public var common: [(String, J)]
    public var mode: String
    public var chained = true
    public private(set) var lines: [String] = []
    var rng: SeededRandom
    var previousLine: String?

    public init(rng: inout SeededRandom, start: Int64, agent: String, version: String, actor: String,
                principal: String, host: String, repo: String, branch: String, cwd: String, mode: String) {
        id = "s-" + rng.hex(8)
        time = start
        self.mode = mode
        self.rng = SeededRandom(seed: rng.next())
        common = [("agent", .s(agent)), ("agent_version", .s(version)), ("actor", .s(actor)),
                  ("principal", .s(principal)), ("host", .s(host)), ("repo", .s(repo)), ("branch", .s(branch)),
                  ("cwd", .s(cwd))]
    }

    /// Skips sequence numbers, as when the harness lost events.
    public mutating func skipSeq(_ count: Int64) { seq += count }

    mutating func emit(_ kind: String, _ extra: [(String, J)], tamper: Bool = false) {
        seq += 1
        var members: [(String, J)] = [
            ("schema", .s("harness-v1")), ("ts", .s(Timestamp.format(time))), ("event_id", .s("e-" + rng.hex(10))),
            ("seq", .i(seq)), ("session_id", .s(id)),
        ]
        members += common
        members.append(("kind", .s(kind)))
        members += extra
        if chained, let previousLine {
            var digest = SHA256Digest.hex(SHA256Digest.digest(Array(previousLine.utf8)))
            if tamper { digest = String(digest.reversed()) }
            members.append(("prev_hash", .s(digest)))
        }
        let line = J.o(members).text
        lines.append(line)
        previousLine = line
        time += Int64(rng.int(1...30)) * 1000 + Int64(rng.int(0...999))
    }

    public mutating func start() {
        emit("session_start", [("permission_mode", .s(mode))])
    }

    public mutating func prompt(_ text: String) {
        emit("prompt", [("prompt", .s(text)), ("permission_mode", .s(mode))])
    }

    public enum Approval {
        /// Allowed by configuration (no human asked).
        case config
        /// A person approved this call.
        case user(String)
        /// Denied; the action did not run.
        case denied(String)
        /// Denied, yet the harness ran it anyway.
        case deniedButRan
    }

    public mutating func call(_ tool: String, _ input: [(String, J)], approval: Approval = .config,
                              environment: String? = nil, outcome: String = "success", tamper: Bool = false) {
        let callID = "c-" + rng.hex(6)
        var extra: [(String, J)] = [("tool", .s(tool)), ("call_id", .s(callID)), ("input", .o(input)),
                                    ("permission_mode", .s(mode))]
        var finalOutcome = outcome
        switch approval {
        case .config:
            extra += [("decision", .s("allow")), ("decision_source", .s("config"))]
        case .user(let who):
            extra += [("decision", .s("allow")), ("decision_source", .s("user")), ("approved_by", .s(who))]
        case .denied:
            extra += [("decision", .s("deny")), ("decision_source", .s("user"))]
            finalOutcome = "denied"
        case .deniedButRan:
            extra += [("decision", .s("deny")), ("decision_source", .s("policy"))]
        }
        if let environment { extra.append(("environment", .s(environment))) }
        emit("tool_call", extra, tamper: tamper)
        var result: [(String, J)] = [("tool", .s(tool)), ("call_id", .s(callID)), ("outcome", .s(finalOutcome)),
                                     ("duration_ms", .int(rng.int(20...5000)))]
        if case .denied(let reason) = approval { result.append(("reason", .s(reason))) }
        emit("tool_result", result)
    }

    public mutating func shell(_ command: String, approval: Approval = .config, environment: String? = nil,
                               outcome: String = "success") {
        call("shell", [("command", .s(command))], approval: approval, environment: environment, outcome: outcome)
    }

    public mutating func changeMode(to newMode: String) {
        let old = mode
        mode = newMode
        emit("mode_change", [("from_mode", .s(old)), ("to_mode", .s(newMode)), ("permission_mode", .s(newMode))])
    }

    public mutating func end() {
        emit("session_end", [("permission_mode", .s(mode))])
    }
}
