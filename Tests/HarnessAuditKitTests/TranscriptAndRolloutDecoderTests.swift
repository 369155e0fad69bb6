import Testing
@testable import HarnessAuditKit

@Suite("claude-transcript decoder")
struct ClaudeTranscriptDecoderTests {
    let decoded = TestSupport.decode(TestSupport.lines(ofFixture: "formats/claude_transcript_variants.jsonl"))

    func events(_ line: Int) -> [EventRecord] {
        if let rejection = decoded[line - 1].rejection { Issue.record("line \(line) rejected: \(rejection.detail)") }
        return decoded[line - 1].events
    }

    @Test("every line decodes as claude-transcript")
    func allDecode() {
        #expect(decoded.allSatisfy { $0.rejection == nil })
        #expect(decoded.flatMap(\.events).allSatisfy { $0.format == .claudeTranscript })
    }

    @Test("user text is a prompt carrying the permission mode; the mode carries to later entries")
    func prompts() {
        let first = events(1)[0]
        #expect(first.kind == .prompt)
        #expect(first.policy.mode == .default)
        #expect(first.session == "7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13")
        #expect(first.context.branch == "main")
        #expect(first.context.agentVersion == "2.1.63")
        #expect(events(2)[0].kind == .prompt, "text blocks are prompts too")
        #expect(events(2)[0].policy.mode == .plan)
        #expect(events(3)[0].policy.mode == .bypass)
        #expect(events(8)[0].policy.mode == .bypass, "the tool_use after a bypass prompt runs in bypass")
    }

    @Test("tool_use blocks are tool calls with id, name and classes; old and new names")
    func toolUse() {
        let read = events(4)[0]
        #expect(read.kind == .toolCall)
        #expect(read.tool == "Read")
        #expect(read.callID == "toolu_01Read")
        #expect(ActionClasses(rawValue: read.classes).contains(.sensitiveRead))
        let push = events(5)[0]
        #expect(push.command == "git push --force origin main")
        #expect(ActionClasses(rawValue: push.classes).isSuperset(of: [.merge, .highRisk]))
        #expect(events(6)[0].tool == "Task")
        #expect(events(7)[0].tool == "Agent")
        #expect(events(8)[0].tool == "MultiEdit")
        #expect(events(8)[0].targets?.contains("/home/alice/app/src/app.py") == true, "relative paths resolve against cwd")
    }

    @Test("text and thinking blocks are messages")
    func messages() {
        #expect(events(10)[0].kind == .message)
        #expect(events(11)[0].kind == .message)
        #expect(events(12)[0].kind == .message)
    }

