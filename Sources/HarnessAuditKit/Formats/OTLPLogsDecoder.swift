/// Decoder for OTLP/JSON `LogsData` lines as the collector's file exporter writes them
/// (`reference/log-formats.md` §5): every log record becomes one event. Claude Code
/// (`claude_code.*`), Codex (`codex.*`) and Gemini CLI (`gemini_cli.*`) events are mapped to
/// canonical kinds; records of other services are kept as `other`.
struct OTLPLogsDecoder: FormatDecoder {
    var format: LogFormat { .otlpLogs }

    enum Harness { case claude, codex, gemini, other }

    func decode(_ root: JSONValue, line: DecodeLine, state: DecodingState,
                into events: inout [EventRecord]) throws(LineRejection) {
        guard let resourceLogs = root["resourceLogs"], resourceLogs.isArray else {
            throw LineRejection(reason: LineRejection.invalidField, detail: "otlp-logs: \"resourceLogs\" is not an array")
        }
        var recordIndex = 0
        // A record's content key is what it says, not how it was written or where it sits in the line (see
        // `contentKey`): an exporter batches the same records differently from one file to the next (one per line, or
        // many), a second collector re-encodes them or adds resource attributes, and an overlapping copy must add
        // nothing. A record repeated (its time to the nanosecond included) is a duplicate wherever it appears, as a
        // repeated line is in the line-per-event formats.
        for resourceLog in resourceLogs.elements {
            let resourceJSON = resourceLog["resource"]
            let resource = OTelAttributes(resourceJSON?["attributes"])
            for scopeLog in (resourceLog["scopeLogs"] ?? resourceLog["instrumentationLibraryLogs"])?.elements ?? [] {
                let scopeJSON = scopeLog["scope"] ?? scopeLog["instrumentationLibrary"]
                let scope = scopeJSON?["name"]?.string
                // The scope's attributes (an exporter may put `session.id` there) hold for its records, over the resource's.
                var shared = OTelAttributes(scopeJSON?["attributes"])
                shared.merge(resource)
                for record in (scopeLog["logRecords"]?.elements ?? []) {
                    var event = decodeRecord(record, resource: shared, scope: scope, line: line, state: state)
                    event.recordIndex = recordIndex
                    events.append(event)
                    recordIndex += 1
                }
            }
        }
    }

    /// A record's content key: its time, name, body and severity, its own attributes in key order by value (so
    /// whitespace, key order and number spelling do not matter), its scope's and its service's names. Not what a
    /// collector adds on the way (`observedTimeUnixNano`, resource attributes such as `host.name`).
    static func contentKey(_ record: JSONValue, attributes: OTelAttributes, service: String, scope: String?) -> UInt64 {
        var key = ContentHash.hash(service, seed: ContentHash.hash(scope ?? ""))
        for field: StaticString in ["timeUnixNano", "eventName", "severityNumber", "severityText"] {
            key = ContentHash.hash(record[field]?.scalarText ?? "", seed: key)
        }
        key = ContentHash.hash(record["body"].flatMap(OTelAttributes.text) ?? "", seed: key)
        for name in attributes.values.keys.sorted() {
            key = ContentHash.hash(name, seed: key)
            key = ContentHash.hash(attributes.values[name].flatMap(OTelAttributes.text) ?? "", seed: key)
        }
        return key
    }

    /// The session of a record that names none (`session.id`, `conversation.id`): Gemini CLI's `prompt_id` begins with
    /// it; else the records of one user of one harness on one host are one session, and records that say neither
    /// user nor host are their file's (named by its first line, as a Codex rollout without `session_meta` is).
    static func fallbackSession(_ attributes: OTelAttributes, context: EventContext, service: String, line: DecodeLine,
                                state: DecodingState) -> String {
        if let prompt = attributes.string("prompt_id") ?? attributes.string("prompt.id"),
           let marker = prompt.range(ofASCII: "########"), marker.lowerBound != prompt.startIndex {
            return String(prompt[..<marker.lowerBound])
        }
        let harness = context.agent ?? (service.isEmpty ? "otel" : service)
        let user = context.actor ?? attributes.string("installation.id")
        if user != nil || context.host != nil {
            return "otel-\(harness):\(user ?? "")@\(context.host ?? "")"
        }
        return "otel-\(harness):" + state.fileSessionKey(line)
    }

