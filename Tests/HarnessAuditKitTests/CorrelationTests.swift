import Testing
@testable import HarnessAuditKit

/// Correlation across files and formats (issue: a decision joins its action by call id
/// wherever it came from; sessions, users and hosts resolve across sources).
@Suite("Correlation across sources", .serialized)
struct CorrelationTests {
    func store(_ fixtures: [String]) throws -> (String, String) {
        let dir = TestSupport.temporaryDirectory()
        let db = dir + "/store.sqlite"
        try TestSupport.ingest(fixtures.map { TestSupport.fixture("formats/" + $0) }, database: db)
        return (dir, db)
    }

    @Test("the permission mode a hook states for its call wins over the one a transcript carries, in every ingest order")
    func modeStatedOnTheCall() throws {
        let files = ["hooks.jsonl", "transcript.jsonl", "otel.jsonl"].map { "mode_stated_on_the_call/" + $0 }
        let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        var results: Set<[String]> = []
        for order in orders {
            let (dir, db) = try store(order.map { files[$0] })
            defer { TestSupport.cleanup(dir) }
            let findings = try CheckTestSupport.check(db).findings
            #expect(findings.contains { $0.rule == "approval-bypass-mode" }, "\(order)")
            results.insert(findings.map { "\($0.rule) \($0.id)" }.sorted())
        }
        #expect(results.count == 1, "\(results)")
    }

    @Test("a mode change another log dates after the transcript's prompt is the mode of the calls after it, in either ingest order")
    func modeChangedAfterThePrompt() throws {
        for order in [["transcript.jsonl", "otel.jsonl"], ["otel.jsonl", "transcript.jsonl"]] {
            // Loosened to bypass after a prompt in default mode: the delete after it ran with approvals off.
            let (dir, db) = try store(order.map { "mode_changed_after_the_prompt/" + $0 })
            defer { TestSupport.cleanup(dir) }
            let findings = try CheckTestSupport.check(db).findings
            #expect(findings.contains { $0.rule == "approval-bypass-mode" && $0.reason.contains("rm -rf coverage") }, "\(order)")
            #expect(findings.contains { $0.rule == "unconfirmed-delete" && $0.reason.contains("(mode bypassPermissions)") }, "\(order)")
            // Back to default after a prompt in bypass: only the delete before the change ran with approvals off.
            let (backDir, backDB) = try store(order.map { "mode_changed_back_after_the_prompt/" + $0 })
            defer { TestSupport.cleanup(backDir) }
            let back = try CheckTestSupport.check(backDB).findings
            let episodes = back.filter { $0.rule == "approval-bypass-mode" }
            #expect(episodes.count == 1 && episodes[0].reason.hasPrefix("1 action ran"), "\(episodes.map(\.reason))")
            let deletes = back.filter { $0.rule == "unconfirmed-delete" }.map(\.reason)
            #expect(deletes.filter { $0.contains("(mode default)") }.count == 2, "\(deletes)")
        }
    }

    @Test("an episode in bypass cites the line that says so: a transcript's prompt with its permissionMode")
    func bypassStatedByThePrompt() throws {
        let (dir, db) = try store(["transcript_bypass_stated_by_the_prompt.jsonl"])
        defer { TestSupport.cleanup(dir) }
        let episodes = try CheckTestSupport.check(db).findings.filter { $0.rule == "approval-bypass-mode" }
        #expect(episodes.count == 1 && episodes.first?.evidence.map(\.line) == [1, 2, 3], "\(episodes.map(\.evidence))")
    }

    @Test("a sub-agent in bypass between the parent's calls in default mode: no loosening, one episode, not one per turn")
    func subagentMode() throws {
        let (dir, db) = try store(["subagent_in_bypass_between_parent_calls.jsonl"])
        defer { TestSupport.cleanup(dir) }
        let findings = try CheckTestSupport.check(db).findings
        #expect(findings.filter { $0.rule == "mode-loosened-to-bypass" }.isEmpty)
        let episodes = findings.filter { $0.rule == "approval-bypass-mode" }
        #expect(episodes.count == 1)
        #expect(episodes.first?.reason.hasPrefix("3 actions ran with approvals off") == true, "\(episodes.map(\.reason))")
    }

    @Test("a Codex OTel tool_decision joins its rollout function_call by session and call id")
    func codexDecisionJoinsCall() throws {
        let (dir, db) = try store([CodexRolloutDecoderTests.file.replacingAll("formats/", with: ""), "otlp_logs_variants.jsonl"])
        defer { TestSupport.cleanup(dir) }
        let rows = try TestSupport.query(db, """
            SELECT format, kind, decision, decision_source FROM events_v WHERE call_id = 'call_oOWS' ORDER BY format, kind
            """)
        let kinds = rows.map { "\($0[0].text ?? "")/\($0[1].text ?? "")" }
        #expect(kinds.contains("codex-rollout/tool_call"))
        #expect(kinds.contains("codex-rollout/tool_result"))
        #expect(kinds.contains("otlp-logs/permission_decision"))
        let sessions = try TestSupport.query(db, "SELECT count(DISTINCT session_id) FROM events WHERE call_id = 'call_oOWS'")
        #expect(sessions.first?[0].int64 == 1, "one session across rollout and OTel")
    }