    @Test("tool results: success, rule denials, manual rejections, a headless run's denials, failures; a command that printed a denial's words after its exit code ran",
          arguments: [
        (13, Outcome.success, nil as DecisionSource?), (14, .success, nil), (15, .success, nil),
        (16, .denied, .user), (17, .denied, .config), (18, .denied, .config), (19, .denied, .user), (20, .failure, nil),
        (21, .denied, .config), (28, .failure, nil), (29, .denied, .auto),
    ])
    func results(_ line: Int, _ outcome: Outcome, _ source: DecisionSource?) {
        let result = events(line)[0]
        #expect(result.kind == .toolResult)
        #expect(result.outcome == outcome)
        #expect(result.decisionSource == source)
        if outcome == .denied { #expect(result.decision == .deny) }
        #expect(result.callID != nil)
    }

    @Test("entry types the reference does not list are kept as the session's entries; a permission-mode entry is a mode change")
    func newerEntryTypes() throws {
        let session = "16161616-4444-4555-8666-777777777777"
        let lines = [
            #"{"type":"custom-title","customTitle":"list files","sessionId":"\#(session)"}"#,
            #"{"type":"last-prompt","lastPrompt":"ls","sessionId":"\#(session)"}"#,
            #"{"type":"pr-link","url":"https://github.com/acme/app/pull/7","sessionId":"\#(session)"}"#,
            #"{"type":"permission-mode","permissionMode":"bypassPermissions","sessionId":"\#(session)","timestamp":"2026-08-30T13:00:09.000Z"}"#,
        ]
        let decoded = TestSupport.decode(lines)
        #expect(decoded.allSatisfy { $0.rejection == nil }, "\(decoded.compactMap { $0.rejection?.detail })")
        let events = decoded.flatMap(\.events)
        #expect(events.allSatisfy { $0.format == .claudeTranscript && $0.session == session })
        #expect(events[3].kind == .modeChange && events[3].policy.mode == .bypass)
        #expect(events[0].kind == .other)
    }

    @Test("sidechain entries are sub-agent events")
    func sidechain() {
        #expect(events(22)[0].flags.contains(.subagent))
    }

    @Test("summary and snapshot lines, which carry no session id, are attributed to the file's session")
    func summaries() {
        #expect(events(23)[0].session == "7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13")
        #expect(events(23)[0].name == "summary")
        #expect(events(24)[0].kind == .other)
        #expect(events(25)[0].name == "system")
        #expect(events(26)[0].name == "queue-operation")
        #expect(events(27)[0].session == "7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13")
    }

    @Test("a summary or snapshot that opens a transcript, before any entry names the session, is the session its file is named for")
    func leadingSummaries() {
        let session = "dddddddd-0000-4000-8000-000000000002"
        let lines = [#"{"type":"summary","summary":"Earlier work","leafUuid":"4d2196f2-bd5f-45fd-9777-83d22fabe49d"}"#,
                     #"{"type":"file-history-snapshot","messageId":"m1","snapshot":{"messageId":"m1","trackedFileBackups":{}},"isSnapshotUpdate":false}"#,
                     #"{"parentUuid":null,"cwd":"/home/alice/app","sessionId":"\#(session)","type":"user","message":{"role":"user","content":"hi"},"uuid":"u1","timestamp":"2026-03-01T10:00:02.000Z"}"#]
        let named = TestSupport.decode(lines, path: "/home/alice/.claude/projects/-home-alice-app/\(session).jsonl").flatMap(\.events)
        #expect(named.map(\.session) == [session, session, session])
        // A file not named for a session leaves them to no session rather than guessing.
        let other = TestSupport.decode(lines, path: "/logs/transcript-copy.jsonl").flatMap(\.events)
        #expect(other.first?.session == nil && other.last?.session == session)
        #expect(ClaudeTranscriptDecoder.sessionNamed(byFile: "/x/\(session).jsonl.gz") == session)
        #expect(ClaudeTranscriptDecoder.sessionNamed(byFile: "/x/agent-a1b2c3d4.jsonl") == nil)
    }
}

@Suite("codex-rollout decoder")
struct CodexRolloutDecoderTests {
    static let file = "formats/rollout-2026-08-29T10-12-33-019ef1a2-66c1-72a1-b1c7-14cac28a12f8.jsonl"
    let decoded = TestSupport.decode(TestSupport.lines(ofFixture: CodexRolloutDecoderTests.file), path: CodexRolloutDecoderTests.file)

    func event(_ line: Int) -> EventRecord {
        if let rejection = decoded[line - 1].rejection { Issue.record("line \(line) rejected: \(rejection.detail)") }
        return decoded[line - 1].events[0]
    }

    @Test("text typed into a database client Codex left running is that client's statements, with its connection")
    func typedIntoDatabaseClient() {
        let lines = [
            #"{"timestamp":"2026-09-21T08:00:00.000Z","type":"session_meta","payload":{"id":"019ef1a2-0000-7000-8000-0000000000d8","timestamp":"2026-09-21T08:00:00.000Z","cwd":"/home/wes/app","originator":"codex_cli_rs","cli_version":"0.150.1"}}"#,
            #"{"timestamp":"2026-09-21T08:00:05.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\": \"psql \\\"$PROD_DATABASE_URL\\\"\", \"tty\": true}","call_id":"w3"}}"#,
            #"{"timestamp":"2026-09-21T08:00:06.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"w3","output":"Chunk ID: a3\nWall time: 0.5 seconds\nProcess running with session ID 8\nOriginal token count: 1\nOutput:\nshop=> "}}"#,
            #"{"timestamp":"2026-09-21T08:00:07.000Z","type":"response_item","payload":{"type":"function_call","name":"write_stdin","arguments":"{\"session_id\": 8, \"chars\": \"DROP TABLE orders;\\n\"}","call_id":"w4"}}"#,
            #"{"timestamp":"2026-09-21T08:00:07.500Z","type":"response_item","payload":{"type":"function_call_output","call_id":"w4","output":"Chunk ID: a4\nWall time: 0.2 seconds\nProcess running with session ID 8\nOriginal token count: 2\nOutput:\nDROP TABLE\nshop=> "}}"#,
            #"{"timestamp":"2026-09-21T08:00:08.000Z","type":"response_item","payload":{"type":"function_call","name":"write_stdin","arguments":"{\"session_id\": 9, \"chars\": \"DROP TABLE orders;\\n\"}","call_id":"w5"}}"#,
            #"{"timestamp":"2026-09-21T08:00:09.000Z","type":"response_item","payload":{"type":"function_call","name":"write_stdin","arguments":"{\"session_id\": 8, \"chars\": \"DELETE FROM users;\\n\"}","call_id":"w6"}}"#,
        ]
        let events = TestSupport.decode(lines).flatMap(\.events)
        let typed = events.first { $0.callID == "w4" }!
        let classes = ActionClasses(rawValue: typed.classes)
        #expect(classes.contains(.schema) && classes.contains(.delete))
        #expect(typed.production != nil, "the client's connection names production")
        #expect(typed.command == "DROP TABLE orders;\n")
        // Typed into no process this session started: read as a shell would.
        let unknown = events.first { $0.callID == "w5" }!
        #expect(!ActionClasses(rawValue: unknown.classes).contains(.schema))
        // A second statement typed into the same client (whose output names the process again) is the client's too.
        let second = events.first { $0.callID == "w6" && $0.kind == .toolCall }!
        #expect(ActionClasses(rawValue: second.classes).contains(.delete) && second.production != nil)
    }

    /// A Codex session that starts `command` as process 9, then runs `typed` lines into it with `write_stdin`.
    static func session(starting command: String, output: String = "Output:\\n$ ", typed: [String]) -> [EventRecord] {
        let lines = [
            #"{"timestamp":"2026-09-21T08:00:00.000Z","type":"session_meta","payload":{"id":"019ef1a2-0000-7000-8000-0000000000da","timestamp":"2026-09-21T08:00:00.000Z","cwd":"/home/wes/app","originator":"codex_cli_rs","cli_version":"0.150.1"}}"#,
            #"{"timestamp":"2026-09-21T08:00:05.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\": \"\#(command)\", \"tty\": true}","call_id":"r1"}}"#,
            #"{"timestamp":"2026-09-21T08:00:06.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"r1","output":"Chunk ID: r1\nWall time: 0.5 seconds\nProcess running with session ID 9\nOriginal token count: 1\n\#(output)"}}"#,
        ] + typed.enumerated().map { Self.typed("t\($0.offset + 1)", 10 + $0.offset, $0.element) }
        return TestSupport.decode(lines).flatMap(\.events)
    }

    @Test("a fork's copy of its parent's history (dated before the fork, its session_meta too) is the parent's; the fork's own lines are the fork's")
    func forkedRollout() {
        let parent = "019ef1a2-0000-7000-8000-0000000000f0", fork = "019ef1a2-0000-7000-8000-0000000000f1"
        let lines = [
            #"{"timestamp":"2026-09-16T11:00:00.000Z","type":"session_meta","payload":{"id":"\#(fork)","forked_from_id":"\#(parent)","timestamp":"2026-09-16T11:00:00.000Z","cwd":"/home/alice/app","originator":"codex_cli_rs","cli_version":"0.150.1"}}"#,
            #"{"timestamp":"2026-09-16T10:00:00.000Z","type":"session_meta","payload":{"id":"\#(parent)","timestamp":"2026-09-16T10:00:00.000Z","cwd":"/home/alice/app","originator":"codex_cli_rs","cli_version":"0.150.1"}}"#,
            #"{"timestamp":"2026-09-16T10:01:00.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\": \"rm -rf dist\"}","call_id":"p1"}}"#,
            #"{"timestamp":"2026-09-16T10:01:01.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"p1","output":"Process exited with code 0\nOutput:\n"}}"#,
            #"{"timestamp":"2026-09-16T11:05:00.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\": \"rm -rf docs/old\"}","call_id":"f1"}}"#,
        ]
        let sessions = TestSupport.decode(lines).flatMap(\.events).map(\.session)
        #expect(sessions == [fork, parent, parent, parent, fork], "\(sessions)")
    }

    @Test("text typed into a shell on another host or in a pod (ssh, kubectl exec -it) runs there, and opens nothing new")
    func typedIntoRemoteShell() {
        let ssh = Self.session(starting: "ssh deploy@web-prod-01", typed: [#"sudo rm -rf /var/log/nginx/old\\n"#, #"exit\\n"#, #"rm -rf tmp\\n"#])
        let remote = ssh.first { $0.callID == "t1" }!
        #expect(remote.targets?.contains("web-prod-01:/var/log/nginx/old") == true, "\(remote.targets ?? "")")
        #expect(remote.production != nil && !ActionClasses(rawValue: remote.classes).contains(.remoteExec))
        // After `exit`, nothing runs there: the next line is no remote's.
        #expect(ssh.first { $0.callID == "t3" }?.targets?.contains("web-prod-01:") == false)
        let pod = Self.session(starting: "kubectl --context prod-us exec -it api-0 -- bash", typed: [#"rm -rf /data/uploads\\n"#])
        let inPod = pod.first { $0.callID == "t1" }!
        #expect(inPod.targets?.contains("pod/api-0:/data/uploads") == true && inPod.production != nil, "\(inPod.targets ?? "")")
        // An ssh that runs a command reads no typed lines.
        let command = Self.session(starting: "ssh web-prod-01 tail -f /var/log/app.log", typed: [#"rm -rf tmp\\n"#])
        #expect(command.first { $0.callID == "t1" }?.targets?.contains("web-prod-01:") == false)
    }

    @Test("a line typed at a password prompt is a secret, never a command: no output shows it; the next line is the program's again")
    func typedAtPasswordPrompt() {
        // `sudo -S` reads a password first; `mysql -p` too; any program whose output ends asking for one.
        for (command, output) in [("sudo -S apt-get install -y jq", "Output:\\n"), ("mysql -u root -p shop_prod", "Output:\\nEnter password: "),
                                  ("ssh deploy@web-01", "Output:\\ndeploy@web-01's password: ")] {
            let events = Self.session(starting: command, output: output, typed: [#"Tr0ub4dorPw\\n"#, #"DROP TABLE carts;\\n"#])
            let secret = events.first { $0.callID == "t1" }!
            #expect(secret.command == CodexRolloutDecoder.typedSecret && secret.classes == 0, "\(command): \(secret.command ?? "")")
            #expect(!(secret.targets ?? "").contains("Tr0ub4dorPw"))
            let next = events.first { $0.callID == "t2" }!
            #expect(next.command == "DROP TABLE carts;\n", "\(command)")
        }
        // A shell at its prompt: what is typed is a command.
        let shell = Self.session(starting: "bash", typed: [#"rm -rf tmp\\n"#])
        #expect(ActionClasses(rawValue: shell.first { $0.callID == "t1" }!.classes).contains(.delete))
    }

    @Test("a test run Codex left running has passed nothing; a poll that sees it end is its result")
    func testRunLeftRunning() {
        let events = Self.session(starting: "pytest -q", output: "Output:\\n....", typed: [""])
        let started = events.first { $0.callID == "r1" && $0.kind == .toolResult }!
        #expect(started.outcome == nil, "still running: no outcome yet")
        let poll = events.first { $0.callID == "t1" && $0.kind == .toolCall }!
        #expect(ActionClasses(rawValue: poll.classes).contains(.test), "a poll of the test run waits for it")
    }

    /// A `write_stdin` of `chars` into the program Codex left running as session 9, at second `second`.
    static func typed(_ call: String, _ second: Int, _ chars: String) -> String {
        #"{"timestamp":"2026-09-21T08:00:\#(second).000Z","type":"response_item","payload":{"type":"function_call","name":"write_stdin","arguments":"{\"session_id\": 9, \"chars\": \"\#(chars)\"}","call_id":"\#(call)"}}"#
    }

    @Test("a database client started by typing into a shell reads what is typed next, until it is quit")
    func clientStartedInAShell() {
        let lines = [
            #"{"timestamp":"2026-09-21T08:00:00.000Z","type":"session_meta","payload":{"id":"019ef1a2-0000-7000-8000-0000000000d9","timestamp":"2026-09-21T08:00:00.000Z","cwd":"/home/wes/app","originator":"codex_cli_rs","cli_version":"0.150.1"}}"#,
            #"{"timestamp":"2026-09-21T08:00:05.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\": \"bash\", \"tty\": true}","call_id":"b1"}}"#,
            #"{"timestamp":"2026-09-21T08:00:06.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"b1","output":"Chunk ID: b1\nWall time: 0.5 seconds\nProcess running with session ID 9\nOriginal token count: 1\nOutput:\n$ "}}"#,
            Self.typed("t1", 10, #"psql \\\"$PROD_DATABASE_URL\\\"\\n"#),
            Self.typed("t2", 11, #"DROP TABLE z;\\n"#),
            Self.typed("t3", 12, #"\\\\q\\n"#),
            Self.typed("t4", 13, #"rm -rf /srv/data\\n"#),
        ]
        let events = TestSupport.decode(lines).flatMap(\.events)
        func classes(_ call: String) -> ActionClasses { ActionClasses(rawValue: events.first { $0.callID == call }!.classes) }
        #expect(classes("t2").contains(.schema) && events.first { $0.callID == "t2" }!.production != nil)
        #expect(classes("t4").contains(.delete) && !classes("t4").contains(.schema), "after \\q the shell reads again")
    }

    @Test("psql's \\c to another server ends the production connection; to another database of the same server it does not")
    func psqlReconnects() {
        let lines = [
            #"{"timestamp":"2026-09-21T08:00:00.000Z","type":"session_meta","payload":{"id":"019ef1a2-0000-7000-8000-0000000000da","timestamp":"2026-09-21T08:00:00.000Z","cwd":"/home/wes/app","originator":"codex_cli_rs","cli_version":"0.150.1"}}"#,
            #"{"timestamp":"2026-09-21T08:00:05.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\": \"psql -h db.prod.internal -d shop\", \"tty\": true}","call_id":"p1"}}"#,
            #"{"timestamp":"2026-09-21T08:00:06.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"p1","output":"Process running with session ID 9\nOutput:\nshop=> "}}"#,
            Self.typed("c1", 10, #"\\\\c shop_archive\\n"#),
            Self.typed("d1", 11, #"DROP TABLE a;\\n"#),
            Self.typed("c2", 12, #"\\\\c postgresql://localhost:5432/shop_dev\\n"#),
            Self.typed("d2", 13, #"DROP TABLE b;\\n"#),
            Self.typed("c3", 14, #"\\\\connect shop postgres db.prod.internal\\n"#),
            Self.typed("d3", 15, #"DROP TABLE c;\\n"#),
            Self.typed("c4", 16, #"\\\\c 'host=127.0.0.1 dbname=scratch'\\n"#),
            Self.typed("d4", 17, #"DROP TABLE d;\\n"#),
            Self.typed("c5", 18, #"\\\\c postgres://db.prod.internal/shop\\n"#),
            Self.typed("c6", 19, #"\\\\c dbname=other\\n"#),
            Self.typed("d6", 20, #"DROP TABLE e;\\n"#),
        ]
        let events = TestSupport.decode(lines).flatMap(\.events)
        func call(_ id: String) -> EventRecord { events.first { $0.callID == id }! }
        for id in ["d1", "d2", "d3", "d4"] {
            #expect(ActionClasses(rawValue: call(id).classes).contains(.schema), "\(id) is the client's statement")
        }
        #expect(call("d1").production != nil, "another database on the same server is still production")
        #expect(call("d2").production == nil, "\\c to a local URI leaves production")
        #expect(call("d3").production != nil, "\\connect with a production host as its third argument")
        #expect(call("d4").production == nil, "\\c with connection parameters")
        #expect(call("d6").production != nil, "parameters that name no host stay on the server")
        #expect(!ActionClasses(rawValue: call("c2").classes).contains(.schema))
    }

    @Test("every line decodes; every event carries the session of session_meta")
    func session() {
        #expect(decoded.allSatisfy { $0.rejection == nil })
        #expect(decoded.flatMap(\.events).allSatisfy { $0.session == "019ef1a2-66c1-72a1-b1c7-14cac28a12f8" })
        let meta = event(1)
        #expect(meta.kind == .sessionStart)
        #expect(meta.context.agent == "codex")
        #expect(meta.context.agentVersion == "0.150.1")
        #expect(meta.context.repo == "acme/app")
        #expect(meta.context.branch == "main")
    }

    @Test("rollouts concatenated into one file: the second session carries nothing of the first's policy or context")
    func concatenatedRollouts() {
        func meta(_ id: String, _ cwd: String) -> String {
            #"{"timestamp":"2026-10-01T08:00:00.000Z","type":"session_meta","payload":{"id":"\#(id)","timestamp":"2026-10-01T08:00:00.000Z","cwd":"\#(cwd)","originator":"codex_cli_rs","cli_version":"0.150.1"}}"#
        }
        let lines = [
            meta("019ef1a2-0000-7000-8000-0000000000a1", "/home/ann/api"),
            #"{"timestamp":"2026-10-01T08:00:01.000Z","type":"turn_context","payload":{"cwd":"/home/ann/api","approval_policy":"never","sandbox_policy":{"type":"danger-full-access"},"model":"gpt-5-codex"}}"#,
            meta("019ef1a2-0000-7000-8000-0000000000a2", "/home/bob/web"),
            #"{"timestamp":"2026-10-02T08:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"ls\"}","call_id":"c1"}}"#,
        ]
        let events = TestSupport.decode(lines).flatMap(\.events)
        #expect(events[1].policy.mode == .bypass)
        #expect(events[2].session == "019ef1a2-0000-7000-8000-0000000000a2" && events[2].policy.mode != .bypass)
        #expect(events[3].policy.mode != .bypass && events[3].context.cwd == "/home/bob/web")
        // A fork's copy of its parent's session_meta is not another file: the fork's policy stays.
        var fork = [meta("019ef1a2-0000-7000-8000-0000000000f1", "/home/ann/api")
                        .replacingOccurrences(of: #""cli_version""#, with: #""forked_from_id":"019ef1a2-0000-7000-8000-0000000000a1","cli_version""#)]
        fork.append(lines[1])
        fork.append(meta("019ef1a2-0000-7000-8000-0000000000a1", "/home/ann/api"))
        fork.append(lines[3])
        #expect(TestSupport.decode(fork).flatMap(\.events)[3].policy.mode == .bypass)
    }

    @Test("a rollout with neither session_meta nor a rollout file name: its first line names the session, never an empty one")
    func sessionWithoutMetaOrName() {
        let one = [#"{"timestamp":"2026-10-01T08:00:01.000Z","type":"turn_context","payload":{"cwd":"/a","approval_policy":"on-request","sandbox_policy":{"type":"workspace-write"}}}"#,
                   #"{"timestamp":"2026-10-01T08:00:02.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"ls\"}","call_id":"c1"}}"#]
        let other = [#"{"timestamp":"2026-10-03T09:00:01.000Z","type":"turn_context","payload":{"cwd":"/b","approval_policy":"never","sandbox_policy":{"type":"danger-full-access"}}}"#]
        let first = TestSupport.decode(one, path: "host1-codex.jsonl").flatMap(\.events)
        let second = TestSupport.decode(other, path: "host2-codex.jsonl").flatMap(\.events)
        let copy = TestSupport.decode(one + [#"{"timestamp":"2026-10-01T08:00:03.000Z","type":"event_msg","payload":{"type":"agent_message","message":"done"}}"#],
                                      path: "copy.jsonl").flatMap(\.events)
        let session = first[0].session ?? ""
        #expect(!session.isEmpty && first.allSatisfy { $0.session == session })
        #expect(second[0].session != session, "unrelated files never share a session")
        #expect(copy.allSatisfy { $0.session == session }, "a renamed, grown copy names the same session")
    }

    @Test("without session_meta the session comes from the rollout file name")
    func sessionFromFileName() {
        let line = TestSupport.lines(ofFixture: CodexRolloutDecoderTests.file)[3]
        let result = TestSupport.decode([line], path: "logs/rollout-2026-08-29T10-12-33-019ef1a2-66c1-72a1-b1c7-14cac28a12f8.jsonl.gz")
        #expect(result[0].events[0].session == "019ef1a2-66c1-72a1-b1c7-14cac28a12f8")
    }

    @Test("turn_context: never + danger-full-access is bypass; .type and .mode forms; the latest wins")
    func policy() {
        let turn = event(2)
        #expect(turn.kind == .modeChange)
        #expect(turn.policy.mode == .bypass)
        #expect(turn.policy.approvalPolicy == "never")
        #expect(turn.policy.sandbox == "danger-full-access")
        #expect(event(4).policy.mode == .bypass, "the call runs under the turn's policy")
        let older = event(9)
        #expect(older.policy.sandbox == "workspace-write", "sandbox_policy.mode (older builds)")
        #expect(older.policy.mode == .default)
        #expect(older.policy.writableRoots == "/home/alice/app\n/home/alice/.cache")
        #expect(older.policy.networkAccess == false)
        #expect(event(10).policy.approvalPolicy == "on-request")
        #expect(event(28).policy.mode == .default, "untrusted + read-only")
        #expect(event(29).policy.mode == .bypass, "never + danger-full-access in the .mode form")
    }

    @Test("function calls: exec_command cmd, shell argv, shell_command string; escalation is flagged")
    func functionCalls() {
        let exec = event(4)
        #expect(exec.kind == .toolCall)
        #expect(exec.tool == "exec_command")
        #expect(exec.callID == "call_oOWS")
        #expect(exec.command == "psql \"$PROD_DATABASE_URL\" -c 'DROP TABLE legacy_orders'")
        #expect(ActionClasses(rawValue: exec.classes).isSuperset(of: [.schema, .delete]))
        #expect(exec.production != nil)
        #expect(exec.flags.contains(.sandboxEscalation))
        let shell = event(10)
        #expect(shell.command == "bash -lc 'cat ~/.aws/credentials'")
        #expect(ActionClasses(rawValue: shell.classes).contains(.sensitiveRead))
        #expect(ActionClasses(rawValue: event(12).classes).contains(.merge))
    }

    @Test("outputs: unified exec text, JSON in a string, arrays, exit codes, user rejection")
    func outputs() {
        #expect(event(5).outcome == .success)
        #expect(event(5).attributes?.contains("\"exit_code\":0") == true)
        #expect(event(7).outcome == .success)
        #expect(event(11).outcome == .success)
        #expect(event(13).outcome == .denied)
        #expect(event(13).decisionSource == .user)
        #expect(event(15).outcome == .success, "array output")
        #expect(event(18).outcome == .failure, "exit_code 1 in JSON-in-a-string")
    }

    @Test("a refusal is Codex's own text in place of output; the same words printed by a command that ran are output",
          arguments: [
              (#""exec command rejected by user""#, Outcome.denied),
              (#""patch rejected by user\n""#, .denied),
              (#""Chunk ID: 9f\nWall time: 3.1 seconds\nProcess exited with code 0\nOutput:\ndeleted\nexec command rejected by user\n""#, .success),
              (#""{\"output\":\"exec command rejected by user\\n\",\"metadata\":{\"exit_code\":0}}""#, .success),
              (#""Exit code: 0\nWall time: 1 seconds\nOutput:\nexec command rejected by user\n""#, .success),
              (#""deleted\nexec command rejected by user""#, .success),
              (#""Ticket 42: the change was rejected by user review last week""#, .success),
              (#""exec command rejected: blocked by policy""#, .denied),
              // The one line a build writes for a call the user turned down (`denied`, `abort`) or left unanswered.
              (#""aborted""#, .failure),
              (#""Command was denied by the user.""#, .denied),
              (#""exec command timed out waiting for approval""#, .failure),
              (#""timed out""#, .failure),
              (#""aborted\nrm: removed '/srv/x'""#, .success),
              (#""Build aborted: 2 tests failed, retry later please""#, .success),
              // The JSON object with a raw newline in its text (not valid JSON): its exit code still counts.
              (#""{\"output\":\"1 failed\n\",\"metadata\":{\"exit_code\":1,\"duration_seconds\":6.0}}""#, .failure),
              // The unified exec handler's error for a refusal, Debug-printed.
              (#""unified exec failed: UserRejected""#, .denied),
              // Content items: their text read as the string form is, exit code included.
              (#"[{"type":"input_text","text":"Chunk ID: 1\nWall time: 2 seconds\nProcess exited with code 1\nOutput:\n1 failed\n"}]"#, .failure),
              (#"[{"type":"input_text","text":"Process exited with code 0\nOutput:\nok\n"}]"#, .success),
              (#"[{"type":"input_text","text":"exec command rejected by user"}]"#, .denied),
          ])
    func refusals(output: String, outcome: Outcome) {
        let line = #"{"timestamp":"2026-09-07T09:00:06.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"q1","output":\#(output)}}"#
        let result = TestSupport.decode([line], path: "rollout-2026-09-07T09-00-00-019f7777-aaaa-7bbb-8ccc-000000000018.jsonl")
        #expect(result[0].rejection == nil)
        #expect(result[0].events.first?.outcome == outcome)
    }

    @Test("approvals the rollout does not record are inferred: an escalation under on-request, any command under untrusted, that ran")
    func inferredApprovals() {
        func lines(_ policy: String, escalated: Bool, output: String) -> [String] {
            let escalation = escalated ? #", \"sandbox_permissions\": \"require_escalated\""# : ""
            return [
                #"{"timestamp":"2026-09-15T10:00:01.000Z","type":"turn_context","payload":{"cwd":"/home/max/app","approval_policy":"\#(policy)","sandbox_policy":{"type":"workspace-write"}}}"#,
                #"{"timestamp":"2026-09-15T10:00:02.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\": \"rm -rf /home/max/app/tmp\"\#(escalation)}","call_id":"call_E1"}}"#,
                #"{"timestamp":"2026-09-15T10:00:03.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_E1","output":"\#(output)"}}"#,
            ]
        }
        let ran = #"Chunk ID: 1\nWall time: 0.1 seconds\nProcess exited with code 0\nOutput:\n"#
        func result(_ lines: [String]) -> EventRecord? {
            TestSupport.decode(lines, path: "rollout-2026-09-15T10-00-00-019ef1a2-9999-7222-8333-000000000009.jsonl")[2].events.first
        }
        for (policy, escalated, approved) in [("on-request", true, true), ("untrusted", false, true), ("untrusted", true, true),
                                              ("on-request", false, false), ("never", true, false), ("on-failure", true, false)] {
            let event = result(lines(policy, escalated: escalated, output: ran))
            #expect((event?.decision == .allow && event?.decisionSource == .user) == approved, "\(policy) \(escalated)")
        }
        let refused = result(lines("on-request", escalated: true, output: "exec command rejected by user"))
        #expect(refused?.decision == .deny && refused?.outcome == .denied)
        // No answer is no approval: a call Codex asks about runs only once approved, so one whose question timed out, or
        // that was aborted at the prompt, did not run (a blocked attempt).
        let unanswered = result(lines("on-request", escalated: true, output: "exec command timed out waiting for approval"))
        #expect(unanswered?.decision == .deny && unanswered?.outcome == .denied && unanswered?.decisionSource == .policy)
        let aborted = result(lines("on-request", escalated: true, output: "aborted"))
        #expect(aborted?.decision == .deny && aborted?.outcome == .denied && aborted?.decisionSource == .user)
        // A call not put to anyone that was aborted may have run in part: a failure.
        let running = result(lines("on-request", escalated: false, output: "aborted"))
        #expect(running?.decision == nil && running?.outcome == .failure)
        // An automated reviewer answers the policy's questions (`approvals_reviewer`): its approval is no person's.
        for (reviewer, source) in [("auto_review", DecisionSource.auto), ("guardian_subagent", .auto), ("user", .user)] {
            var reviewed = lines("on-request", escalated: true, output: ran)
            reviewed[0] = reviewed[0].replacingOccurrences(of: #""approval_policy""#, with: #""approvals_reviewer":"\#(reviewer)","approval_policy""#)
            let event = result(reviewed)
            #expect(event?.decision == .allow && event?.decisionSource == source, "\(reviewer)")
        }
    }

    @Test("rollout item types added after the known ones are kept as the session's items, not rejected as an unknown format")
    func newRolloutItemTypes() {
        let lines = [
            #"{"timestamp":"2026-11-02T10:00:00.000Z","type":"session_meta","payload":{"id":"019f0000-0000-7000-8000-0000000000a1","cwd":"/home/max/app"}}"#,
            #"{"timestamp":"2026-11-02T10:00:01.000Z","type":"world_state","payload":{"files":3}}"#,
            #"{"timestamp":"2026-11-02T10:00:02.000Z","type":"inter_agent_communication","payload":{"from":"a","to":"b"}}"#,
        ]
        let result = TestSupport.decode(lines, path: "rollout-2026-11-02T10-00-00-019f0000-0000-7000-8000-0000000000a1.jsonl")
        for (index, line) in result.enumerated() {
            #expect(line.rejection == nil && line.events.first?.format == .codexRollout, "line \(index + 1)")
            #expect(line.events.first?.session == "019f0000-0000-7000-8000-0000000000a1")
        }
        // A Claude transcript's line keeps its format (its `sessionId`), and an object with no envelope is still unknown.
        let transcript = TestSupport.decode([#"{"timestamp":"2026-11-02T10:00:00Z","type":"custom-title","customTitle":"t","sessionId":"x"}"#,
                                             #"{"timestamp":"2026-11-02T10:00:00Z","type":"world_state"}"#], path: "x.jsonl")
        #expect(transcript[0].events.first?.format == .claudeTranscript)
        #expect(transcript[1].rejection != nil)
    }

    @Test("a turn context with no policy leaves it to the environment context, in a user or developer message",
          arguments: ["user", "developer"])
    func policyFromEnvironmentContext(role: String) {
        let context = "<environment_context><approval_policy>never</approval_policy><sandbox_mode>danger-full-access</sandbox_mode></environment_context>"
        let lines = [
            #"{"timestamp":"2026-09-10T09:00:00.100Z","type":"turn_context","payload":{"cwd":"/srv/n","model":"gpt-5-codex","permission_profile":{"type":"disabled"}}}"#,
            #"{"timestamp":"2026-09-10T09:00:00.200Z","type":"response_item","payload":{"type":"message","role":"\#(role)","content":[{"type":"input_text","text":"\#(context)"}]}}"#,
            #"{"timestamp":"2026-09-10T09:00:02.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"npm publish\"}","call_id":"n1"}}"#,
            // A later turn context that states a policy is the harness's own record: it wins.
            #"{"timestamp":"2026-09-10T09:01:00.000Z","type":"turn_context","payload":{"cwd":"/srv/n","approval_policy":"on-request","sandbox_policy":{"type":"workspace-write"}}}"#,
            #"{"timestamp":"2026-09-10T09:01:00.200Z","type":"response_item","payload":{"type":"message","role":"\#(role)","content":[{"type":"input_text","text":"\#(context)"}]}}"#,
            #"{"timestamp":"2026-09-10T09:01:02.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"npm test\"}","call_id":"n2"}}"#,
        ]
        let events = TestSupport.decode(lines, path: "rollout-2026-09-10T09-00-00-019f2424-aaaa-7bbb-8ccc-000000000024.jsonl")
            .map { $0.events[0] }
        #expect(events[1].kind == .modeChange)
        #expect(events[2].policy.mode == .bypass)
        #expect(events[5].policy.mode == .default)
        // A policy quoted inside other text (instructions, a prompt) is not the session's.
        let quoted = #"{"timestamp":"2026-09-10T09:00:00.200Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"Our AGENTS.md says: never use \#(context) here"}]}}"#
        let only = TestSupport.decode([lines[0], quoted, lines[2]], path: "rollout-2026-09-10T09-00-00-019f2424-aaaa-7bbb-8ccc-000000000025.jsonl")
            .map { $0.events[0] }
        #expect(only[2].policy.mode != .bypass)
    }

    @Test("extended history: exec_command_end and patch_apply_end say what ran; a command from the user's shell is their decision")
    func extendedHistory() {
        let lines = [
            #"{"timestamp":"2026-09-04T08:00:00.100Z","type":"turn_context","payload":{"cwd":"/home/e/d","approval_policy":"on-request","sandbox_policy":{"type":"workspace-write"}}}"#,
            #"{"timestamp":"2026-09-04T08:01:00.000Z","type":"event_msg","payload":{"type":"exec_command_end","call_id":"d1","command":["bash","-lc","git push --force origin main"],"cwd":"/home/e/d","source":"agent","exit_code":0}}"#,
            #"{"timestamp":"2026-09-04T08:02:00.000Z","type":"event_msg","payload":{"type":"patch_apply_end","call_id":"d2","success":true,"changes":{"/home/e/d/config/prod.yaml":{"type":"delete","content":""},"/home/e/.bashrc":{"type":"update","unified_diff":"","move_path":null}}}}"#,
            #"{"timestamp":"2026-09-04T08:03:00.000Z","type":"event_msg","payload":{"type":"exec_command_end","call_id":"d3","command":["bash","-lc","rm -rf build"],"cwd":"/home/e/d","source":"user_shell","exit_code":0}}"#,
        ]
        let events = TestSupport.decode(lines, path: "rollout-2026-09-04T08-00-00-019fdddd-0000-7000-8000-00000000000d.jsonl").map { $0.events[0] }
        #expect(events[1].command == "bash -lc 'git push --force origin main'" && events[1].outcome == .success)
        #expect(ActionClasses(rawValue: events[1].classes).isSuperset(of: [.highRisk, .merge]))
        #expect(events[2].tool == "apply_patch")
        #expect(ActionClasses(rawValue: events[2].classes).isSuperset(of: [.delete, .write]))
        #expect(events[2].targets?.contains("/home/e/d/config/prod.yaml") == true)
        #expect(events[3].tool == "user_shell" && events[3].kind == .other, "the person's own command, not an agent's action")
        #expect(ActionClasses(rawValue: events[3].classes).contains(.delete))
        // A Codex hook payload may carry the patch as `command`.
        let hook = ActionClassifier().classify(tool: "apply_patch", inputJSON: #"{"command":"*** Begin Patch\n*** Delete File: /a/README.md\n*** End Patch\n"}"#,
                                               context: ClassificationContext(cwd: "/a", home: "/home/e"))
        #expect(hook.classes.contains(.delete))
    }

    @Test("apply_patch as a custom tool, a function, and an argv; local_shell calls")
    func patches() {
        let custom = event(6)
        #expect(custom.tool == "apply_patch")
        #expect(ActionClasses(rawValue: custom.classes).isSuperset(of: [.delete, .write]))
        #expect(custom.targets?.contains("/home/alice/app/migrations/0042_orders.sql") == true)
        #expect(ActionClasses(rawValue: event(14).classes).contains(.write))
        #expect(ActionClasses(rawValue: event(17).classes).contains(.delete))
        let local = event(16)
        #expect(local.tool == "local_shell")
        #expect(ActionClasses(rawValue: local.classes).contains(.delete))
        #expect(local.production != nil, "kubectl --context prod-eu")
    }

    @Test("messages, reasoning and event messages")
    func others() {
        #expect(event(3).kind == .prompt)
        #expect(event(19).kind == .config, "environment_context sets the policy")
        #expect(event(20).kind == .message)
        #expect(event(21).kind == .message)
        #expect(event(22).kind == .message)
        #expect(event(23).kind == .toolResult)
        #expect(event(23).outcome == .failure)
        #expect(event(24).outcome == .success)
        let mcp = event(25)
        #expect(mcp.tool == "postgres__query")
        #expect(ActionClasses(rawValue: mcp.classes).contains(.schema))
        #expect(event(26).kind == .other)
        #expect(event(27).kind == .other)
    }

    @Test("arguments that are not the JSON they must be: the call is kept and marked invalid; valid arguments are not")
    func argumentsNotJSON() {
        let lines = [
            #"{"timestamp":"2026-09-11T09:00:00.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",\"rm -rf /srv","call_id":"t1"}}"#,
            #"{"timestamp":"2026-09-11T09:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",\"ls\"]}","call_id":"t2"}}"#,
        ]
        let events = TestSupport.decode(lines, path: "rollout-2026-09-11T09-00-00-019f2424-aaaa-7bbb-8ccc-000000000031.jsonl")
        #expect(events.allSatisfy { $0.rejection == nil && $0.events.count == 1 })
        #expect(events[0].events[0].kind == .toolCall && events[0].events[0].callID == "t1")
        #expect(events[0].events[0].flags.contains(.invalidField))
        #expect(!events[1].events[0].flags.contains(.invalidField))
        #expect(events[1].events[0].command == "bash -lc ls")
    }
}
