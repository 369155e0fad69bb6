/// Decoder for Claude Code hook payloads (`reference/log-formats.md` §1.1) as appended to
/// a file by a logging hook: one hook input object per line. Codex hooks share the shape
/// and are recognised by their transcript path.
struct ClaudeHookDecoder: FormatDecoder {
    var format: LogFormat { .claudeHook }

    /// Keys logging hooks commonly add for the time (hook payloads carry none themselves).
    static let timeKeys: [StaticString] = ["timestamp", "ts", "time", "logged_at", "@timestamp", "received_at"]

    func decode(_ root: JSONValue, line: DecodeLine, state: DecodingState,
                into events: inout [EventRecord]) throws(LineRejection) {
        var flags: EventFlags = []
        guard let hookEvent = DecodeSupport.text(root["hook_event_name"], &flags) else {
            throw LineRejection(reason: LineRejection.missingField,
                                detail: "claude-hook: \"hook_event_name\" is empty or not a string")
        }
        let session = DecodeSupport.text(root["session_id"], &flags)
        let transcriptPath = DecodeSupport.text(root["transcript_path"], &flags)
        var base = EventRecord(format: .claudeHook, kind: .other)
        base.session = session
        base.name = hookEvent
        for key in ClaudeHookDecoder.timeKeys {
            if let ts = DecodeSupport.timestamp(root[key]) {
                base.ts = ts
                break
            }
        }
        if base.ts == nil { flags.insert(.noTimestamp) }
        let model = DecodeSupport.text(root["model"], &flags)
        let toolName = DecodeSupport.text(root["tool_name"], &flags)
        let agent = ClaudeHookDecoder.agent(transcriptPath: transcriptPath, model: model, tool: toolName)
        base.home = PathNormalizer.inferHome(from: transcriptPath)
        base.context = EventContext(
            agent: agent,
            agentVersion: DecodeSupport.text(root["version"] ?? root["claude_code_version"], &flags),
            actor: DecodeSupport.text(root["user_email"] ?? root["user"], &flags),
            host: DecodeSupport.text(root["hostname"] ?? root["host"], &flags),
            repo: DecodeSupport.text(root["repo"], &flags),
            branch: DecodeSupport.text(root["git_branch"] ?? root["branch"], &flags),
            cwd: DecodeSupport.text(root["cwd"], &flags),
            model: model)
        if let mode = DecodeSupport.text(root["permission_mode"], &flags) {
            base.policy.rawMode = mode
            base.policy.mode = PermissionMode.normalize(mode)
        }
        let agentID = DecodeSupport.text(root["agent_id"], &flags)
        if agentID != nil { flags.insert(.subagent) }
        var attributes: [(String, DecodeSupport.AttributeValue?)] = [
            ("prompt_id", .optional(DecodeSupport.text(root["prompt_id"], &flags))),
            ("agent_id", .optional(agentID)),
            ("agent_type", .optional(DecodeSupport.text(root["agent_type"], &flags))),
        ]

        let toolInput = root["tool_input"]
        let toolUseID = DecodeSupport.text(root["tool_use_id"], &flags)
        base.tool = toolName
        base.callID = toolUseID
        if let toolInput, toolInput.isObject {
            if ClaudeHookDecoder.isShellTool(toolName) { base.command = DecodeSupport.shellCommand(toolInput) }
            if toolInput["dangerouslyDisableSandbox"]?.bool == true { flags.insert(.sandboxEscalation) }
        }
        base.durationMs = DecodeSupport.integer(root["duration_ms"], &flags)
        let inputHash = toolInput.map { ContentHash.hash($0.rawBytes) } ?? 0
        // What the input acts on: the command, else the file or address, else all of it.
        let subject = toolInput.flatMap { input in
            (ClaudeHookDecoder.isShellTool(toolName) ? base.command : nil)
                ?? input["file_path"]?.string ?? input["notebook_path"]?.string ?? input["path"]?.string ?? input["url"]?.string
        }
        let subjectHash = subject.map { text in var copy = text; return copy.withUTF8 { ContentHash.hash(UnsafeRawBufferPointer($0)) } }
            ?? inputHash

        // A result that names no call (hook payloads of builds before `tool_use_id`): the pending call of the same tool and
        // input, as a permission request's.
        func inferResultCall() {
            if base.callID == nil, let session, let toolName,
               let inferred = state.inferCall(session: session, tool: toolName, inputHash: inputHash, subjectHash: subjectHash) {
                base.callID = inferred
                flags.insert(.callIDInferred)
            }
        }
        var namesItself = false
        switch hookEvent {
        case "PreToolUse":
            base.kind = .toolCall
            if let session, let toolName, let toolUseID {
                state.rememberToolUse(session: session, tool: toolName, inputHash: inputHash, subjectHash: subjectHash, callID: toolUseID)
            }
            namesItself = toolUseID == nil
        case "PermissionRequest":
            base.kind = .permissionRequest
            base.decision = .ask
            if base.callID == nil, let session, let toolName,
               let inferred = state.inferCall(session: session, tool: toolName, inputHash: inputHash, subjectHash: subjectHash) {
                base.callID = inferred
                flags.insert(.callIDInferred)
            }
            if let suggestions = root["permission_suggestions"], suggestions.isArray {
                attributes.append(("permission_suggestions", .json(suggestions.rawText)))
            }
        case "PostToolUse":
            base.kind = .toolResult
            // A command interrupted (Esc, a timeout) ran in part: a failure, never a success.
            base.outcome = root["tool_response"]?["interrupted"]?.bool == true ? .failure : .success
            inferResultCall()
            if let response = root["tool_response"] {
                attributes += ClaudeHookDecoder.responseFacts(response)
            }
            complete(base, state)
        case "PostToolUseFailure":
            base.kind = .toolResult
            base.outcome = .failure
            inferResultCall()
            let error = DecodeSupport.text(root["error"], &flags)
            attributes.append(("error", .clipped(error)))
            attributes.append(("is_interrupt", .optional(root["is_interrupt"]?.bool)))
            if let error, let exit = ClaudeHookDecoder.exitCode(error) { attributes.append(("exit_code", .int(exit))) }
            complete(base, state)
        case "PermissionDenied":
            base.kind = .permissionDecision
            base.decision = .deny
            base.decisionSource = .auto
            base.outcome = .denied
            attributes.append(("reason", .clipped(DecodeSupport.text(root["reason"], &flags))))
            complete(base, state)
        case "PostToolBatch":
            try decodeBatch(root, base: base, flags: flags, attributes: attributes, line: line, state: state,
                            into: &events)
            return
        case "UserPromptSubmit":
            base.kind = .prompt
            attributes.append(("prompt", .clipped(DecodeSupport.text(root["prompt"], &flags))))
        case "SessionStart":
            base.kind = .sessionStart
            attributes.append(("source", .optional(DecodeSupport.text(root["source"], &flags))))
            attributes.append(("session_title", .clipped(DecodeSupport.text(root["session_title"], &flags))))
        case "SessionEnd":
            base.kind = .sessionEnd
            attributes.append(("reason", .optional(DecodeSupport.text(root["reason"], &flags))))
            if let session { state.endSession(session) }
        case "ConfigChange":
            base.kind = .config
            attributes.append(("source", .optional(DecodeSupport.text(root["source"], &flags))))
            attributes.append(("file_path", .optional(DecodeSupport.text(root["file_path"], &flags))))
        case "Notification":
            attributes.append(("notification_type", .optional(DecodeSupport.text(root["notification_type"], &flags))))
            attributes.append(("message", .clipped(DecodeSupport.text(root["message"], &flags))))
        case "StopFailure":
            attributes.append(("error", .clipped(DecodeSupport.text(root["error"], &flags))))
        case "SubagentStart", "SubagentStop":
            flags.insert(.subagent)
        case "CwdChanged":
            attributes.append(("new_cwd", .optional(DecodeSupport.text(root["new_cwd"] ?? root["cwd"], &flags))))
        default:
            break
        }
        if base.tool != nil, let text = toolInput?.string, HarnessV1Decoder.isEncodedObject(text) {
            // The input object written as a JSON string by a logging wrapper (`"tool_input": "{\"command\": …}"`): read
            // as the object it encodes, and flagged.
            flags.insert(.invalidField)
            state.withNestedJSON(text) { json in
                if let json, json.isObject {
                    if ClaudeHookDecoder.isShellTool(toolName) { base.command = DecodeSupport.shellCommand(json) }
                    state.classify(&base, input: json)
                } else {
                    state.classify(&base, input: toolInput)
                }
            }
        } else if base.tool != nil {
            state.classify(&base, input: toolInput)
        }
        base.attributes = DecodeSupport.attributes(attributes)
        base.flags = flags
        base.contentKey = DecodeSupport.contentKey(line: line.bytes, record: 0)
        if hookEvent == "PostToolUse" { state.applyGitOperation(root["tool_response"]?["gitOperation"], to: &base) }
        // Lines that name their call are told apart by it; those that name none (a dialog, a prompt) by the call they were
        // paired with (a `PermissionRequest` with the `PreToolUse` before it: two dialogs for `rm -rf dist`, in two files
        // of a rotated log, are two dialogs, while a copy of a file pairs its dialogs as the original did), and by their
        // order.
        if base.ts == nil, toolUseID == nil {
            let call = flags.contains(.callIDInferred) ? base.callID : nil
            func key(_ repeats: Int) -> UInt64 {
                let key = DecodeSupport.contentKey(line: line.bytes, record: 0, repeat: repeats)
                return call.map { ContentHash.hash($0, seed: key) } ?? key
            }
            base.contentKey = key(0)
            let seen = state.repeats(of: base.contentKey)
            if seen > 0 { base.contentKey = key(seen) }
        }
        // A call that names no id gets one of its own line (its content key: a repeat of the same line is another call),
        // so that its permission request and its result, which name none either, join it.
        if namesItself, let session = base.session, let toolName {
            base.callID = "hook-" + String(base.contentKey, radix: 16)
            base.flags.insert(.callIDInferred)
            state.rememberToolUse(session: session, tool: toolName, inputHash: inputHash, subjectHash: subjectHash, callID: base.callID!)
        }
        events.append(base)
    }