    func decodeRecord(_ record: JSONValue, resource: OTelAttributes, scope: String?, line: DecodeLine,
                      state: DecodingState) -> EventRecord {
        var attributes = OTelAttributes(record["attributes"])
        let service = resource.string("service.name") ?? attributes.string("service.name") ?? ""
        let contentKey = OTLPLogsDecoder.contentKey(record, attributes: attributes, service: service, scope: scope)
        attributes.merge(resource)
        var flags: EventFlags = []
        // The event name: the `event.name` attribute, the body, or the newer eventName field.
        let body = record["body"].flatMap(OTelAttributes.text)
        var name = attributes.string("event.name") ?? record["eventName"]?.string ?? body ?? "log"
        var harness: Harness = .other
        if name.hasPrefix("claude_code.") {
            harness = .claude
            name.removeFirst(12)
        } else if let body, body.hasPrefix("claude_code.") {
            harness = .claude
            if !name.contains(".") || name == body { name = String(body.dropFirst(12)) }
        } else if name.hasPrefix("codex.") {
            harness = .codex
            name.removeFirst(6)
        } else if name.hasPrefix("gemini_cli.") {
            harness = .gemini
            name.removeFirst(11)
        } else if scope?.hasPrefix("com.anthropic.claude_code") == true || service.hasPrefix("claude-code") {
            harness = .claude
        } else if scope?.hasPrefix("codex") == true || service.hasPrefix("codex") {
            harness = .codex
        } else if service.hasPrefix("gemini") {
            harness = .gemini
        }
        var event = EventRecord(format: .otlpLogs, kind: .other)
        event.contentKey = contentKey
        event.name = harness == .other ? name : "\(OTLPLogsDecoder.prefix(harness))\(name)"
        // Time: timeUnixNano, else observedTimeUnixNano, else the event.timestamp attribute.
        for key: StaticString in ["timeUnixNano", "observedTimeUnixNano"] {
            if let nanos = record[key]?.int64 ?? record[key]?.double.flatMap({ $0.isFinite && abs($0) < 9.2e18 ? Int64($0) : nil }), nanos > 0 {
                event.ts = nanos / 1_000_000
                break
            }
        }
        if event.ts == nil, let text = attributes.string("event.timestamp") { event.ts = Timestamp.parseISO8601(text) }
        if event.ts == nil { flags.insert(.noTimestamp) }
        event.session = attributes.string("session.id") ?? attributes.string("conversation.id")
            ?? attributes.string("thread.id")
        event.context = EventContext(
            agent: OTLPLogsDecoder.agentName(harness, service: service),
            agentVersion: attributes.string("app.version") ?? resource.string("service.version"),
            actor: attributes.string("user.email") ?? attributes.string("user.account_id") ?? attributes.string("user.id"),
            host: resource.string("host.name") ?? attributes.string("host.name"),
            model: attributes.string("model"))
        if event.session == nil {
            event.session = OTLPLogsDecoder.fallbackSession(attributes, context: event.context, service: service, line: line,
                                                            state: state)
        }
        var extra: [(String, DecodeSupport.AttributeValue?)] = [
            ("prompt_id", .optional(attributes.string("prompt.id") ?? attributes.string("prompt_id"))),
            ("terminal", .optional(attributes.string("terminal.type"))),
            ("service", .optional(service.isEmpty ? nil : service)),
            ("sequence", .optional(attributes.int("event.sequence"))),
        ]
        switch harness {
        case .claude: claude(name, attributes, &event, &extra, &flags, state)
        case .codex: codex(name, attributes, &event, &extra, &flags, state)
        case .gemini: gemini(name, attributes, &event, &extra, &flags, state)
        case .other:
            extra.append(("body", .clipped(body, 300)))
            extra.append(("severity", .optional(record["severityText"]?.string)))
        }
        event.attributes = DecodeSupport.attributes(extra)
        event.flags.formUnion(flags)
        return event
    }

