/// Decoder for OpenAI Codex session rollouts (`~/.codex/sessions/**/rollout-*.jsonl`,
/// `reference/log-formats.md` §2.1): `{timestamp, type, payload}` lines. The session and
/// the approval/sandbox policy in force come from earlier lines of the same file
/// (`session_meta`, the latest `turn_context`) and are stamped on every event.
struct CodexRolloutDecoder: FormatDecoder {
    var format: LogFormat { .codexRollout }

    func decode(_ root: JSONValue, line: DecodeLine, state: DecodingState,
                into events: inout [EventRecord]) throws(LineRejection) {
        var flags: EventFlags = []
        guard let type = DecodeSupport.text(root["type"], &flags), let payload = root["payload"], payload.isObject else {
            throw LineRejection(reason: LineRejection.invalidField, detail: "codex-rollout: \"payload\" is not an object")
        }
        let ts = DecodeSupport.timestamp(root["timestamp"])
        var event = EventRecord(format: .codexRollout, kind: .other)
        event.ts = ts
        if ts == nil { flags.insert(.noTimestamp) }
        var attributes: [(String, DecodeSupport.AttributeValue?)] = []
        let payloadType = DecodeSupport.text(payload["type"], &flags)
        event.name = payloadType.map { "\(type).\($0)" } ?? type

        // A fork's copy of its parent's history (lines dated before the fork began) is the parent's: its session's,
        // where it is the same event as the parent's own rollout holds.
        if let parent = state.codexFile.forkedFrom, let start = state.codexFile.forkStart, let ts, ts < start {
            event.session = parent
        }
        switch type {
        case "session_meta":
            let meta = payload["meta"] ?? payload
            if let id = DecodeSupport.text(meta["id"], &flags) {
                // Another session's rollout after this one's (files concatenated): nothing of this one's policy,
                // context or running programs carries over. (A fork's copy of its parent's history is no other file.)
                if let current = state.codexFile.session, current != id, state.codexFile.forkedFrom != id {
                    state.codexFile = DecodingState.CodexFile()
                }
                if state.codexFile.session != nil && state.codexFile.session != id && state.codexFile.forkedFrom == id {
                    // The parent's `session_meta`, copied into the fork with its history: the fork's lines after it are
                    // still the fork's.
                    event.session = id
                } else {
                    if let parent = DecodeSupport.text(meta["forked_from_id"], &flags), parent != id {
                        state.codexFile.forkedFrom = parent
                        state.codexFile.forkStart = DecodeSupport.timestamp(meta["timestamp"]) ?? ts
                        event.session = nil
                    }
                    state.codexFile.session = id
                }
            }
            var context = state.codexFile.context
            context.agentVersion = DecodeSupport.text(meta["cli_version"], &flags) ?? context.agentVersion
            context.cwd = DecodeSupport.text(meta["cwd"], &flags) ?? context.cwd
            if let git = meta["git"] ?? payload["git"] {
                context.branch = DecodeSupport.text(git["branch"], &flags) ?? context.branch
                if let url = DecodeSupport.text(git["repository_url"], &flags) { context.repo = CodexRolloutDecoder.repoName(url) }
            }
            state.codexFile.context = context
            event.kind = .sessionStart
            if let source = meta["source"], source.isObject, source["subagent"] != nil { flags.insert(.subagent) }
            attributes += [
                ("originator", .optional(DecodeSupport.text(meta["originator"], &flags))),
                ("source", .optional(meta["source"]?.scalarText)),
                ("model_provider", .optional(DecodeSupport.text(meta["model_provider"], &flags))),
            ]
        case "turn_context":
            let previous = state.codexFile.policy
            var policy = previous
            if let approval = payload["approval_policy"], approval.isObject, let name = approval.keys.first {
                // The object form (`{"granular": {"sandbox_approval": true, …}}`): a policy by its name, not a never.
                policy.approvalPolicy = name
            } else if let approval = DecodeSupport.text(payload["approval_policy"], &flags) {
                policy.approvalPolicy = approval
            }
            if let sandbox = payload["sandbox_policy"] {
                if let text = sandbox.string {
                    policy.sandbox = text
                } else {
                    policy.sandbox = DecodeSupport.text(sandbox["type"] ?? sandbox["mode"], &flags) ?? policy.sandbox
                    if let roots = sandbox["writable_roots"], roots.isArray {
                        let list = roots.elements.compactMap(\.string)
                        policy.writableRoots = list.isEmpty ? nil : list.joined(separator: "\n")
                    }
                    if let network = sandbox["network_access"] {
                        policy.networkAccess = network.bool ?? (network.string.map { $0 != "restricted" && $0 != "disabled" })
                    }
                }
            }
            // 2026 builds name the turn's workspace roots (a multi-root workspace): writes there are the workspace's own.
            if let roots = payload["workspace_roots"], roots.isArray {
                var list = policy.writableRoots?.split(separator: "\n").map(String.init) ?? []
                for root in roots.elements.compactMap(\.string) where !root.isEmpty && !list.contains(root) { list.append(root) }
                policy.writableRoots = list.isEmpty ? nil : list.joined(separator: "\n")
            }
            if let profile = payload["permission_profile"] { attributes.append(("permission_profile", .json(profile.rawText))) }
            CodexRolloutDecoder.normalize(&policy)
            state.codexFile.policy = policy
            // Builds that leave the policy out of the turn context state it in an environment context message.
            if payload["approval_policy"] != nil || payload["sandbox_policy"] != nil { state.codexFile.sawTurnContext = true }
            if let cwd = DecodeSupport.text(payload["cwd"], &flags) { state.codexFile.context.cwd = cwd }
            if let model = DecodeSupport.text(payload["model"], &flags) { state.codexFile.context.model = model }
            if let reviewer = DecodeSupport.text(payload["approvals_reviewer"], &flags) {
                state.codexFile.reviewer = reviewer
                attributes.append(("approvals_reviewer", .text(reviewer)))
            }
            event.kind = policy != previous ? .modeChange : .config
            attributes.append(("effort", .optional(DecodeSupport.text(payload["effort"] ?? payload["reasoning_effort"], &flags))))
        case "response_item":
            decodeResponseItem(payload, type: payloadType, event: &event, attributes: &attributes, flags: &flags,
                               line: line, state: state, into: &events)
        case "event_msg":
            decodeEventMessage(payload, type: payloadType, event: &event, attributes: &attributes, flags: &flags,
                               state: state)
        default:
            break
        }
        finish(&event, attributes: attributes, flags: flags, line: line, state: state)
        events.append(event)
        // A turn aborted while calls put to the user waited for the answer (no output came): they did not run. Each is
        // a blocked attempt, recorded on the abort's line.
        if root["type"]?.isString("event_msg") == true, payloadType == "turn_aborted", !state.codexFile.escalationsAsked.isEmpty {
            for (offset, callID) in state.codexFile.escalationsAsked.sorted().enumerated() {
                var aborted = EventRecord(format: .codexRollout, kind: .toolResult)
                aborted.ts = event.ts
                aborted.name = "turn_aborted"
                aborted.callID = callID
                aborted.outcome = .denied
                aborted.decision = .deny
                aborted.decisionSource = .user
                aborted.recordIndex = offset + 1
                finish(&aborted, attributes: [("decision_inferred", .text("waiting for approval when the turn was aborted"))],
                       flags: [.decisionInferred], line: line, state: state)
                events.append(aborted)
            }
            state.codexFile.escalationsAsked.removeAll()
        }
    }

