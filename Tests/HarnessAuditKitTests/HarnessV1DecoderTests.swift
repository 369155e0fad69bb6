import Testing
@testable import HarnessAuditKit

@Suite("harness-v1 decoder")
struct HarnessV1DecoderTests {
    let decoded = TestSupport.decode(TestSupport.lines(ofFixture: "formats/harness_v1_variants.jsonl"))

    @Test("the DESIGN §2.1 example decodes field by field")
    func designExample() throws {
        let event = try #require(decoded[0].events.first)
        #expect(event.format == .harnessV1)
        #expect(event.ts == Timestamp.parseISO8601("2026-11-02T10:15:03.123Z"))
        #expect(event.seq == 42)
        #expect(event.session == "s-91c2")
        #expect(event.kind == .toolCall)
        #expect(event.tool == "Bash")
        #expect(event.callID == "c-19")
        #expect(event.command == "rm -rf build/")
        #expect(event.context == EventContext(agent: "claude-code", agentVersion: "2.1.214", actor: "alice@corp.com",
                                              principal: "svc-agent-ci", host: "ci-runner-7", repo: "acme/payments",
                                              branch: "feat/x", cwd: "/srv/payments"))
        #expect(event.policy.mode == .default)
        #expect(event.decision == .allow)
        #expect(event.decisionSource == .user)
        #expect(event.approver == "alice@corp.com")
        #expect(event.environment == "staging")
        #expect(event.outcome == .success)
        #expect(event.durationMs == 412)
        #expect(event.attributes?.contains("\"event_id\":\"e-7f3a\"") == true)
        #expect(event.flags.isEmpty)
    }

    @Test("a refused mode change leaves the mode it left; a result with a failing exit code failed; a call with no tool but a command is classified")
    func refusalsAndExitCodes() throws {
        func one(_ body: String) throws -> EventRecord {
            let line = #"{"schema":"harness-v1","ts":"2026-11-02T10:00:00Z","session_id":"s-x",\#(body)}"#
            return try #require(TestSupport.decode([line]).first?.events.first)
        }
        let refused = try one(#""kind":"mode_change","from_mode":"default","to_mode":"bypass","decision":"deny","decision_source":"policy","outcome":"denied""#)
        #expect(refused.policy.mode == .default && refused.attributes?.contains(#""requested_mode":"bypass""#) == true)
        #expect(refused.attributes?.contains(#""to_mode""#) == false)
        let allowed = try one(#""kind":"mode_change","from_mode":"default","to_mode":"bypass""#)
        #expect(allowed.policy.mode == .bypass)
        let failed = try one(#""kind":"tool_result","tool":"Bash","call_id":"c","outcome":"success","exit_code":1"#)
        #expect(failed.outcome == .failure && failed.flags.contains(.invalidField))
        #expect(try one(#""kind":"tool_result","tool":"Bash","call_id":"c","outcome":"success","exit_code":0"#).outcome == .success)
        let program = try one(#""kind":"tool_call","tool":"kubectl","call_id":"c2","input":{"args":["delete","pod","api-0","-n","agents"]}"#)
        #expect(program.command == "kubectl delete pod api-0 -n agents")
        let split = try one(#""kind":"tool_call","tool":"exec","call_id":"c3","input":{"command":"rm","args":["-rf","/srv/app/x"]}"#)
        #expect(split.command == "rm -rf /srv/app/x")
        let toolless = try one(#""kind":"tool_call","call_id":"c1","input":{"command":"rm -rf /srv/app/data"}"#)
        #expect(toolless.classes & ActionClasses.delete.rawValue != 0)
    }

    @Test("a mode change records the new mode; offsets in ts are honoured")
    func modeChange() throws {
        let event = try #require(decoded[1].events.first)
        #expect(event.kind == .modeChange)
        #expect(event.policy.mode == .bypass)
        #expect(event.ts == Timestamp.parseISO8601("2026-11-02T10:15:03Z"))
        #expect(event.attributes?.contains("\"from_mode\":\"default\"") == true)
    }

    @Test("ts as Unix milliseconds")
    func epochTimestamp() throws {
        let event = try #require(decoded[2].events.first)
        #expect(event.ts == 1_793_614_503_123)
    }

    @Test("wrong but usable types are read; unusable values are flagged, not fatal")
    func lenientTypes() throws {
        let event = try #require(decoded[3].events.first)
        #expect(event.seq == 7)
        #expect(event.durationMs == 12)
        #expect(event.command == "bash -lc 'ls -la ~'", "an argv array is joined with shell quoting")
        #expect(event.decision == nil)
        #expect(event.flags.contains(.invalidField), "decision \"maybe\" is not a known value")
        let unknown = try #require(decoded[4].events.first)
        #expect(unknown.kind == .other)
        #expect(unknown.name == "mystery_kind")
    }

    @Test("a session's context and environment stated on session_start hold for its calls; a call's own environment is its own")
    func sessionStartContext() throws {
        let lines = [
            #"{"schema":"harness-v1","ts":"2026-10-20T10:00:00Z","session_id":"s-env","kind":"session_start","cwd":"/srv/app","environment":"production","branch":"main","repo":"acme/app"}"#,
            #"{"schema":"harness-v1","ts":"2026-10-20T10:00:01Z","session_id":"s-other","kind":"tool_call","tool":"Bash","call_id":"o1","input":{"command":"echo x > ../y"}}"#,
            #"{"schema":"harness-v1","ts":"2026-10-20T10:00:02Z","session_id":"s-env","kind":"tool_call","tool":"Bash","call_id":"c1","input":{"command":"echo x > ../other/f"}}"#,
            #"{"schema":"harness-v1","ts":"2026-10-20T10:00:03Z","session_id":"s-env","kind":"tool_call","tool":"Bash","call_id":"c2","environment":"staging","cwd":"/srv/app/web","input":{"command":"git push"}}"#,
            #"{"schema":"harness-v1","ts":"2026-10-20T10:00:04Z","session_id":"s-env","kind":"tool_call","tool":"Bash","call_id":"c3","input":{"command":"ls"}}"#,
        ]
        let events = TestSupport.decode(lines).flatMap(\.events)
        #expect(events[1].context.cwd == nil && events[1].environment == nil, "another session states nothing")
        #expect(events[2].context.cwd == "/srv/app" && events[2].context.branch == "main" && events[2].context.repo == "acme/app")
        #expect(events[2].environment == "production")
        #expect(events[2].targets?.contains("/srv/other/f") == true, "the relative path resolves in the session's directory")
        #expect(events[3].environment == "staging" && events[3].context.cwd == "/srv/app/web")
        #expect(events[3].targets?.contains(#""kind":"branch","value":"main","op":"push""#) == true, "a bare push on the session's branch")
        #expect(events[4].environment == "production", "a call's own environment does not become the session's")
        #expect(events[4].context.cwd == "/srv/app/web", "the directory a line states last holds for the next")
    }

    @Test("decision_source user with no decision on a call: the person allowed it; a self-approval still confirms nothing")
    func userSourceWithoutDecision() throws {
        let lines = [
            #"{"schema":"harness-v1","ts":"2026-10-15T10:00:00Z","session_id":"s-dsu","agent":"bot","kind":"tool_call","cwd":"/srv/app","tool":"Bash","call_id":"c1","input":{"command":"rm -rf /srv/app/tmp"},"decision_source":"user"}"#,
            #"{"schema":"harness-v1","ts":"2026-10-15T10:00:01Z","session_id":"s-dsu","kind":"tool_result","tool":"Bash","call_id":"c1","outcome":"success"}"#,
            #"{"schema":"harness-v1","ts":"2026-10-15T10:00:02Z","session_id":"s-dsu","kind":"tool_call","cwd":"/srv/app","tool":"Bash","call_id":"c2","input":{"command":"rm -rf /srv/app/tmp2"},"decision_source":"user","approved_by":"bot"}"#,
            #"{"schema":"harness-v1","ts":"2026-10-15T10:00:03Z","session_id":"s-dsu","kind":"tool_result","tool":"Bash","call_id":"c2","outcome":"success"}"#,
        ]
        let events = TestSupport.decode(lines).flatMap(\.events)
        #expect(events[0].decision == .allow && events[0].flags.contains(.decisionInferred))
        #expect(events[2].decision == nil, "approved in the agent's own name")
        let findings = try CheckTestSupport.findings(of: "unconfirmed-delete", files: [lines])
        #expect(findings.map(\.target) == ["/srv/app/tmp2"])
    }

    @Test("an input object written as a JSON string is read as that object, flagged; a brace group stays a command line")
    func inputAsEncodedObject() throws {
        let lines = [
            #"{"schema":"harness-v1","ts":"2026-11-05T10:00:08Z","session_id":"s-instr","kind":"tool_call","cwd":"/srv/app","tool":"Bash","call_id":"c9","input":"{\"command\":\"rm -rf /srv/data\"}"}"#,
            #"{"schema":"harness-v1","ts":"2026-11-05T10:00:09Z","session_id":"s-instr","kind":"tool_call","cwd":"/srv/app","tool":"Read","call_id":"c10","input":" { \"file_path\": \"/srv/app/.env\" }"}"#,
            #"{"schema":"harness-v1","ts":"2026-11-05T10:00:10Z","session_id":"s-instr","kind":"tool_call","cwd":"/srv/app","tool":"Bash","call_id":"c11","input":"{ rm -rf /srv/cache; }"}"#,
        ]
        let events = TestSupport.decode(lines).flatMap(\.events)
        #expect(events[0].command == "rm -rf /srv/data" && ActionClasses(rawValue: events[0].classes).contains(.delete))
        #expect(events[0].flags.contains(.invalidField))
        #expect(ActionClasses(rawValue: events[1].classes).contains(.sensitiveRead))
        #expect(events[2].command == "{ rm -rf /srv/cache; }" && ActionClasses(rawValue: events[2].classes).contains(.delete))
        #expect(!events[2].flags.contains(.invalidField))
    }

    @Test("a kind in another case or spelling, a synonym, or an unknown kind that names a tool and its input is a call, flagged",
          arguments: [("TOOL_CALL", EventKind.toolCall), ("tool-call", .toolCall), ("ToolCall", .toolCall), ("tool_use", .toolCall),
                      ("TOOL_RESULT", .toolResult), ("tool_output", .toolResult), ("Session_Start", .sessionStart),
                      ("exec", .toolCall), ("tool_call", .toolCall)])
    func kindSpellings(kind: String, expected: EventKind) throws {
        let line = #"{"schema":"harness-v1","ts":"2026-11-02T10:15:16Z","session_id":"k1","cwd":"/srv/app","kind":"\#(kind)","tool":"Bash","input":{"command":"rm -rf /srv/app/data"}}"#
        let event = try #require(TestSupport.decode([line])[0].events.first)
        #expect(event.kind == expected)
        #expect(event.flags.contains(.invalidField) == (kind != "tool_call"))
        if expected == .toolCall { #expect(ActionClasses(rawValue: event.classes).contains(.delete)) }
    }

    @Test("missing or unusable required fields reject the line with a reason", arguments: [
        (5, "missing required field", "\"ts\""), (6, "invalid field", "\"ts\""),
        (7, "missing required field", "\"session_id\""), (8, "missing required field", "\"kind\""),
        (9, "missing required field", "\"session_id\""),
    ])
    func requiredFields(_ index: Int, _ reason: String, _ field: String) throws {
        let rejection = try #require(decoded[index].rejection)
        #expect(rejection.reason == reason)
        #expect(rejection.detail.contains(field))
    }

    @Test("prev_hash chains: verified, mismatched, unverifiable")
    func hashChain() {
        let first = "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:00Z\",\"session_id\":\"s-chain\",\"kind\":\"session_start\"}"
        let good = SHA256Digest.hex(SHA256Digest.digest(Array(first.utf8)))
        let second = "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:01Z\",\"session_id\":\"s-chain\",\"kind\":\"prompt\",\"prev_hash\":\"\(good)\"}"
        let third = "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:02Z\",\"session_id\":\"s-chain\",\"kind\":\"prompt\",\"prev_hash\":\"\(good)\"}"
        let orphan = "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:02Z\",\"session_id\":\"s-other\",\"kind\":\"prompt\",\"prev_hash\":\"\(good)\"}"
        let result = TestSupport.decode([first, second, third, orphan])
        #expect(result[1].events[0].flags.contains(.chainVerified))
        #expect(result[2].events[0].flags.contains(.chainMismatch), "the third line repeats the first line's hash")
        #expect(result[2].events[0].prevHash?.count == 32)
        #expect(result[3].events[0].flags.contains(.chainUnverified), "the previous line is not in this ingest")
        #expect(result[3].events[0].prevHash != nil, "kept for check to verify")
    }

    @Test("an approval in the name of the agent's own principal or name is no person's confirmation")
    func selfApproval() {
        func line(_ approver: String) -> String {
            "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:00Z\",\"session_id\":\"s-a\",\"kind\":\"tool_call\",\"agent\":\"acme-agent\","
                + "\"principal\":\"svc-agent-ci\",\"tool\":\"Bash\",\"call_id\":\"c-1\",\"input\":{\"command\":\"gh pr merge 7\"},"
                + "\"decision\":\"allow\",\"decision_source\":\"user\",\"approved_by\":\"\(approver)\"}"
        }
        let result = TestSupport.decode([line("svc-agent-ci"), line("Acme-Agent"), line("alice@corp.com")])
        #expect(result.map { $0.events[0].decisionSource } == [.auto, .auto, .user])
        #expect(result[0].events[0].attributes?.contains(#""self_approved":"svc-agent-ci""#) == true)
    }

    @Test("with no permission_mode, Codex's approval_policy and sandbox say the mode: never + danger-full-access is bypass")
    func codexPolicyPair() {
        func line(_ approval: String, _ sandbox: String, mode: String = "") -> String {
            "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:00Z\",\"session_id\":\"s-p\",\"kind\":\"config\","
                + "\"approval_policy\":\"\(approval)\",\"sandbox\":\"\(sandbox)\"\(mode.isEmpty ? "" : ",\"permission_mode\":\"" + mode + "\"")}"
        }
        let result = TestSupport.decode([line("never", "danger-full-access"), line("never", "workspace-write"), line("on-request", "workspace-write"),
                                         line("never", "danger-full-access", mode: "default")])
        #expect(result.map { $0.events[0].policy.mode } == [.bypass, .auto, .default, .default])
    }

    @Test("a chain's start written as a value (empty, 64 zeros) vouches for nothing on a session's first line; later, it is a break")
    func genesisHash() {
        func line(_ second: Int, _ session: String, _ prev: String) -> String {
            "{\"schema\":\"harness-v1\",\"ts\":\"2026-11-02T10:00:0\(second)Z\",\"session_id\":\"\(session)\",\"kind\":\"prompt\",\"prev_hash\":\"\(prev)\"}"
        }
        let zeros = String(repeating: "0", count: 64)
        let result = TestSupport.decode([line(0, "s-empty", ""), line(1, "s-zero", zeros), line(2, "s-zero", zeros)])
        for first in result.prefix(2) {
            #expect(first.events[0].flags.isDisjoint(with: [.chainMismatch, .chainUnverified, .invalidField]))
            #expect(first.events[0].prevHash == nil)
        }
        #expect(result[2].events[0].flags.contains(.chainMismatch), "a chain restarted after a line of the session")
        // `null` likewise: nothing on a session's first line, a break on a later one (a forged line re-chained from there).
        let nulls = TestSupport.decode([line(0, "s-null", "").replacingOccurrences(of: #""prev_hash":"""#, with: #""prev_hash":null"#),
                                        line(1, "s-null", "").replacingOccurrences(of: #""prev_hash":"""#, with: #""prev_hash":null"#)])
        #expect(nulls[0].events[0].flags.isDisjoint(with: [.chainMismatch, .invalidField]))
        #expect(nulls[1].events[0].flags.contains(.chainMismatch))
    }
}