    /// Classifies a call whose arguments name the directory it runs in (Gemini `dir_path`, Codex `workdir`): its
    /// relative paths resolve there. That directory is the agent's choice for one call: the session's workspace (the
    /// event's working directory, which scope rules judge writes against) is the first one its calls named that can be
    /// a workspace, so a later call cannot move it (`dir_path: /srv/app`, then `/etc` and a write there), and a system or
    /// home directory never is one (`ls` with `dir_path: /etc`, then a write to `/etc/hosts`).
    static func classify(_ event: inout EventRecord, input: JSONValue, directory named: String?, _ state: DecodingState) {
        guard let named, named.hasPrefix("/") || PathNormalizer.isWindows(named) else {
            return state.classify(&event, input: input)
        }
        // `C:\Users\pat\src\shop` as `C:/Users/pat/src/shop`.
        let directory = PathNormalizer.isWindows(named) ? PathNormalizer.windows(named) : named
        if event.context.cwd == nil, let session = event.session {
            let root = OTLPLogsDecoder.projectRoot(of: directory)
            event.context.cwd = state.workspace(session: session, proposed: PathNormalizer.canBeWorkspace(root) ? root : nil)
        }
        var context = event.context
        context.cwd = directory
        state.classify(&event, input: input, in: context)
    }

    /// The project a call's directory lies in, when its path says so: a monorepo's package or a source folder
    /// (`/home/erin/proj/packages/api`, `/srv/shop/crates/core`, `/srv/app/src/lib`) is in the project above the
    /// folder that holds packages (`/home/erin/proj`, `/srv/shop`, `/srv/app`), so the repository's own files are not
    /// outside the workspace. A path with no such folder is its own project.
    static func projectRoot(of directory: String) -> String {
        let parts = directory.split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() where index > 1 && projectFolders.contains(part.lowercased()) {
            let root = parts[..<index].joined(separator: "/")
            if PathNormalizer.canBeWorkspace(root) { return root }
        }
        return directory
    }

    static let projectFolders: Set<String> = ["packages", "apps", "services", "crates", "libs", "modules", "components",
                                              "plugins", "src", "cmd", "internal", "pkg", "lib", "tests", "test"]

    static func prefix(_ harness: Harness) -> String {
        switch harness {
        case .claude: return "claude_code."
        case .codex: return "codex."
        case .gemini: return "gemini_cli."
        case .other: return ""
        }
    }

    static func agentName(_ harness: Harness, service: String) -> String? {
        switch harness {
        case .claude: return "claude-code"
        case .codex: return "codex"
        case .gemini: return "gemini-cli"
        case .other: return service.isEmpty ? nil : service
        }
    }

    // MARK: Claude Code