    /// Stamps the file's session, context and policy.
    private func finish(_ event: inout EventRecord, attributes: [(String, DecodeSupport.AttributeValue?)],
                        flags: EventFlags, line: DecodeLine, state: DecodingState) {
        if state.codexFile.session == nil {
            // Neither a `session_meta` nor a rollout file name: the file's first line names its session, so that
            // unrelated files never share one and a copy of this file (renamed, or grown) has the same.
            state.codexFile.session = "codex-" + String(DecodeSupport.contentKey(line: line.bytes, record: 0), radix: 16)
        }
        event.session = event.session ?? state.codexFile.session
        var context = state.codexFile.context
        if let cwd = event.context.cwd { context.cwd = cwd }
        event.context = context
        event.home = PathNormalizer.inferHome(from: state.sourcePath.hasPrefix("/") ? state.sourcePath : context.cwd)
            ?? PathNormalizer.inferHome(from: context.cwd)
        if event.policy.isEmpty { event.policy = state.codexFile.policy }
        event.attributes = DecodeSupport.attributes(attributes)
        event.flags.formUnion(flags)
        event.contentKey = DecodeSupport.contentKey(line: line.bytes, record: event.recordIndex)
    }

    /// `never` + `danger-full-access` is approvals and sandbox off (`--yolo`): bypass.
    static func normalize(_ policy: inout PolicyState) {
        let approval = policy.approvalPolicy?.lowercased() ?? ""
        let sandbox = policy.sandbox?.lowercased() ?? ""
        policy.rawMode = policy.approvalPolicy.map { "\($0)/\(policy.sandbox ?? "?")" }
        if approval == "never" && (sandbox == "danger-full-access" || sandbox == "dangerfullaccess") {
            policy.mode = .bypass
        } else if approval == "never" {
            policy.mode = .auto
        } else if !approval.isEmpty {
            policy.mode = .default
        }
    }

