/// Decoder for Claude Code session transcripts (`~/.claude/projects/*/*.jsonl`,
/// `reference/log-formats.md` §1.3): one entry per line, one content block per entry.
/// `tool_use` blocks become tool calls, `tool_result` blocks their results (with the
/// denial markers), user text becomes prompts; everything else is kept as `message`/`other`.
struct ClaudeTranscriptDecoder: FormatDecoder {
    var format: LogFormat { .claudeTranscript }

    /// The session a transcript file's name says (`7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13.jsonl`, gzipped too), if it is
    /// a UUID.
    static func sessionNamed(byFile path: String?) -> String? {
        guard let path else { return nil }
        var name = Substring(path.split(separator: "/").last ?? "")
        for suffix in [".gz", ".zst", ".jsonl", ".json"] where name.hasSuffix(suffix) { name = name.dropLast(suffix.count) }
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [8, 4, 4, 4, 12], name.allSatisfy({ $0 == "-" || $0.isHexDigit }) else { return nil }
        return String(name)
    }

    func decode(_ root: JSONValue, line: DecodeLine, state: DecodingState,
                into events: inout [EventRecord]) throws(LineRejection) {
        var flags: EventFlags = []
        let type = DecodeSupport.text(root["type"], &flags) ?? "unknown"
        var session = DecodeSupport.text(root["sessionId"] ?? root["session_id"], &flags)
        if let session {
            state.transcriptSession = session
        } else {
            // A summary or snapshot before the file's first entry that names it: the file's session, which its name is
            // (`~/.claude/projects/<project>/<sessionId>.jsonl`).
            session = state.transcriptSession ?? ClaudeTranscriptDecoder.sessionNamed(byFile: state.sourcePath)
        }
        var base = EventRecord(format: .claudeTranscript, kind: .other)
        base.session = session
        base.name = type
        base.ts = DecodeSupport.timestamp(root["timestamp"])
        if base.ts == nil { flags.insert(.noTimestamp) }
        let cwd = DecodeSupport.text(root["cwd"], &flags)
        base.context = EventContext(
            agent: "claude-code", agentVersion: DecodeSupport.text(root["version"], &flags),
            branch: DecodeSupport.text(root["gitBranch"], &flags).flatMap { $0 == "HEAD" ? nil : $0 }, cwd: cwd)
        base.home = PathNormalizer.inferHome(from: cwd)
        if root["isSidechain"]?.bool == true || root["agentId"] != nil { flags.insert(.subagent) }
        // A `permission-mode` (or `mode`) entry records the session's mode changing.
        let modeEntry = type == "permission-mode" || type == "mode"
        // A sub-agent runs in its own mode: its entries (in the main transcript in older layouts) carry its mode on, and
        // the parent's carry the parent's.
        let stream = session.map { flags.contains(.subagent) ? $0 + "\u{1}" + (root["agentId"]?.string ?? "sidechain") : $0 }
        if let mode = DecodeSupport.text(root["permissionMode"] ?? (modeEntry ? root["mode"] : nil), &flags) {
            if modeEntry { base.kind = .modeChange }
            base.policy = PolicyState(mode: PermissionMode.normalize(mode), rawMode: mode)
            if let stream { state.rememberPolicy(base.policy, session: stream) }
        } else if let stream, let session, let known = state.lastPolicy(session: stream) ?? state.lastPolicy(session: session) {
            // (A sub-agent that states no mode of its own runs in its parent's.)
            base.policy = known
        }
        var attributes: [(String, DecodeSupport.AttributeValue?)] = [
            ("uuid", .optional(DecodeSupport.text(root["uuid"], &flags))),
            ("agent_id", .optional(DecodeSupport.text(root["agentId"], &flags))),
            ("request_id", .optional(DecodeSupport.text(root["requestId"], &flags))),
        ]
        let message = root["message"]
        let content = message?["content"]
        var produced = 0
        switch type {
        case "assistant":
            base.kind = .message
            attributes.append(("message_id", .optional(message?["id"]?.string)))
            attributes.append(("model", .optional(message?["model"]?.string)))
            base.context.model = message?["model"]?.string
            for (index, block) in (content?.elements ?? []).enumerated() where block["type"]?.isString("tool_use") == true {
                var event = base
                var blockFlags = flags
                event.kind = .toolCall
                event.recordIndex = index
                event.tool = DecodeSupport.text(block["name"], &blockFlags)
                event.callID = DecodeSupport.text(block["id"], &blockFlags)
                let input = block["input"]
                if ClaudeHookDecoder.isShellTool(event.tool) { event.command = DecodeSupport.shellCommand(input) }
                if input?["dangerouslyDisableSandbox"]?.bool == true { blockFlags.insert(.sandboxEscalation) }
                state.classify(&event, input: input)
                event.attributes = DecodeSupport.attributes(attributes)
                event.flags = blockFlags
                event.contentKey = DecodeSupport.contentKey(line: line.bytes, record: index)
                events.append(event)
                produced += 1
            }
        case "user":
            if let text = content?.string {
                base.kind = root["isMeta"]?.bool == true ? .other : .prompt
                attributes.append(("prompt", .clipped(text)))
            } else {
                for (index, block) in (content?.elements ?? []).enumerated() {
                    if block["type"]?.isString("tool_result") == true {
                        var event = base
                        var blockFlags = flags
                        event.kind = .toolResult
                        event.recordIndex = index
                        event.callID = DecodeSupport.text(block["tool_use_id"], &blockFlags)
                        let text = ClaudeTranscriptDecoder.resultText(block["content"])
                        let extra = root["toolUseResult"]?.string
                        // The denial texts are trusted only on an error result (or with an explicit denial kind):
                        // a command's own output can contain the same words.
                        let denialKind = DecodeSupport.text(root["toolDenialKind"], &blockFlags)
                        let isError = block["is_error"]?.bool == true
                        let denial = isError || denialKind != nil
                            ? ClaudeTranscriptDecoder.denial(text: text, extra: isError ? extra : nil, kind: denialKind) : nil
                        if let denial {
                            event.outcome = .denied
                            event.decision = .deny
                            event.decisionSource = denial.source
                        } else {
                            // A command interrupted (Esc, a timeout) ran in part: a failure, never a success.
                            event.outcome = block["is_error"]?.bool == true || root["toolUseResult"]?["interrupted"]?.bool == true
                                ? .failure : .success
                        }
                        var resultAttributes = attributes
                        if let denial { resultAttributes.append(("denial", .text(denial.reason))) }
                        if event.outcome == .failure { resultAttributes.append(("error", .clipped(text ?? extra, 300))) }
                        if let exit = text.flatMap(ClaudeHookDecoder.exitCode) { resultAttributes.append(("exit_code", .int(exit))) }
                        event.attributes = DecodeSupport.attributes(resultAttributes)
                        event.flags = blockFlags
                        event.contentKey = DecodeSupport.contentKey(line: line.bytes, record: index)
                        if event.outcome == .success { state.applyGitOperation(root["toolUseResult"]?["gitOperation"], to: &event) }
                        events.append(event)
                        produced += 1
                    } else if block["type"]?.isString("text") == true, produced == 0 {
                        base.kind = root["isMeta"]?.bool == true ? .other : .prompt
                        attributes.append(("prompt", .clipped(block["text"]?.string)))
                    }
                }
            }
        case "summary":
            attributes.append(("summary", .clipped(DecodeSupport.text(root["summary"], &flags))))
        case "system":
            attributes.append(("subtype", .optional(DecodeSupport.text(root["subtype"], &flags))))
            attributes.append(("level", .optional(DecodeSupport.text(root["level"], &flags))))
        default:
            break
        }
        if produced > 0 { return }
        base.attributes = DecodeSupport.attributes(attributes)
        base.flags = flags
        base.contentKey = DecodeSupport.contentKey(line: line.bytes, record: 0)
        events.append(base)
    }