    func claude(_ name: String, _ a: OTelAttributes, _ event: inout EventRecord,
                _ extra: inout [(String, DecodeSupport.AttributeValue?)], _ flags: inout EventFlags, _ state: DecodingState) {
        switch name {
        case "tool_decision", "tool_result":
            event.kind = name == "tool_decision" ? .permissionDecision : .toolResult
            event.callID = a.string("tool_use_id")
            var tool = a.string("tool_name")
            // `tool_parameters` names an MCP call's server and tool and a Bash call's full command; a result's
            // `tool_input` holds the arguments themselves (an MCP query's SQL, a read's path).
            let parameters = a.string("tool_parameters"), arguments = a.string("tool_input")
            // Decision fields: `decision`/`source` (older tool_result, all tool_decision) or `decision_type`/`decision_source`.
            let decision = a.string("decision_type") ?? a.string("decision")
            let source = a.string("decision_source") ?? a.string("source")
            event.decision = decision.flatMap(Decision.normalize)
            event.decisionSource = source.flatMap(DecisionSource.normalize)
            if let source, source.hasPrefix("user_reject") || source.hasPrefix("user_abort") { event.decision = .deny }
            if event.decision == .deny { event.outcome = .denied }
            if name == "tool_result", let success = a.bool("success") {
                event.outcome = success ? .success : .failure
            }
            event.durationMs = a.int("duration_ms")
            extra.append(("decision_raw", .optional(decision)))
            extra.append(("source_raw", .optional(source)))
            extra.append(("error", .clipped(a.string("error"), 300)))
            var command: String?
            func sandboxOff(_ json: JSONValue?) -> Bool {
                json?["dangerouslyDisableSandbox"]?.bool == true || json?["sandbox"]?.bool == false
            }
            // A user-configured MCP server's call is `mcp_tool`; its parameters name the server and the tool.
            func resolveTool(_ json: JSONValue?) {
                if tool == "mcp_tool", let server = json?["mcp_server_name"]?.string, let name = json?["mcp_tool_name"]?.string {
                    tool = "mcp__\(server)__\(name)"
                }
            }
            var invalid = false
            if arguments != nil {
                state.withNestedJSON(parameters) { json in
                    resolveTool(json)
                    if json?["full_command"] != nil { command = json?["full_command"]?.string }
                    if sandboxOff(json) { flags.insert(.sandboxEscalation) }
                }
                invalid = state.nestedJSONInvalid
            }
            // The arguments when the record has them (and they parse), else the parameters.
            var classified = false, fromArguments = false
            let texts: [String?] = arguments != nil ? [arguments, parameters] : [parameters]
            for index in texts.indices where !classified {
                // The arguments cut short (the exporter's size limit) are read up to the cut.
                let read: (String?, (JSONValue?) -> Void) -> Void = index == 0 && arguments != nil
                    ? { state.withSalvagedJSON($0, $1) } : { state.withNestedJSON($0, $1) }
                read(texts[index]) { json in
                    guard let json else { return }
                    classified = true
                    fromArguments = index == 0 && arguments != nil && !state.nestedJSONSalvaged
                    resolveTool(json)
                    if command == nil, json["full_command"] != nil { command = json["full_command"]?.string }
                    event.tool = tool
                    if ClaudeHookDecoder.isShellTool(tool), let command {
                        event.command = command
                        state.classify(&event, command: command)
                    } else {
                        if ClaudeHookDecoder.isShellTool(tool) { event.command = DecodeSupport.shellCommand(json) }
                        state.classify(&event, input: json)
                    }
                    if sandboxOff(json) { flags.insert(.sandboxEscalation) }
                }
                invalid = invalid || state.nestedJSONInvalid
            }
            if invalid { flags.insert(.invalidField) }
            if event.tool == nil { event.tool = tool }
            // A result's `tool_input` holds the arguments its decision lacks (an MCP merge's pull request number, a
            // query's SQL): its targets stand for the call. (A shell call's command is in both records' parameters.)
            if name == "tool_result", fromArguments, !ClaudeHookDecoder.isShellTool(event.tool),
               event.targets != nil {
                flags.insert(.resultTargets)
            }
            // Builds before `tool_use_id` was added: a decision and the result of the call it allowed are paired
            // in order, per session and tool, so the call is one action, not two.
            if event.callID == nil, let session = event.session, let tool = event.tool {
                if name == "tool_decision" {
                    if event.decision != .deny, let ts = event.ts {
                        // Decisions of one tool in one millisecond (parallel calls) are told apart by their order.
                        let call = "otel:\(tool):\(ts)" + state.otelDecisionSuffix(session: session, tool: tool, ts: ts)
                        state.rememberOTelDecision(session: session, tool: tool, call: call)
                        event.callID = call
                        flags.insert(.callIDInferred)
                    }
                } else if let call = state.takeOTelDecision(session: session, tool: tool) {
                    event.callID = call
                    flags.insert(.callIDInferred)
                }
            }
        case "user_prompt":
            event.kind = .prompt
            extra.append(("prompt", .clipped(a.string("prompt"))))
            extra.append(("prompt_length", .optional(a.int("prompt_length"))))
        case "permission_mode_changed":
            event.kind = .modeChange
            if let to = a.string("to_mode") {
                event.policy = PolicyState(mode: PermissionMode.normalize(to), rawMode: to)
            }
            extra.append(("from_mode", .optional(a.string("from_mode"))))
            extra.append(("to_mode", .optional(a.string("to_mode"))))
            extra.append(("trigger", .optional(a.string("trigger"))))
        case "api_request", "api_error":
            extra.append(("cost_usd", .optional(a.string("cost_usd"))))
            extra.append(("status_code", .optional(a.string("status_code"))))
        default:
            break
        }
    }