    static func repoName(_ url: String) -> String {
        var text = url
        if text.hasSuffix(".git") { text.removeLast(4) }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == ":" })
        guard parts.count >= 2 else { return url }
        return parts.suffix(2).joined(separator: "/")
    }

    private func decodeResponseItem(_ payload: JSONValue, type: String?, event: inout EventRecord,
                                    attributes: inout [(String, DecodeSupport.AttributeValue?)], flags: inout EventFlags,
                                    line: DecodeLine, state: DecodingState, into events: inout [EventRecord]) {
        switch type {
        case "message":
            let role = payload["role"]?.string ?? ""
            let text = payload["content"]?.elements.compactMap { $0["text"]?.string }.joined(separator: "\n") ?? ""
            if role == "user" || role == "developer" || role == "system" {
                if let policy = CodexRolloutDecoder.environmentContext(text) {
                    event.kind = CodexRolloutDecoder.adopt(policy, state: state)
                } else if role == "user" {
                    event.kind = text.hasPrefix("<") ? .other : .prompt
                    attributes.append(("prompt", .clipped(text)))
                } else {
                    event.kind = .other
                    attributes.append(("role", .text(role)))
                }
            } else {
                event.kind = role == "assistant" ? .message : .other
                attributes.append(("role", .text(role)))
            }
        case "reasoning":
            event.kind = .message
        case "function_call":
            event.kind = .toolCall
            event.tool = DecodeSupport.text(payload["name"], &flags)
            event.callID = DecodeSupport.text(payload["call_id"], &flags)
            let arguments = payload["arguments"]
            if let text = arguments?.string {
                state.withNestedJSON(text) { args in
                    describeArguments(args, tool: event.tool, event: &event, attributes: &attributes, flags: &flags, state: state)
                }
                if state.nestedJSONInvalid { flags.insert(.invalidField) }
            } else if let arguments, arguments.isObject {
                describeArguments(arguments, tool: event.tool, event: &event, attributes: &attributes, flags: &flags, state: state)
            }
        case "custom_tool_call":
            event.kind = .toolCall
            event.tool = DecodeSupport.text(payload["name"], &flags)
            event.callID = DecodeSupport.text(payload["call_id"], &flags)
            finish(&event, attributes: attributes, flags: flags, line: line, state: state)
            state.classify(&event, input: payload["input"])
            // A patch Codex puts to the user (any under `untrusted`; under `on-request` with a workspace-write sandbox,
            // one that reaches outside the writable roots): one that applied was approved.
            if let callID = event.callID, event.tool == "apply_patch", let text = payload["input"]?.string,
               CodexRolloutDecoder.patchAsksUser(text, state: state) {
                if state.codexFile.escalationsAsked.count > 4096 { state.codexFile.escalationsAsked.removeAll() }
                state.codexFile.escalationsAsked.insert(callID)
            }
        case "local_shell_call":
            event.kind = .toolCall
            event.tool = "local_shell"
            event.callID = DecodeSupport.text(payload["call_id"] ?? payload["id"], &flags)
            let action = payload["action"]
            if let argv = action?["command"], argv.isArray {
                event.command = ShellQuoting.join(argv.elements.compactMap(\.scalarText))
            }
            if let dir = action?["working_directory"]?.string { event.context.cwd = dir }
            finish(&event, attributes: attributes, flags: flags, line: line, state: state)
            state.classify(&event, input: action)
            attributes.append(("status", .optional(payload["status"]?.string)))
        case "function_call_output", "custom_tool_call_output":
            event.kind = .toolResult
            event.callID = DecodeSupport.text(payload["call_id"], &flags)
            let result = CodexRolloutDecoder.outputResult(payload["output"], state: state)
            event.outcome = result.outcome
            // An MCP tool's answer that is an error (`Error from server (Forbidden): …`, `err: … permission denied`):
            // the call failed. (A shell command's output says nothing by its words: its exit code does.)
            if result.outcome == .success, result.exitCode == nil, let callID = event.callID,
               let text = result.text ?? payload["output"]?.string, CodexRolloutDecoder.isErrorAnswer(text),
               state.recentCallRunsNoCommand(session: event.session ?? state.codexFile.session, callID: callID) {
                event.outcome = .failure
            }
            // A program left running for `write_stdin` (`Process running with session ID 8`): what it is. It has not
            // ended: its outcome is not known yet (a test run still going passed nothing).
            if let callID = event.callID, let text = payload["output"]?.string,
               let marker = text.range(ofASCII: "Process running with session ID ") {
                if result.outcome == .success && result.exitCode == nil { event.outcome = nil }
                let id = String(text[marker.upperBound...].prefix { $0.isNumber })
                // (A `write_stdin` call's output names the process it typed into: that says nothing new of it.)
                var started: String?
                if !id.isEmpty, !state.codexFile.typedCalls.contains(callID), state.codexFile.processes[id] == nil,
                   let command = state.recentCommand(session: event.session ?? state.codexFile.session, callID: callID) {
                    if state.codexFile.processes.count > 1024 { state.codexFile.processes.removeAll() }
                    state.codexFile.processes[id] = [command]
                    started = command
                }
                // Waiting at a password prompt (its output ends asking for one, or it is a program that reads one first:
                // `sudo -S`, `mysql -p`): what is typed next is a secret.
                if !id.isEmpty, CodexRolloutDecoder.asksForPassword(output: text) || started.map(CodexRolloutDecoder.readsPasswordFirst) == true {
                    if state.codexFile.awaitingSecret.count > 1024 { state.codexFile.awaitingSecret.removeAll() }
                    state.codexFile.awaitingSecret.insert(id)
                }
            }
            if result.outcome == .denied {
                event.decision = .deny
                event.decisionSource = result.deniedBy
                if let callID = event.callID { state.codexFile.escalationsAsked.remove(callID) }
            } else if result.outcome == .failure, result.exitCode == nil, let callID = event.callID,
                      state.codexFile.escalationsAsked.remove(callID) != nil {
                // A call put to the user that ended without an exit code (`aborted`, an approval that timed out): it was
                // waiting for the answer, and a call Codex asks about runs only once approved. Not run: a blocked attempt.
                event.outcome = .denied
                event.decision = .deny
                // Aborted at the prompt by the person; a question left unanswered (timed out) by no one.
                event.decisionSource = (result.text ?? "").lowercased().containsASCII("timed out") ? .policy : .user
                attributes.append(("decision_inferred", .text("ended at the approval prompt under approval policy "
                                                              + (state.codexFile.policy.approvalPolicy ?? "?"))))
            } else if let callID = event.callID, state.codexFile.escalationsAsked.remove(callID) != nil,
                      result.outcome == .success || result.exitCode != nil {
                // The policy put it to the user (it asked to leave the sandbox under `on-request`; any command under
                // `untrusted` but the few Codex knows to be read-only, which are no risk), and it ran: the user approved.
                // (Unless an automated reviewer answers the policy's questions: then it approved.)
                event.decision = .allow
                event.decisionSource = state.codexFile.inferredApprovalSource
                flags.insert(.decisionInferred)
                attributes.append(("decision_inferred", .text("approved under approval policy \(state.codexFile.policy.approvalPolicy ?? "?")"
                                                              + (event.decisionSource == .user ? "" : " by reviewer \(state.codexFile.reviewer ?? "?")"))))
            }
            attributes.append(("exit_code", .optional(result.exitCode)))
            if event.outcome != .success { attributes.append(("output", .clipped(result.text ?? payload["output"]?.string, 300))) }
        case "web_search_call":
            event.kind = .toolCall
            event.tool = "web_search"
            event.callID = DecodeSupport.text(payload["call_id"] ?? payload["id"], &flags)
            finish(&event, attributes: attributes, flags: flags, line: line, state: state)
            state.classify(&event, input: payload["action"])
        default:
            event.kind = .other
        }
    }

    /// Shell command, escalation request and classification of a function call's arguments.
    /// The program a `write_stdin` types into that reads it otherwise than a local shell would (the command line that
    /// started it): a database client's statements, or a shell on another host or in a pod (`remote`). Nil when the
    /// program is a local shell or not known. Typing a client with nothing to run into a shell starts it
    /// (`psql "$PROD_DATABASE_URL"` typed into `bash`); `\q`, `quit` or `exit` typed into a client ends it.
    static func typedProgram(_ typed: String, into id: String, state: DecodingState) -> (program: String, remote: Bool)? {
        guard var programs = state.codexFile.processes[id], let top = programs.last else { return nil }
        let line = typed.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map { String($0).trimmingSpaces } ?? ""
        // A shell on another machine or in a pod (`ssh deploy@web-prod-01`, `kubectl exec -it api-0 -- bash`): what is
        // typed runs there, as if fed to it; `exit` ends it.
        if isRemoteShell(top) {
            if ["exit", "logout", "exit 0"].contains(line.lowercased()) {
                if programs.count > 1 {
                    programs.removeLast()
                    state.codexFile.processes[id] = programs
                } else {
                    state.codexFile.processes[id] = nil
                }
                return nil
            }
            return (top, true)
        }
        if isDatabaseClient(top) {
            if isPsql(top), let reconnected = reconnection(line) {
                // `\c postgresql://localhost/dev` or `\c app dev localhost`: another server from here on. A database name
                // alone stays on the server the client reached, and with it the connection's production evidence.
                programs[programs.count - 1] = reconnected
                state.codexFile.processes[id] = programs
                return nil
            }
            guard ["\\q", "\\quit", "quit", "exit", ".quit", ".exit", "quit;", "exit;"].contains(line.lowercased()) else { return (top, false) }
            if programs.count > 1 {
                programs.removeLast()
                state.codexFile.processes[id] = programs
            }
            return nil
        }
        let script = ShellParser.parse(line)
        if script.commands.count == 1, let words = script.commands.first?.words, isDatabaseClient(line), !line.contains("<"),
           !words.contains(where: { ["-c", "--command", "-e", "--execute", "-f", "--file", "-Q", "-q", "--query", "--eval"].contains($0.text)
                                    || $0.text.hasPrefix("--command=") || $0.text.hasPrefix("--execute=") || $0.text.hasPrefix("--file=") }),
           words.filter({ !$0.text.hasPrefix("-") }).count <= 2 || !["sqlite3", "sqlite", "duckdb"].contains(ShellAnalyzer.basename(words[0].text)) {
            programs.append(line)
            state.codexFile.processes[id] = Array(programs.suffix(8))
        }
        return nil
    }

    /// Whether a command line's last command opens a shell elsewhere that reads what is typed: `ssh HOST` with no
    /// command, `kubectl exec -it POD -- bash` (or no command), `docker exec -it C sh`.
    /// What a line typed at a password prompt is shown as.
    static let typedSecret = "[REDACTED] (typed at a password prompt)"

    /// Whether a program's output so far ends at a password prompt (`[sudo] password for alice:`, `Enter password:`,
    /// `Password for user postgres:`, `Enter passphrase for key '…':`).
    static func asksForPassword(output: String) -> Bool {
        let body = output.range(ofASCII: "\nOutput:\n").map { String(output[$0.upperBound...]) } ?? output
        guard let last = body.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last?.trimmingSpaces.lowercased(),
              last.hasSuffix(":") || last.hasSuffix(": ") else { return false }
        return last.containsASCII("password") || last.containsASCII("passphrase") || last.containsASCII("passcode")
            || last.containsASCII("pin for")
    }

    /// Whether a command reads a password from its input before anything else: `sudo -S`, `mysql -p` with no value,
    /// `su`, `passwd`, `docker login --password-stdin`.
    static func readsPasswordFirst(_ command: String) -> Bool {
        guard let words = ShellParser.parse(command).commands.last?.words.map(\.text), let first = words.first else { return false }
        switch ShellAnalyzer.basename(first) {
        case "sudo": return words.contains { $0 == "-S" || $0 == "--stdin" || $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("S") && $0.count <= 4 }
        case "mysql", "mariadb", "mysqladmin", "mysqldump": return words.contains { $0 == "-p" || $0 == "--password" }
        case "su", "passwd", "kinit": return true
        default: return words.contains("--password-stdin")
        }
    }

    static func isRemoteShell(_ program: String) -> Bool {
        guard let words = ShellParser.parse(program).commands.last?.words.map(\.text), let first = words.first else { return false }
        let name = ShellAnalyzer.basename(first)
        let shells: Set<String> = ["sh", "bash", "zsh", "ash", "dash", "ksh", "fish", "/bin/sh", "/bin/bash", "/bin/zsh", "/bin/ash"]
        switch name {
        case "ssh", "mosh":
            let valued: Set<String> = ["-p", "-i", "-l", "-o", "-J", "-F", "-L", "-R", "-D", "-b", "-c", "-e", "-m", "-O", "-S", "-W",
                                       "-w", "-E", "-B", "-I", "-Q"]
            var positionals: [String] = []
            var skip = false
            for word in words.dropFirst() {
                if skip { skip = false; continue }
                if valued.contains(word) { skip = true; continue }
                if word.hasPrefix("-") { continue }
                positionals.append(word)
            }
            return positionals.count == 1
        case "kubectl", "oc", "docker", "podman", "nerdctl":
            guard let exec = words.firstIndex(of: "exec") else { return false }
            let options = words[exec...].prefix { $0 != "--" }
            let interactive = options.contains { $0 == "-i" || $0 == "-it" || $0 == "-ti" || $0 == "--stdin" || $0 == "--interactive" }
            guard interactive else { return false }
            if let dash = words.firstIndex(of: "--") {
                return words.count == dash + 2 && shells.contains(words[dash + 1])
            }
            // docker: `docker exec -it web bash`; kubectl without `--` names no command.
            return name == "kubectl" || name == "oc" ? false : words.last.map { shells.contains($0) } ?? false
        default:
            return false
        }
    }

    /// The client command line a psql `\c`/`\connect` to another server amounts to (a URI, `key=value` connection
    /// parameters, or a host as its third argument), or nil.
    static func reconnection(_ line: String) -> String? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String($0.filter { $0 != "'" && $0 != "\"" }) }
        guard let first = words.first, ["\\c", "\\connect"].contains(first.lowercased()), words.count > 1 else { return nil }
        let args = Array(words.dropFirst())
        // A URI with a host (`postgresql://localhost/dev`; not `postgresql:///dev`, the same server's socket) or
        // connection parameters naming one (`host=127.0.0.1 dbname=x`; `dbname=x` alone stays on the server).
        if let scheme = args[0].range(ofASCII: "://") {
            let authority = args[0][scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
            let host = authority.split(separator: "@").last.map { $0.prefix { $0 != ":" } } ?? ""
            return host.isEmpty ? nil : ShellQuoting.join(["psql", args[0]])
        }
        if args.contains(where: { $0.contains("=") }) {
            return args.contains(where: { $0.hasPrefix("host=") || $0.hasPrefix("hostaddr=") })
                ? ShellQuoting.join(["psql", args.joined(separator: " ")]) : nil
        }
        guard args.count >= 3, args[2] != "-" else { return nil }
        var argv = ["psql", "-h", args[2]]
        if args[0] != "-" { argv += ["-d", args[0]] }
        if args[1] != "-" { argv += ["-U", args[1]] }
        if args.count > 3, args[3] != "-" { argv += ["-p", args[3]] }
        return ShellQuoting.join(argv)
    }

    /// Whether a command line's last command is psql itself: through a wrapper (`kubectl exec … -- psql`, `ssh host psql`)
    /// another server is reached from elsewhere, which a `\c` does not say.
    static func isPsql(_ program: String) -> Bool {
        ShellParser.parse(program).commands.last?.words.first.map { ShellAnalyzer.basename($0.text) == "psql" } ?? false
    }

    /// Whether a command line's last command runs a database client (`psql …`, `cd app && psql …`, `sudo -u postgres psql`):
    /// a here-document goes to it, not to what it pipes into.
    static func isDatabaseClient(_ program: String) -> Bool {
        ShellParser.parse(program).commands.last?.words.contains { ShellAnalyzer.sqlClients.contains(ShellAnalyzer.basename($0.text)) } ?? false
    }

    private func describeArguments(_ args: JSONValue?, tool: String?, event: inout EventRecord,
                                   attributes: inout [(String, DecodeSupport.AttributeValue?)], flags: inout EventFlags,
                                   state: DecodingState) {
        guard let args, args.isObject else { return }
        event.command = DecodeSupport.shellCommand(args)
        if args["sandbox_permissions"]?.isString("require_escalated") == true || args["with_escalated_permissions"]?.bool == true {
            flags.insert(.sandboxEscalation)
            attributes.append(("justification", .clipped(args["justification"]?.string)))
        }
        let policy = state.codexFile.policy.approvalPolicy
        if let callID = event.callID, event.command != nil,
           flags.contains(.sandboxEscalation) && DecodingState.CodexFile.asksForEscalation(policy)
            || DecodingState.CodexFile.asksForEveryCommand(policy) {
            if state.codexFile.escalationsAsked.count > 4096 { state.codexFile.escalationsAsked.removeAll() }
            state.codexFile.escalationsAsked.insert(callID)
        }
        if let dir = args["workdir"]?.string ?? args["cwd"]?.string {
            attributes.append(("workdir", .text(dir)))
        }
        var copy = event
        copy.session = copy.session ?? state.codexFile.session
        copy.context = state.codexFile.context
        if let dir = args["workdir"]?.string { copy.context.cwd = dir }
        copy.home = PathNormalizer.inferHome(from: state.sourcePath) ?? PathNormalizer.inferHome(from: copy.context.cwd)
        if tool == "write_stdin", let callID = event.callID {
            if state.codexFile.typedCalls.count > 4096 { state.codexFile.typedCalls.removeAll() }
            state.codexFile.typedCalls.insert(callID)
        }
        // Typed into a database client Codex started (`psql "$PROD_DATABASE_URL"`): statements that client runs, as if
        // given to it on standard input, with its connection.
        var client: String?
        var remote = false
        if tool == "write_stdin", let typed = args["chars"]?.string, !typed.isEmpty, let id = args["session_id"]?.scalarText,
           state.codexFile.awaitingSecret.remove(id) != nil {
            // Typed at a password prompt: a secret, never a command; no output shows it (the raw line keeps it).
            event.command = CodexRolloutDecoder.typedSecret
            attributes.append(("typed_secret", .text("typed at a password prompt")))
            return
        }
        if tool == "write_stdin", let typed = args["chars"]?.string, !typed.isEmpty {
            event.command = event.command ?? typed
            if let id = args["session_id"]?.scalarText, let reader = CodexRolloutDecoder.typedProgram(typed, into: id, state: state) {
                client = reader.program + " <<'HA_TYPED'\n" + typed + "\nHA_TYPED"
                remote = reader.remote
            }
        }
        if let client {
            state.classify(&copy, command: client)
            copy.classes |= ActionClasses.write.rawValue
            // Typed into a shell the session opened there earlier: it runs there, but opens nothing new (the exec or
            // the login was the call that started the shell's).
            if remote { copy.classes &= ~(ActionClasses.remoteExec.rawValue | ActionClasses.write.rawValue) }
        } else {
            state.classify(&copy, input: args)
        }
        // A poll (nothing typed) of a test run left running waits for it: its result is the run's (`Process exited with
        // code 0`), so the poll counts as the test it waited for.
        if tool == "write_stdin", !(args["chars"]?.string ?? "").contains(where: { $0.isLetter }),
           let id = args["session_id"]?.scalarText, let top = state.codexFile.processes[id]?.last,
           state.classifyDetached(top, for: copy).classes.contains(.test) {
            copy.classes |= ActionClasses.test.rawValue
        }
        event.classes = copy.classes
        event.targets = copy.targets
        event.production = copy.production
    }

    private func decodeEventMessage(_ payload: JSONValue, type: String?, event: inout EventRecord,
                                    attributes: inout [(String, DecodeSupport.AttributeValue?)], flags: inout EventFlags,
                                    state: DecodingState) {
        switch type {
        case "user_message":
            let text = payload["message"]?.string
            if let text, let policy = CodexRolloutDecoder.environmentContext(text) {
                event.kind = CodexRolloutDecoder.adopt(policy, state: state)
            } else {
                event.kind = .prompt
                attributes.append(("prompt", .clipped(text)))
            }
        case "agent_message", "agent_reasoning", "agent_reasoning_raw_content":
            event.kind = .message
        case "exec_command_end", "patch_apply_end", "mcp_tool_call_end":
            event.kind = .toolResult
            event.callID = DecodeSupport.text(payload["call_id"], &flags)
            if let code = payload["exit_code"]?.int64 {
                event.outcome = code == 0 ? .success : .failure
                attributes.append(("exit_code", .int(code)))
            } else if let success = payload["success"]?.bool {
                event.outcome = success ? .success : .failure
            } else if let result = payload["result"] {
                // `{Err: text}`, or a tool's own error (`{Ok: {content, isError: true}}`): what it said is kept, so a
                // refusal in it (`Forbidden`, `permission denied for table`) is a blocked attempt.
                let ok = result["Ok"]
                let failed = result["Err"] != nil || ok?["isError"]?.bool == true || ok?["is_error"]?.bool == true
                event.outcome = failed ? .failure : .success
                if failed {
                    let text = result["Err"]?.string
                        ?? (ok?["content"]?.elements ?? []).compactMap { $0["text"]?.string }.joined(separator: "\n")
                    attributes.append(("output", .clipped(text, 300)))
                }
            }
            if type == "exec_command_end" {
                // `status: declined`: the user turned the command down (it did not run). Another failure keeps what it said,
                // so a platform's refusal in it (`Error from server (Forbidden)`) is a blocked attempt.
                let status = payload["status"]?.string?.lowercased()
                if status == "declined" || status == "rejected" || status == "denied" {
                    event.outcome = .denied
                    event.decision = .deny
                    event.decisionSource = .user
                } else if event.outcome == .failure,
                          let text = (payload["aggregated_output"] ?? payload["formatted_output"] ?? payload["stderr"])?.string {
                    attributes.append(("output", .clipped(text, 300)))
                }
            }
            // Extended history: what ran, in case no function call records it (a command the user ran from the
            // TUI, `source: user_shell`; a log that kept only events). With a call, the action takes the call's.
            if type == "exec_command_end", let argv = payload["command"], argv.isArray {
                let userShell = payload["source"]?.string == "user_shell"
                event.tool = userShell ? "user_shell" : "exec_command"
                event.command = ShellQuoting.join(argv.elements.compactMap(\.scalarText))
                if userShell {
                    // The person at the terminal ran it (`!cmd`): kept and classified as a record, not an agent's action.
                    event.kind = .other
                    event.decision = .allow
                    event.decisionSource = .user
                }
                var context = state.codexFile.context
                if let cwd = payload["cwd"]?.string { context.cwd = cwd }
                state.classify(&event, input: payload, in: context)
            }
            if type == "patch_apply_end", let changes = payload["changes"], changes.isObject {
                event.tool = "apply_patch"
                state.classify(&event, input: payload, in: state.codexFile.context)
            }
            if type == "mcp_tool_call_end", let invocation = payload["invocation"] {
                let server = invocation["server"]?.string ?? "mcp"
                let tool = invocation["tool"]?.string ?? "tool"
                event.tool = "\(server)__\(tool)"
                state.classify(&event, input: invocation["arguments"], in: state.codexFile.context)
            }
        case "exec_approval_request", "apply_patch_approval_request":
            event.kind = .permissionRequest
            event.decision = .ask
            event.callID = DecodeSupport.text(payload["call_id"], &flags)
            // Put to the user: the call's output, if it ran, says the user approved it.
            if let callID = event.callID {
                if state.codexFile.escalationsAsked.count > 4096 { state.codexFile.escalationsAsked.removeAll() }
                state.codexFile.escalationsAsked.insert(callID)
            }
        case "patch_apply_begin" where payload["auto_approved"]?.bool == false:
            // A patch applied that Codex did not approve itself: the user did (or the automated reviewer answering for them).
            event.kind = .permissionDecision
            event.decision = .allow
            event.decisionSource = state.codexFile.inferredApprovalSource
            event.callID = DecodeSupport.text(payload["call_id"], &flags)
            flags.insert(.decisionInferred)
            attributes.append(("decision_inferred", .text("patch_apply_begin auto_approved false")))
        case "turn_aborted":
            attributes.append(("reason", .optional(payload["reason"]?.string)))
        case "token_count", "task_started", "task_complete", "context_compacted":
            event.kind = .other
        default:
            event.kind = .other
        }
    }

    struct OutputResult {
        var outcome: Outcome
        var exitCode: Int64?
        var text: String?
        var deniedBy: DecisionSource?
    }

    /// Reads a tool output given as a string, a JSON-in-a-string `{output, metadata:{exit_code}}`,
    /// unified-exec text (`Process exited with code N`) or an array of content items.
    static func outputResult(_ output: JSONValue?, state: DecodingState) -> OutputResult {
        guard let output else { return OutputResult(outcome: .success) }
        if output.isObject {
            let code = output["metadata"]?["exit_code"]?.int64 ?? output["exit_code"]?.int64
            return classifyText(output["output"]?.string ?? "", exitCode: code)
        }
        // An array of content items (`[{"type": "input_text", "text": "…Process exited with code 1…"}]`): their text, read
        // as the string form is (its exit code included).
        let items = output.isArray ? output.elements.compactMap { $0["text"]?.string }.joined(separator: "\n") : nil
        guard let text = items ?? output.string else { return OutputResult(outcome: .success) }
        if text.hasPrefix("{") {
            let parsed: OutputResult? = state.withNestedJSON(text) { json in
                guard let json, json.isObject, json["output"] != nil || json["metadata"] != nil else { return nil }
                let code = json["metadata"]?["exit_code"]?.int64
                return classifyText(json["output"]?.string ?? "", exitCode: code)
            }
            if let parsed { return parsed }
        }
        var code: Int64?
        if text.hasPrefix("{"), let range = text.range(ofASCII: "\"exit_code\":") {
            // The same object, not valid JSON (a raw newline in its text): its exit code is still what it says.
            code = Int64(text[range.upperBound...].drop { $0 == " " }.prefix { $0 == "-" || $0.isNumber })
        } else if let range = text.range(ofASCII: "Process exited with code ") {
            code = Int64(text[range.upperBound...].prefix { $0 == "-" || $0.isNumber })
        } else if let range = text.range(ofASCII: "Exit code: ") {
            code = Int64(text[range.upperBound...].prefix { $0 == "-" || $0.isNumber })
        }
        return classifyText(text, exitCode: code)
    }

    /// Whether Codex asks the user before applying the patch `text` under the file's policy: always under `untrusted`; under
    /// `on-request` in a workspace-write sandbox, when a file it changes lies outside the working directory, the writable
    /// roots and `/tmp`.
    static func patchAsksUser(_ text: String, state: DecodingState) -> Bool {
        let policy = state.codexFile.policy
        if DecodingState.CodexFile.asksForEveryCommand(policy.approvalPolicy) { return true }
        guard DecodingState.CodexFile.asksForEscalation(policy.approvalPolicy),
              DecodingState.CodexFile.policyName(policy.sandbox) == "workspacewrite", let cwd = state.codexFile.context.cwd else { return false }
        let roots = [cwd, "/tmp"] + (policy.writableRoots?.split(separator: "\n").map(String.init) ?? [])
        let paths = PatchParser.parse(text).flatMap { [$0.path] + ($0.destination.map { [$0] } ?? []) }
        return paths.contains { path in
            let absolute = PathNormalizer.absolute(path, cwd: cwd, home: nil)
            return !roots.contains { PathNormalizer.isInside(absolute, root: $0) }
        }
    }

    /// Whether an MCP tool's answer is Codex's report of the call failing (`err: …`, `tool call error: …`) or a client's
    /// own error line (`Error from server (Forbidden): …`), not data that happens to start with "error".
    static func isErrorAnswer(_ text: String) -> Bool {
        let first = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }.prefix(24).lowercased()
        return first.hasPrefix("err:") || first.hasPrefix("tool call error") || first.hasPrefix("error from server")
            || first.hasPrefix("error executing tool") || first.hasPrefix("error calling tool")
    }

    /// A refusal is what Codex writes in place of running the command ("exec command rejected by user"): its
    /// first line, with no exit code. Text that a command printed (its output follows an exit code or a
    /// process header) is not a refusal, whatever it says.
    static func classifyText(_ text: String, exitCode: Int64?) -> OutputResult {
        let firstLine = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }.prefix { $0 != "\n" }
        // Codex's refusal is a short line of its own words ("exec command rejected by user", "patch rejected by user",
        // "exec command rejected: blocked by policy"): a line that only mentions a refusal is a tool's output.
        let lower = exitCode == nil && !text.containsASCII("Wall time:") && firstLine.count <= 160 ? firstLine.lowercased() : ""
        let refusal = ["exec command rejected", "patch rejected", "command rejected", "rejected by user", "denied by user",
                       "aborted by user", "user denied", "user rejected", "approval was denied", "execution denied",
                       "command blocked", "blocked by policy", "forbidden by exec policy", "rejected by policy",
                       // The unified exec handler's error for a refusal (`unified exec failed: UserRejected`, Debug-printed).
                       "unified exec failed: userrejected", "unified exec failed: rejected"]
        // Or its one short line for a call the user turned down (`denied`, `abort`: "aborted", "Command was denied by the
        // user") or left unanswered (`timed_out`), worded by the build: a call that ran says how it exited.
        let line = lower.trimmingSpaces.filter { $0 != "." && $0 != "!" }
        let oneLine = !text.trimmingSpaces.contains("\n") && line.count <= 80
        let turnedDown = ["command was denied", "command was rejected", "command was aborted", "command was declined",
                          "request was denied", "the user denied", "the user rejected", "the user declined", "user declined",
                          "user aborted", "approval denied", "not approved by", "execution aborted", "denied:", "rejected:"]
        // The automated reviewer's refusal ("This action was rejected due to unacceptable risk.", then its reason).
        if lower.hasPrefix("this action was rejected") {
            return OutputResult(outcome: .denied, exitCode: exitCode, text: text, deniedBy: .auto)
        }
        // The exec policy's, naming the command first ("`/bin/bash -lc 'rm -rf data'` rejected: blocked by policy").
        if refusal.contains(where: { lower.hasPrefix($0) }) || lower.containsASCII("rejected: blocked by policy")
            || lower.containsASCII("` rejected: ") && lower.containsASCII("policy")
            || oneLine && (["denied", "rejected", "declined"].contains(line) || turnedDown.contains { line.hasPrefix($0) }) {
            let byPolicy = lower.containsASCII("policy")
            return OutputResult(outcome: .denied, exitCode: exitCode, text: text, deniedBy: byPolicy ? .policy : .user)
        }
        if oneLine && (["timed out", "timed_out", "request timed out", "aborted", "abort"].contains(line)
                       || line.containsASCII("timed out") && line.containsASCII("approval")) {
            // No answer came, or the turn was interrupted (`aborted`, also written for a command that was already
            // running): it may have run in part, and who stopped it is unknown (a failure, never a success; after a
            // denial, the denial's own report).
            return OutputResult(outcome: .failure, exitCode: exitCode, text: text)
        }
        if let exitCode { return OutputResult(outcome: exitCode == 0 ? .success : .failure, exitCode: exitCode, text: text) }
        return OutputResult(outcome: .success, text: text)
    }

    /// The policy an environment context message states, in force unless a turn context stated one (turn
    /// contexts are the harness's own record): the kind of event the message is.
    static func adopt(_ policy: PolicyState, state: DecodingState) -> EventKind {
        guard !state.codexFile.sawTurnContext else { return .config }
        let previous = state.codexFile.policy
        state.codexFile.policy = policy
        return policy != previous ? .modeChange : .config
    }

    /// `<approval_policy>…</approval_policy><sandbox_mode>…</sandbox_mode>` in an environment context message.
    /// Only a message that is the harness's environment context (it starts with the tag): a policy quoted in other
    /// text (instructions, a prompt) says nothing of the session's.
    static func environmentContext(_ text: String) -> PolicyState? {
        let start = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard start.hasPrefix("<environment_context>") || start.hasPrefix("<approval_policy>") else { return nil }
        func tag(_ name: String) -> String? {
            guard let open = text.range(ofASCII: "<\(name)>"),
                  let close = text[open.upperBound...].range(ofASCII: "</\(name)>") else { return nil }
            return String(text[open.upperBound..<close.lowerBound]).trimmingSpaces
        }
        var policy = PolicyState(approvalPolicy: tag("approval_policy"), sandbox: tag("sandbox_mode") ?? tag("sandbox_policy"))
        if let network = tag("network_access") { policy.networkAccess = network == "enabled" || network == "true" }
        guard policy.approvalPolicy != nil || policy.sandbox != nil else { return nil }
        normalize(&policy)
        return policy
    }
}