    /// The text of a tool_result's content (a string or text blocks).
    static func resultText(_ content: JSONValue?) -> String? {
        guard let content else { return nil }
        if let text = content.string { return text }
        let parts = content.elements.compactMap { $0["text"]?.string }
        return parts.isEmpty ? nil : parts.joined(separator: "\n")
    }

    struct Denial {
        var source: DecisionSource
        var reason: String
    }

    /// The denial markers of transcripts (matched loosely: their wording varies by version).
    static func denial(text: String?, extra: String?, kind: String?) -> Denial? {
        switch kind {
        case "permission-rule": return Denial(source: .config, reason: "denied by a permission rule")
        case "user-rejected": return Denial(source: .user, reason: "rejected by the user")
        case "cancelled": return Denial(source: .user, reason: "cancelled by the user")
        default: break
        }
        for whole in [text, extra].compactMap({ $0?.lowercased() }) {
            // The harness's own message is the whole result, or its first line. A command that ran and failed reports
            // `Exit code N` first, whatever its output then says: a command can print a denial's words itself.
            var candidate = Substring(whole.prefix { $0 != "\n" }).drop { $0 == " " }
            for prefix in ["<tool_use_error>", "error:", " "] where candidate.hasPrefix(prefix) {
                candidate = candidate.dropFirst(prefix.count).drop { $0 == " " }
            }
            if candidate.hasPrefix("exit code") { continue }
            if candidate.containsASCII("permission to use") && candidate.containsASCII("has been denied") {
                return Denial(source: .config, reason: "denied by a permission rule")
            }
            if candidate.containsASCII("doesn't want to take this action") || candidate.containsASCII("doesn't want to proceed")
                || candidate.containsASCII("tool use was rejected") || candidate.containsASCII("user rejected")
                || candidate.containsASCII("does not want to proceed") {
                return Denial(source: .user, reason: "rejected by the user")
            }
            // A headless run (`claude -p`) denies what no rule allows, with no one to ask.
            if candidate.containsASCII("requested permissions to") && (candidate.containsASCII("haven't granted it yet")
                                                                       || candidate.containsASCII("have not granted it yet")) {
                return Denial(source: .auto, reason: "denied: no permission granted (a headless run asks no one)")
            }
            // Claude Code's words for a PreToolUse hook that refused the call: "Hook PreToolUse:Bash denied this tool",
            // "PreToolUse:Bash hook error: [~/.claude/hooks/guard.sh]: Blocked: …" (the hook exited 2).
            if candidate.containsASCII("blocked by hook") || candidate.containsASCII("hook denied")
                || candidate.containsASCII("pretooluse") && (candidate.containsASCII("denied this tool") || candidate.containsASCII("hook error")) {
                return Denial(source: .hook, reason: "blocked by a hook")
            }
        }
        return nil
    }
}