    // MARK: Codex

    func codex(_ name: String, _ a: OTelAttributes, _ event: inout EventRecord,
               _ extra: inout [(String, DecodeSupport.AttributeValue?)], _ flags: inout EventFlags, _ state: DecodingState) {
        extra.append(("originator", .optional(a.string("originator"))))
        switch name {
        case "conversation_starts":
            var policy = PolicyState(approvalPolicy: a.string("approval_policy"), sandbox: a.string("sandbox_policy"))
            CodexRolloutDecoder.normalize(&policy)
            event.policy = policy
            event.kind = .config
            extra.append(("mcp_servers", .optional(a.string("mcp_servers"))))
            extra.append(("reasoning_effort", .optional(a.string("reasoning_effort"))))
        case "tool_decision":
            event.kind = .permissionDecision
            event.tool = a.string("tool_name")
            event.callID = a.string("call_id")
            let decision = a.string("decision")
            event.decision = decision.flatMap(Decision.normalize)
            event.decisionSource = a.string("source").flatMap(DecisionSource.normalize)
            if event.decision == .deny { event.outcome = .denied }
            extra.append(("decision_raw", .optional(decision)))
            extra.append(("source_raw", .optional(a.string("source"))))
        case "tool_result":
            event.kind = .toolResult
            event.tool = a.string("tool_name")
            event.callID = a.string("call_id")
            if let success = a.bool("success") { event.outcome = success ? .success : .failure }
            // Codex's own refusal in place of a run (`exec command rejected by user`), as a rollout writes it.
            if event.outcome != .success, let output = a.string("output") {
                let result = CodexRolloutDecoder.classifyText(output, exitCode: nil)
                if result.outcome == .denied {
                    event.outcome = .denied
                    event.decision = .deny
                    event.decisionSource = result.deniedBy
                }
            }
            event.durationMs = a.int("duration_ms")
            extra.append(("output", .clipped(a.string("output"), 300)))
            if let server = a.string("mcp_server"), !server.isEmpty { extra.append(("mcp_server", .text(server))) }
            let arguments = a.string("arguments")
            state.withNestedJSON(arguments) { json in
                if let json, json.isObject {
                    event.command = DecodeSupport.shellCommand(json)
                    OTLPLogsDecoder.classify(&event, input: json, directory: json["workdir"]?.string ?? json["cwd"]?.string, state)
                }
            }
            // A freeform tool's input (an `apply_patch` patch) is text, not JSON: classified as the rollout's
            // `custom_tool_call` input is.
            if state.nestedJSONInvalid, let arguments {
                if PatchParser.isPatch(arguments) {
                    let quoted = String(decoding: JSONWriter.escapedBytes(arguments), as: UTF8.self)
                    state.withNestedJSON(quoted) { input in state.classify(&event, input: input) }
                } else {
                    flags.insert(.invalidField)
                }
            }
        case "sandbox_outcome":
            event.callID = a.string("call_id")
            event.tool = a.string("tool_name")
            extra.append(("outcome", .optional(a.string("outcome"))))
        case "user_prompt":
            event.kind = .prompt
            extra.append(("prompt_length", .optional(a.int("prompt_length"))))
        default:
            break
        }
    }

