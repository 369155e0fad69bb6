import Testing
@testable import HarnessAuditKit

@Suite("claude-hook decoder")
struct ClaudeHookDecoderTests {
    let decoded = TestSupport.decode(TestSupport.lines(ofFixture: "formats/claude_hook_every_event.jsonl"))

    func event(_ line: Int, record: Int = 0) -> EventRecord {
        let entry = decoded[line - 1]
        if let rejection = entry.rejection { Issue.record("line \(line) rejected: \(rejection.detail)") }
        return entry.events[record]
    }

    @Test("every line of every hook event decodes, none rejected")
    func allDecode() {
        #expect(decoded.count == 33)
        for (index, entry) in decoded.enumerated() {
            #expect(entry.rejection == nil, "line \(index + 1): \(entry.rejection?.detail ?? "")")
            #expect(entry.events.allSatisfy { $0.format == .claudeHook })
        }
    }

    @Test("kinds per hook event", arguments: [
        (1, EventKind.sessionStart), (2, .sessionStart), (3, .prompt), (4, .toolCall), (5, .permissionRequest),
        (6, .toolResult), (7, .toolCall), (8, .toolResult), (9, .permissionDecision), (20, .other), (21, .other),
        (22, .other), (23, .other), (24, .other), (25, .other), (26, .other), (27, .config), (28, .other),
        (29, .other), (31, .sessionEnd),
    ])
    func kinds(_ line: Int, _ kind: EventKind) {
        #expect(event(line).kind == kind)
    }

    @Test("session, cwd, names and the normalised permission mode")
    func commonFields() {
        let pre = event(4)
        #expect(pre.session == "7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13")
        #expect(pre.name == "PreToolUse")
        #expect(pre.context.cwd == "/home/alice/app")
        #expect(pre.context.agent == "claude-code")
        #expect(pre.policy.mode == .bypass)
        #expect(pre.policy.rawMode == "bypassPermissions")
        #expect(event(6).policy.mode == .acceptEdits)
        #expect(event(9).policy.mode == .auto)
        #expect(event(17).policy.mode == .dontAsk)
        #expect(event(1).policy.isEmpty, "SessionStart carries no permission_mode")
        #expect(event(1).context.model == "claude-sonnet-4-6")
    }

    @Test("PreToolUse: tool, call id and the shell command")
    func preToolUse() {
        let pre = event(4)
        #expect(pre.tool == "Bash")
        #expect(pre.callID == "toolu_01HqX9c2VbN4pL7sT3mR8wQe")
        #expect(pre.command == "rm -rf dist && kubectl --context prod apply -f k8s/")
        #expect(pre.attributes?.contains("\"prompt_id\":\"0b6f3d2e-1a4c-4e8f-b1d7-6c2a9e5f4d10\"") == true)
        #expect(event(15).command == "Remove-Item -Recurse -Force C:\\build", "PowerShell is a shell tool")
        #expect(event(16).command == nil, "WebFetch has no shell command")
        #expect(event(7).tool == "mcp__postgres__query")
        #expect(ActionClasses(rawValue: event(7).classes).contains(.schema), "the MCP SQL argument is classified")
    }

    @Test("old and new tool names are kept as logged: Task and Agent, legacy MultiEdit, NotebookEdit")
    func toolNames() {
        #expect(event(11).tool == "Task")
        #expect(event(12).tool == "Agent")
        #expect(event(13).tool == "MultiEdit")
        #expect(ActionClasses(rawValue: event(13).classes) == .write)
        #expect(event(13).targets?.contains("/home/alice/app/src/x.py") == true)
        #expect(event(14).tool == "NotebookEdit")
    }

    @Test("PermissionRequest has no tool_use_id; it is asked, with suggestions kept")
    func permissionRequest() {
        let request = event(5)
        #expect(request.decision == .ask)
        #expect(request.callID == nil, "no preceding PreToolUse for this Read in the fixture")
        #expect(request.attributes?.contains("permission_suggestions") == true)
    }