    private func complete(_ event: EventRecord, _ state: DecodingState) {
        if let session = event.session, let tool = event.tool, let call = event.callID {
            state.completeToolUse(session: session, tool: tool, callID: call)
        }
    }

    /// `PostToolBatch`: one result event per element of `tool_calls`.
    private func decodeBatch(_ root: JSONValue, base: EventRecord, flags: EventFlags,
                             attributes: [(String, DecodeSupport.AttributeValue?)], line: DecodeLine,
                             state: DecodingState, into events: inout [EventRecord]) throws(LineRejection) {
        let calls = root["tool_calls"]?.elements ?? []
        if calls.isEmpty {
            var event = base
            event.attributes = DecodeSupport.attributes(attributes)
            event.flags = flags
            event.contentKey = DecodeSupport.contentKey(line: line.bytes, record: 0)
            events.append(event)
            return
        }
        for (index, call) in calls.enumerated() {
            var event = base
            var callFlags = flags
            event.kind = .toolResult
            event.recordIndex = index
            event.tool = DecodeSupport.text(call["tool_name"], &callFlags)
            event.callID = DecodeSupport.text(call["tool_use_id"], &callFlags)
            event.outcome = .success
            if let input = call["tool_input"], input.isObject {
                event.command = ClaudeHookDecoder.isShellTool(event.tool) ? DecodeSupport.shellCommand(input) : nil
                state.classify(&event, input: input)
            }
            event.attributes = DecodeSupport.attributes(attributes + [("batch_index", .int(Int64(index)))])
            event.flags = callFlags
            event.contentKey = DecodeSupport.contentKey(line: line.bytes, record: index)
            complete(event, state)
            events.append(event)
        }
    }

