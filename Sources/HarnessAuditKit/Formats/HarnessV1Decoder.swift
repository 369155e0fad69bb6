/// Decoder for `harness-v1`, the open schema of DESIGN §2.1. Required: `schema`, `ts`,
/// `session_id`, `kind`; everything else optional, unknown keys ignored.
struct HarnessV1Decoder: FormatDecoder {
    var format: LogFormat { .harnessV1 }

    static let kinds: [String: EventKind] = [
        "session_start": .sessionStart, "session_end": .sessionEnd, "prompt": .prompt, "tool_call": .toolCall,
        "tool_result": .toolResult, "permission_request": .permissionRequest,
        "permission_decision": .permissionDecision, "mode_change": .modeChange, "config": .config,
        "message": .message,
    ]

    /// Other spellings of the schema's kinds.
    static let kindSynonyms: [String: EventKind] = [
        "tool_use": .toolCall, "tool_invocation": .toolCall, "function_call": .toolCall, "tool_output": .toolResult,
        "tool_response": .toolResult, "function_call_output": .toolResult, "user_prompt": .prompt,
        "approval_request": .permissionRequest, "approval_decision": .permissionDecision, "permission_mode_change": .modeChange,
    ]

    /// A kind written in another case, with `-`, spaces or camel case, or as a synonym.
    /// Whether a string input is a JSON object written as text (`{"command": …}`), not a command line (`{ a; b; }` is one).
    static func isEncodedObject(_ text: String) -> Bool {
        guard let first = text.utf8.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }), first == UInt8(ascii: "{")
        else { return false }
        let trimmed = text.utf8.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }.dropFirst()
            .drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        return trimmed.first == UInt8(ascii: "\"") || trimmed.first == UInt8(ascii: "}")
    }

    static func kind(normalizing text: String) -> EventKind? {
        var snake = ""
        var previous: Character?
        for character in text.trimmingSpaces {
            if character.isUppercase, previous?.isLowercase == true { snake.append("_") }
            snake.append(character == "-" || character == " " || character == "." ? "_" : Character(character.lowercased()))
            previous = character
        }
        return kinds[snake] ?? kindSynonyms[snake]
    }

    /// The context a line states (each field optional: a session's `session_start` states them for its later lines).
    static func statedContext(_ root: JSONValue, _ flags: inout EventFlags) -> EventContext {
        EventContext(
            agent: DecodeSupport.text(root["agent"], &flags),
            agentVersion: DecodeSupport.text(root["agent_version"], &flags),
            actor: DecodeSupport.text(root["actor"], &flags),
            principal: DecodeSupport.text(root["principal"], &flags),
            host: DecodeSupport.text(root["host"], &flags),
            repo: DecodeSupport.text(root["repo"], &flags),
            branch: DecodeSupport.text(root["branch"], &flags),
            cwd: DecodeSupport.text(root["cwd"], &flags),
            model: DecodeSupport.text(root["model"], &flags))
    }

    /// Restores what a stored line of a file an ingest resumes told the decoder of its session: the context and
    /// environment it stated, which the session's later lines, in the part of the file not yet read, may leave out.
    /// Nothing else (its hash chain, its call ids) is touched.
    static func prime(_ root: JSONValue, state: DecodingState) {
        var flags: EventFlags = []
        guard let session = DecodeSupport.text(root["session_id"], &flags), let kindText = DecodeSupport.text(root["kind"], &flags) else {
            return
        }
        let kind = HarnessV1Decoder.kinds[kindText] ?? HarnessV1Decoder.kind(normalizing: kindText) ?? .other
        var event = EventRecord(format: .harnessV1, kind: kind)
        event.session = session
        event.context = statedContext(root, &flags)
        event.environment = DecodeSupport.text(root["environment"], &flags)
        state.fillHarnessV1Context(&event, setsEnvironment: kind == .sessionStart || kind == .config)
    }

    func decode(_ root: JSONValue, line: DecodeLine, state: DecodingState,
                into events: inout [EventRecord]) throws(LineRejection) {
        var flags: EventFlags = []
        guard let tsValue = root["ts"], !tsValue.isNull else {
            throw LineRejection(reason: LineRejection.missingField, detail: "harness-v1: missing required field \"ts\"")
        }
        guard let ts = DecodeSupport.timestamp(tsValue) else {
            throw LineRejection(reason: LineRejection.invalidField,
                                detail: "harness-v1: \"ts\" is not an ISO 8601 time or Unix time: \(Self.preview(tsValue))")
        }
        guard let session = DecodeSupport.text(root["session_id"], &flags) else {
            throw LineRejection(reason: LineRejection.missingField,
                                detail: "harness-v1: missing required field \"session_id\"")
        }
        guard let kindText = DecodeSupport.text(root["kind"], &flags) else {
            throw LineRejection(reason: LineRejection.missingField, detail: "harness-v1: missing required field \"kind\"")
        }
        // The schema's names in another case or spelling (`TOOL_CALL`, `tool-call`, `ToolCall`) and common synonyms
        // (`tool_use`) are the same kind, flagged as not the schema's own. Any other kind that names a tool and its input
        // is taken as a call, so a misnamed kind cannot keep a call from every rule.
        var kind = HarnessV1Decoder.kinds[kindText] ?? .other
        if kind == .other {
            if let known = HarnessV1Decoder.kind(normalizing: kindText) {
                kind = known
            } else if root["tool"]?.string != nil, let input = root["input"], !input.isNull {
                kind = .toolCall
            }
            if kind != .other { flags.insert(.invalidField) }
        }

        var event = EventRecord(format: .harnessV1, kind: kind)
        event.ts = ts
        event.session = session
        event.name = kindText
        event.seq = DecodeSupport.integer(root["seq"], &flags)
        event.tool = DecodeSupport.text(root["tool"], &flags)
        event.callID = DecodeSupport.text(root["call_id"], &flags)
        event.context = HarnessV1Decoder.statedContext(root, &flags)

        var toMode = DecodeSupport.text(root["to_mode"], &flags)
        let fromMode = DecodeSupport.text(root["from_mode"], &flags)
        if let mode = DecodeSupport.text(root["permission_mode"], &flags) {
            event.policy.rawMode = mode
            event.policy.mode = PermissionMode.normalize(mode)
        }
        // A mode change refused (`decision: deny`, `outcome: denied`) left the mode as it was: the mode it asked for is
        // kept as `requested_mode`, and the line states the mode it left, when it names it.
        let refused = kind == .modeChange
            && (root["decision"]?.string.flatMap(Decision.normalize) == .deny || root["outcome"]?.string.flatMap(Outcome.normalize) == .denied)
        var requestedMode: String?
        if refused {
            requestedMode = toMode ?? event.policy.rawMode
            toMode = nil
            event.policy.rawMode = fromMode
            event.policy.mode = fromMode.map(PermissionMode.normalize)
        } else if kind == .modeChange, let target = toMode ?? event.policy.rawMode {
            event.policy.rawMode = target
            event.policy.mode = PermissionMode.normalize(target)
            toMode = target
        }
        if let roots = root["writable_roots"], roots.isArray {
            let list = roots.elements.compactMap(\.string)
            if !list.isEmpty { event.policy.writableRoots = list.joined(separator: "\n") }
        }
        // What the harness's configuration grants (on `config` events, or any): an approval policy and a sandbox as
        // Codex names them, Claude Code-style permission rules and added directories (`permissions`, as in a
        // settings file, also under `settings` or `input`), and the MCP servers configured.
        event.policy.approvalPolicy = DecodeSupport.text(root["approval_policy"], &flags)
        event.policy.sandbox = DecodeSupport.text(root["sandbox"], &flags)
        // With no `permission_mode`, Codex's pair says the mode: `never` + `danger-full-access` is approvals off.
        if event.policy.mode == nil, event.policy.approvalPolicy != nil { CodexRolloutDecoder.normalize(&event.policy) }
        let permissions = root["permissions"] ?? root["settings"]?["permissions"] ?? root["input"]?["permissions"]
        let allowRules = (permissions?["allow"]).flatMap { $0.isArray && !$0.elements.isEmpty ? $0.rawText : nil }
        let directories = (permissions?["additionalDirectories"] ?? permissions?["additional_directories"])
            .flatMap { $0.isArray && !$0.elements.isEmpty ? $0.rawText : nil }
        let servers = root["mcp_servers"].flatMap { list -> String? in
            let names = list.isArray ? list.elements.compactMap(\.string) : list.keys
            return names.isEmpty ? nil : names.joined(separator: ",")
        }

        event.environment = DecodeSupport.text(root["environment"], &flags)
        // A session's context and environment stated once (on `session_start`) hold for its later lines.
        state.fillHarnessV1Context(&event, setsEnvironment: kind == .sessionStart || kind == .config)

        let decisionText = DecodeSupport.text(root["decision"], &flags)
        if let decision = decisionText {
            event.decision = Decision.normalize(decision)
            if event.decision == nil { flags.insert(.invalidField) }
        }
        if let source = DecodeSupport.text(root["decision_source"], &flags) {
            event.decisionSource = DecisionSource.normalize(source)
            if DecisionSource.known(source) == nil { flags.insert(.invalidField) }
        }
        event.approver = DecodeSupport.text(root["approved_by"], &flags)
        // An approval in the name of the agent itself (its principal or its name) is no person's confirmation.
        var selfApproved: String?
        if let approver = event.approver, event.decisionSource == .user,
           [event.context.principal, event.context.agent].contains(where: { $0.map { $0.lowercased() == approver.lowercased() } ?? false }) {
            selfApproved = approver
            event.decisionSource = .auto
        }
        // `decision_source: user` with no `decision`, on a call that went on to run: the person allowed it.
        if decisionText == nil, event.decisionSource == .user, selfApproved == nil {
            event.decision = .allow
            flags.insert(.decisionInferred)
        }
        if let outcome = DecodeSupport.text(root["outcome"], &flags) {
            event.outcome = Outcome.normalize(outcome)
            if event.outcome == nil { flags.insert(.invalidField) }
        }
        event.durationMs = DecodeSupport.integer(root["duration_ms"], &flags)
        // A result whose exit code says the command failed failed, whatever its `outcome` says (a harness that writes
        // `success` for "the tool ran").
        if kind == .toolResult, event.outcome != .denied, let exit = root["exit_code"]?.int64, exit != 0 {
            if event.outcome == .success { flags.insert(.invalidField) }
            event.outcome = .failure
        }

        let input = root["input"]
        if let input, input.isObject {
            event.command = DecodeSupport.shellCommand(input)
            if input["dangerouslyDisableSandbox"]?.bool == true || input["sandbox_permissions"]?.isString("require_escalated") == true {
                flags.insert(.sandboxEscalation)
            }
        } else if let input, let text = input.string, !HarnessV1Decoder.isEncodedObject(text) {
            // Some harnesses log a shell tool's input as the bare command string.
            event.command = text
        }
        // A tool named after a program with its arguments apart (`kubectl {"args": […]}`, `exec {"command": "rm", "args":
        // […]}`): the command line they make, for analysts and for pairing with the cluster's records.
        if let tool = event.tool, let input, input.isObject, let argv = ActionClassifier.splitArgv(tool: tool, input) {
            event.command = argv.count == 3 && argv[0] == "sh" && argv[1] == "-c" ? argv[2] : ShellQuoting.join(argv)
        }
        let acts = event.tool != nil && (kind == .toolCall || kind == .toolResult || kind == .permissionRequest
            || kind == .permissionDecision)
        if acts, let text = input?.string, HarnessV1Decoder.isEncodedObject(text) {
            // The input object written as a JSON string (`"input":"{\"command\":\"rm -rf x\"}"`): a usable value of
            // the wrong type, read as the object it encodes and flagged.
            flags.insert(.invalidField)
            state.withNestedJSON(text) { json in
                if let json, json.isObject {
                    event.command = DecodeSupport.shellCommand(json)
                    state.classify(&event, input: json)
                } else {
                    event.command = text
                    state.classify(&event, input: input)
                }
            }
        } else if acts {
            state.classify(&event, input: input)
        } else if kind == .toolCall || kind == .permissionRequest, let command = event.command {
            // A call that names no tool but gives a command line (`"input":{"command":"rm -rf data"}`): the shell's.
            state.classify(&event, command: command)
        }
        // (A tool's classification says its environment itself.)
        if !acts, event.production == nil, let environment = event.environment, state.productionToken(environment) != nil {
            event.production = "environment \(environment)"
        }

        if let callID = event.callID { event.callID = state.harnessV1CallID(event, callID: callID) }

        let (previous, sameSource) = state.exchangeChainDigest(session: session, line: line.bytes)
        if let prev = root["prev_hash"], prev.isNull {
            // `"prev_hash": null` on a later line of a chained session: a restarted chain, as `""` or 64 zeros are.
            if previous != nil {
                flags.insert(.chainMismatch)
                event.prevHash = [UInt8](repeating: 0, count: 32)
                if sameSource { event.chainBreakInFile = true }
            }
        } else if let prev = root["prev_hash"] {
            // A chain's start written as a value (`""`, 64 zeros, as many chains begin) vouches for no line: fine on the
            // session's first line, a restarted chain after a line of it.
            let genesis = prev.isString && prev.flags & JSONTape.hasEscapes == 0
                && prev.stringBytes.allSatisfy { $0 == UInt8(ascii: "0") }
                && (prev.stringBytes.isEmpty || prev.stringBytes.count == 64)
            if genesis {
                if previous != nil {
                    flags.insert(.chainMismatch)
                    event.prevHash = [UInt8](repeating: 0, count: 32)
                    if sameSource { event.chainBreakInFile = true }
                }
            } else if prev.isString, prev.flags & JSONTape.hasEscapes == 0, let digest = Digest32(hex: prev.stringBytes) {
                if let previous, previous != digest, state.followsRejectedLine(digest) {
                    // The line before it in the file was rejected (invalid UTF-8, say): the chain runs through a line
                    // `rejected-lines` reports (neither verified nor broken here), and nothing shows it was altered.
                } else if let previous {
                    flags.insert(previous == digest ? .chainVerified : .chainMismatch)
                    if previous != digest { event.prevHash = digest.bytes }
                    // Broken within its file: kept by the writer even when the store already has the line.
                    if previous != digest && sameSource { event.chainBreakInFile = true }
                } else {
                    flags.insert(.chainUnverified)
                    event.prevHash = digest.bytes
                }
            } else {
                flags.insert(.invalidField)
                flags.insert(.chainMismatch)
            }
        }

        event.attributes = DecodeSupport.attributes([
            ("event_id", .optional(DecodeSupport.text(root["event_id"], &flags))),
            ("self_approved", .optional(selfApproved)),
            // The schema is stored only when it is not plain harness-v1.
            ("from_mode", .optional(fromMode)),
            ("to_mode", .optional(kind == .modeChange ? toMode : nil)),
            ("requested_mode", .optional(requestedMode)),
            ("reason", .clipped(DecodeSupport.text(root["reason"], &flags))),
            ("exit_code", .optional(DecodeSupport.integer(root["exit_code"], &flags))),
            ("error", .clipped(DecodeSupport.text(root["error"], &flags))),
            ("prompt", .clipped(kind == .prompt ? DecodeSupport.text(root["prompt"] ?? root["text"], &flags) : nil)),
            ("schema", .optional(root["schema"].flatMap { $0.isString("harness-v1") ? nil : $0.string })),
            ("allow_rules", allowRules.map { .json($0) }),
            ("added_directories", directories.map { .json($0) }),
            ("mcp_servers", .optional(servers)),
        ])
        if kind == .other { event.flags.insert(.invalidField) }
        event.flags.formUnion(flags)
        event.contentKey = DecodeSupport.contentKey(line: line.bytes, record: 0)
        events.append(event)
    }

    static func preview(_ value: JSONValue) -> String {
        let text = value.rawText
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}