    @Test("a Claude OTel decision joins the hook tool call; the OTel user email resolves the hook session's actor")
    func claudeDecisionJoinsHook() throws {
        let (dir, db) = try store(["claude_hook_every_event.jsonl", "otlp_logs_variants.jsonl"])
        defer { TestSupport.cleanup(dir) }
        let rows = try TestSupport.query(db, "SELECT format, kind FROM events_v WHERE call_id = 'toolu_01HqX9c2VbN4pL7sT3mR8wQe' ORDER BY format")
        #expect(rows.map { $0[0].text } == ["claude-hook"])
        let joined = try TestSupport.query(db, "SELECT DISTINCT format FROM events_v WHERE session = '7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13' ORDER BY 1")
        #expect(joined.map { $0[0].text } == ["claude-hook", "otlp-logs"])
        let session = try TestSupport.query(db, "SELECT actor, agent, host FROM sessions_v WHERE session = '7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13'")
        #expect(session.first?[0].text == "alice@corp.com", "the hook payloads carry no user; OTel does")
        #expect(session.first?[1].text == "claude-code")
        #expect(session.first?[2].text == "laptop-alice")
    }

    @Test("a Claude OTel result's tool_input names what its decision could not: an MCP merge's pull request, in either order")
    func claudeOTelResultArguments() throws {
        func record(_ second: Int, _ name: String, _ attributes: [(String, String)]) -> String {
            let all = [("session.id", "7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f14"), ("event.name", name), ("tool_name", "mcp_tool"),
                       ("tool_use_id", "toolu_Merge9"),
                       ("tool_parameters", #"{"mcp_server_name":"github","mcp_tool_name":"merge_pull_request"}"#)] + attributes
            let encoded = all.map { key, value in
                #"{"key":"\#(key)","value":{"stringValue":"\#(value.replacingOccurrences(of: "\"", with: "\\\""))"}}"#
            }
            return #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"17880000\#(second)0000000000","body":{"stringValue":"claude_code.\#(name)"},"attributes":[\#(encoded.joined(separator: ","))]}]}]}]}"#
        }
        let decision = record(0, "tool_decision", [("decision", "accept"), ("source", "config")])
        let result = record(1, "tool_result", [("success", "true"), ("decision_type", "accept"), ("decision_source", "config"),
                                               ("tool_input", #"{"owner":"acme","repo":"api","pull_number":9}"#)])
        for lines in [[decision, result], [result, decision]] {
            let findings = try CheckTestSupport.findings(of: "merge-without-approval", files: [lines])
            #expect(findings.count == 1)
            #expect(findings.first?.reason.contains("pull request acme/api#9") == true, "\(findings.map(\.reason))")
        }
    }

    @Test("transcript tool_use and tool_result pair by call id, and the denial marker is on the result")
    func transcriptPairs() throws {
        let (dir, db) = try store(["claude_transcript_variants.jsonl"])
        defer { TestSupport.cleanup(dir) }
        let rows = try TestSupport.query(db, "SELECT kind, outcome, decision_source FROM events_v WHERE call_id = 'toolu_01Push' ORDER BY kind")
        #expect(rows.map { $0[0].text } == ["tool_call", "tool_result"])
        #expect(rows[1][1].text == "denied")
        #expect(rows[1][2].text == "user")
    }

    @Test("Kubernetes events: one row per auditID and stage, the repeated copy is deduplicated")
    func k8sDedupe() throws {
        let (dir, db) = try store(["k8s_audit_variants.jsonl"])
        defer { TestSupport.cleanup(dir) }
        let stats = try TestSupport.statistics(db)
        #expect(stats.sources[0].lines == 15)
        #expect(stats.sources[0].eventsDuplicate == 1, "the last line repeats the first event")
        let stages = try TestSupport.query(db, "SELECT count(*) FROM events WHERE call_id LIKE '927fcde7-74e5-4a57-af53-dceacefaf47c/%'")
        #expect(stages.first?[0].int64 == 2)
    }

    @Test("stats counts events per format")
    func statsPerFormat() throws {
        let (dir, db) = try store(["claude_hook_every_event.jsonl", "claude_transcript_variants.jsonl",
                                   CodexRolloutDecoderTests.file.replacingAll("formats/", with: ""), "otlp_logs_variants.jsonl",
                                   "k8s_audit_variants.jsonl", "harness_v1_variants.jsonl"])
        defer { TestSupport.cleanup(dir) }
        let formats = Set(try TestSupport.statistics(db).eventsByFormat.map(\.name))
        #expect(formats == Set(LogFormat.allCases.map(\.id)))
    }

    @Test("a valid JSON line of no known format is rejected as unknown format, with its keys")
    func unknownFormat() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        TestSupport.write("{\"level\":\"info\",\"msg\":\"heartbeat\",\"pid\":4121}\n{\"type\":\"mystery\",\"payload\":{}}\n", to: dir + "/x.jsonl")
        try TestSupport.ingest([dir + "/x.jsonl"], database: dir + "/s.sqlite")
        let rows = try TestSupport.query(dir + "/s.sqlite", "SELECT reason, keys FROM rejected ORDER BY line")
        #expect(rows.map { $0[0].text } == [LineRejection.unknownFormat, LineRejection.unknownFormat])
        #expect(rows[0][1].text == "[\"level\",\"msg\",\"pid\"]")
        #expect(rows[1][1].text == "[\"type\",\"payload\"]")
    }
}