    static func isShellTool(_ name: String?) -> Bool {
        guard let name else { return false }
        return name == "Bash" || name == "PowerShell" || name == "BashOutput" || name == "Shell"
    }

    /// Which harness wrote a hook payload: Codex's hooks send the same shape (log-formats §2.4), told apart by its
    /// transcript under `~/.codex/`, an OpenAI model, or Codex's own `apply_patch` tool; else Claude Code.
    static func agent(transcriptPath: String?, model: String? = nil, tool: String? = nil) -> String {
        if let path = transcriptPath, path.containsASCII("/.codex/") || path.containsASCII("/rollout-") { return "codex" }
        if let model {
            let lowered = model.lowercased()
            if lowered.containsASCII("claude") || lowered.hasPrefix("anthropic") { return "claude-code" }
            if lowered.hasPrefix("gpt-") || lowered.containsASCII("codex") || lowered.hasPrefix("o3") || lowered.hasPrefix("o4")
                || lowered.hasPrefix("openai/") { return "codex" }
        }
        if transcriptPath == nil, tool == "apply_patch" { return "codex" }
        return "claude-code"
    }

    /// Facts from a `tool_response` worth keeping: Bash `gitOperation` (pushes, merged PRs), exit status.
    static func responseFacts(_ response: JSONValue) -> [(String, DecodeSupport.AttributeValue?)] {
        guard response.isObject else { return [] }
        var facts: [(String, DecodeSupport.AttributeValue?)] = []
        if let git = response["gitOperation"], git.isObject {
            facts.append(("git_operation", .json(git.rawText)))
        }
        if let interrupted = response["interrupted"]?.bool, interrupted { facts.append(("interrupted", .bool(true))) }
        if let code = response["exitCode"]?.int64 ?? response["exit_code"]?.int64 { facts.append(("exit_code", .int(code))) }
        return facts
    }

    /// "Exit code 2\n…" → 2.
    static func exitCode(_ error: String) -> Int64? {
        guard error.hasPrefix("Exit code ") else { return nil }
        let digits = error.dropFirst(10).prefix { $0.isNumber || $0 == "-" }
        return Int64(digits)
    }
}