    // MARK: Gemini CLI

    func gemini(_ name: String, _ a: OTelAttributes, _ event: inout EventRecord,
                _ extra: inout [(String, DecodeSupport.AttributeValue?)], _ flags: inout EventFlags, _ state: DecodingState) {
        if let mode = a.string("active_approval_mode") ?? a.string("approval_mode") {
            event.policy = PolicyState(mode: PermissionMode.normalize(mode), rawMode: mode)
        }
        switch name {
        case "tool_call":
            event.kind = .toolCall
            event.tool = a.string("function_name")
            // An MCP server's tool by its bare name (`resources_delete`, the server in `mcp_server_name`): named as the
            // server's (`kubernetes__resources_delete`), so it is judged as that server's tool.
            if a.string("tool_type")?.lowercased() == "mcp", let server = a.string("mcp_server_name"), !server.isEmpty,
               let bare = event.tool, !bare.contains("__") {
                event.tool = "\(server)__\(bare)"
            }
            event.callID = a.string("call_id") ?? a.string("tool_call_id")
            if let decision = a.string("decision") {
                extra.append(("decision_raw", .text(decision)))
                event.decision = Decision.normalize(decision)
                // accept, modify, reject: a person answered the prompt. `auto_accept` (ProceedAlways) is also what the
                // scheduler records for a call it let through on its own: in yolo mode, a tool allowed by the
                // settings, or after an earlier "always allow". Nothing tells these apart, so it is not a person's
                // confirmation of this call.
                event.decisionSource = decision.lowercased() == "auto_accept" ? .auto : .user
                // A call the person rejected is cancelled, `success: false`; one that says it succeeded ran anyway.
                if event.decision == .deny { event.outcome = a.bool("success") == true ? .success : .denied }
            }
            if event.outcome == nil, let success = a.bool("success") { event.outcome = success ? .success : .failure }
            event.durationMs = a.int("duration_ms")
            extra.append(("tool_type", .optional(a.string("tool_type"))))
            extra.append(("mcp_server", .optional(a.string("mcp_server_name"))))
            extra.append(("error", .clipped(a.string("error.message") ?? a.string("error"), 300)))
            let arguments = a.string("function_args")
            state.withNestedJSON(arguments) { json in
                if let json, json.isObject {
                    event.command = event.tool == "run_shell_command" ? json["command"]?.string : nil
                    OTLPLogsDecoder.classify(&event, input: json, directory: json["dir_path"]?.string ?? json["directory"]?.string, state)
                }
            }
            if state.nestedJSONInvalid { flags.insert(.invalidField) }
        case "config":
            event.kind = .config
            // Gemini CLI runs without a sandbox unless asked (`-s`, `GEMINI_SANDBOX`): that is its default, not a
            // setting someone widened.
            if let sandbox = a.bool("sandbox_enabled") { event.policy.sandbox = sandbox ? "enabled" : "off-by-default" }
            extra.append(("core_tools", .optional(a.string("core_tools_enabled"))))
            extra.append(("mcp_servers", .optional(a.string("mcp_servers"))))
        // Newer Gemini CLI builds name it `gemini_cli.plan.approval_mode_switch`.
        case "approval_mode_switch", "approval_mode_changed", "plan.approval_mode_switch":
            event.kind = .modeChange
            if let to = a.string("to_mode") ?? a.string("to") ?? a.string("approval_mode") ?? a.string("mode") {
                event.policy = PolicyState(mode: PermissionMode.normalize(to), rawMode: to)
            }
            extra.append(("from_mode", .optional(a.string("from_mode") ?? a.string("from"))))
        case "user_prompt":
            event.kind = .prompt
            extra.append(("prompt", .clipped(a.string("prompt"))))
            extra.append(("prompt_length", .optional(a.int("prompt_length"))))
        case "file_operation":
            extra.append(("operation", .optional(a.string("operation"))))
            extra.append(("path", .optional(a.string("path") ?? a.string("file_path"))))
        default:
            break
        }
    }
}