    @Test("PermissionRequest is joined to the PreToolUse with the same tool and input")
    func permissionRequestInference() {
        let s = "\"session_id\":\"s1\",\"transcript_path\":\"/t.jsonl\",\"cwd\":\"/w\",\"permission_mode\":\"default\""
        let lines = [
            "{\(s),\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"rm -rf x\"},\"tool_use_id\":\"toolu_A\"}",
            "{\(s),\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"},\"tool_use_id\":\"toolu_B\"}",
            "{\(s),\"hook_event_name\":\"PermissionRequest\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"rm -rf x\"}}",
            "{\(s),\"hook_event_name\":\"PermissionRequest\",\"tool_name\":\"Write\",\"tool_input\":{\"file_path\":\"/w/a\"}}",
        ]
        let result = TestSupport.decode(lines)
        #expect(result[2].events[0].callID == "toolu_A")
        #expect(result[2].events[0].flags.contains(.callIDInferred))
        #expect(result[3].events[0].callID == nil, "no Write call is pending: nothing is guessed")
    }

    @Test("hook payloads of builds before tool_use_id: each call gets an id of its own line, and its dialog and result join it")
    func callsWithoutToolUseID() throws {
        let s = "\"session_id\":\"s1\",\"transcript_path\":\"/t.jsonl\",\"cwd\":\"/w\",\"permission_mode\":\"default\""
        let rm = "\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"rm -rf build\"}"
        let lines = [
            "{\(s),\"hook_event_name\":\"PreToolUse\",\(rm)}",
            "{\(s),\"hook_event_name\":\"PermissionRequest\",\(rm)}",
            "{\(s),\"hook_event_name\":\"PostToolUse\",\(rm),\"tool_response\":{\"stdout\":\"\"}}",
            // The same command again: another call, with another id.
            "{\(s),\"hook_event_name\":\"PreToolUse\",\(rm)}",
            "{\(s),\"hook_event_name\":\"PostToolUseFailure\",\(rm),\"error\":\"Exit code 1\"}",
        ]
        let events = TestSupport.decode(lines).flatMap(\.events)
        let first = try #require(events[0].callID)
        #expect(first.hasPrefix("hook-") && events[0].flags.contains(.callIDInferred))
        #expect(events[1].callID == first && events[2].callID == first)
        let second = try #require(events[3].callID)
        #expect(second != first && events[4].callID == second)
        // A call that names its id keeps it.
        let named = TestSupport.decode(["{\(s),\"hook_event_name\":\"PreToolUse\",\(rm),\"tool_use_id\":\"toolu_X\"}"]).flatMap(\.events)
        #expect(named.first?.callID == "toolu_X" && named.first?.flags.contains(.callIDInferred) == false)
    }

    @Test("an interrupted command is a failure; a tool input written as a JSON string is read as its object, flagged")
    func interruptedAndEncodedInput() {
        let s = "\"session_id\":\"s1\",\"transcript_path\":\"/t.jsonl\",\"cwd\":\"/w\",\"permission_mode\":\"default\""
        let lines = [
            "{\(s),\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"npm test\"},\"tool_use_id\":\"t1\",\"tool_response\":{\"stdout\":\"\",\"interrupted\":true}}",
            "{\(s),\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"npm test\"},\"tool_use_id\":\"t2\",\"tool_response\":{\"stdout\":\"\",\"interrupted\":false}}",
            "{\(s),\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":\"{\\\"command\\\":\\\"rm -rf /w/data\\\"}\",\"tool_use_id\":\"t3\"}",
            "{\(s),\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":\"{ ls; }\",\"tool_use_id\":\"t4\"}",
        ]
        let events = TestSupport.decode(lines).flatMap(\.events)
        #expect(events[0].outcome == .failure && events[1].outcome == .success)
        #expect(events[2].command == "rm -rf /w/data" && ActionClasses(rawValue: events[2].classes).contains(.delete))
        #expect(events[2].flags.contains(.invalidField))
        #expect(!events[3].flags.contains(.invalidField), "a command line that opens a brace group is no JSON object")
    }

    @Test("results: success, failure with exit code, auto-mode denial, git operation facts")
    func results() {
        #expect(event(6).outcome == .success)
        #expect(event(6).durationMs == 12)
        let failure = event(8)
        #expect(failure.outcome == .failure)
        #expect(failure.attributes?.contains("\"exit_code\":1") == true)
        let denied = event(9)
        #expect(denied.decision == .deny)
        #expect(denied.decisionSource == .auto)
        #expect(denied.outcome == .denied)
        #expect(denied.callID == "toolu_01DenyDenyDenyDenyDenyDen")
        #expect(event(18).attributes?.contains("\"git_operation\":{\"pr\":{\"number\":12,\"action\":\"merged\"}}") == true)
        #expect(event(19).outcome == .success, "the SDK-shaped Write response is accepted too")
    }

    @Test("PostToolBatch yields one result event per call")
    func batch() {
        let entry = decoded[9]
        #expect(entry.events.count == 2)
        #expect(entry.events.map(\.tool) == ["Read", "Grep"])
        #expect(entry.events.map(\.callID) == ["toolu_01BatchA", "toolu_01BatchB"])
        #expect(entry.events.map(\.recordIndex) == [0, 1])
        #expect(entry.events[0].contentKey != entry.events[1].contentKey)
    }

    @Test("sub-agents are flagged; sandbox escalation is flagged")
    func flags() {
        #expect(event(30).flags.contains(.subagent))
        #expect(event(21).flags.contains(.subagent))
        #expect(!event(4).flags.contains(.subagent))
        #expect(event(17).flags.contains(.sandboxEscalation))
    }

    @Test("hook payloads carry no time unless the logging hook added one")
    func timestamps() {
        #expect(event(4).ts == nil)
        #expect(event(4).flags.contains(.noTimestamp))
        #expect(event(33).ts == Timestamp.parseISO8601("2026-10-06T09:12:03.120Z"))
        #expect(!event(33).flags.contains(.noTimestamp))
    }

    @Test("a Codex hook payload is attributed to codex")
    func codexHook() {
        let codex = event(32)
        #expect(codex.context.agent == "codex")
        #expect(codex.context.model == "gpt-5-codex")
        #expect(codex.command == "cargo test")
        #expect(codex.callID == "call_abc123")
    }

    @Test("a Codex hook payload without a transcript path is told by its model or its apply_patch tool",
          arguments: [
              (#""transcript_path":null,"model":"gpt-5-codex","tool_name":"Bash","tool_input":{"command":"ls"}"#, "codex"),
              (#""transcript_path":null,"tool_name":"apply_patch","tool_input":{"command":"*** Begin Patch\n*** End Patch"}"#, "codex"),
              (#""model":"o4-mini","tool_name":"Bash","tool_input":{"command":"ls"}"#, "codex"),
              (#""transcript_path":"/home/a/.claude/projects/x/s.jsonl","model":"claude-sonnet-4-5","tool_name":"Bash","tool_input":{"command":"ls"}"#, "claude-code"),
              (#""transcript_path":"/home/a/.claude/projects/x/s.jsonl","tool_name":"Bash","tool_input":{"command":"ls"}"#, "claude-code"),
          ])
    func codexHookWithoutTranscript(fields: String, agent: String) {
        let line = #"{"session_id":"019ef1a2-0000-7000-8000-000000000001","cwd":"/home/a/app","hook_event_name":"PreToolUse","tool_use_id":"call_1",\#(fields)}"#
        #expect(TestSupport.decode([line], path: "hooks.jsonl")[0].events.first?.context.agent == agent)
    }

    @Test("a hook line whose hook_event_name is not a string is rejected with a reason")
    func badHookName() {
        let result = TestSupport.decode(["{\"session_id\":\"s\",\"hook_event_name\":{\"x\":1}}"])
        #expect(result[0].rejection?.reason == LineRejection.missingField)
    }
}
