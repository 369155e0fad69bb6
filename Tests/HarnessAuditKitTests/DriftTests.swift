import Foundation
import Testing
@testable import HarnessAuditKit

/// `drift` and `baseline suggest` over two-period fixtures in four formats (harness-v1, Claude
/// Code hooks with an OTel decision, Codex rollouts, Kubernetes audit): every new, vanished and
/// unused capability is asserted, and the suggested baseline round-trips.
@Suite("Permission drift and least privilege")
struct DriftTests {
    static let fixtures = [
        "drift/harness_v1_new_host_namespace_production_and_mode.jsonl",
        "drift/claude_hooks_new_mcp_server_and_accepted_rules.jsonl",
        "drift/codex_oct_on_request.jsonl", "drift/codex_oct_on_request_again.jsonl", "drift/codex_oct_on_failure.jsonl",
        "drift/codex_nov_widened_with_unused_root.jsonl", "drift/codex_nov_full_access_never_needed.jsonl",
        "drift/k8s_audit_new_verbs_for_an_agent.jsonl",
    ]
    static let november = ReportPeriod.month(year: 2026, month: 11)
    static let october = ReportPeriod.month(year: 2026, month: 10)

    /// The check options for a fixture store, with `baseline` as `harness-audit.yml`.
    static func check(_ database: String, baseline: String? = nil) throws -> CheckOptions {
        var check = CheckOptions(databasePath: database)
        check.now = Timestamp.millis(year: 2026, month: 12, day: 2)
        if let baseline { check.baseline = try Baseline.parse(baseline, file: "harness-audit.yml") }
        return check
    }

    static func drift(_ database: String, baseline: String? = nil, trackingDays: Int = 90) throws -> DriftResult {
        var options = DriftOptions(check: try check(database, baseline: baseline), current: november, previous: october)
        options.trackingDays = trackingDays
        return try DriftAnalyzer.run(options)
    }

    static func changes(_ drift: DriftResult, agent: String) -> (new: Set<String>, vanished: Set<String>) {
        let scope = drift.scopes.first { $0.scope.agent == agent }
        return (Set((scope?.new ?? []).map { "\($0.capability.kind.rawValue):\($0.capability.value)" }),
                Set((scope?.vanished ?? []).map { "\($0.capability.kind.rawValue):\($0.capability.value)" }))
    }

    static func findings(_ drift: DriftResult) -> Set<String> {
        Set(drift.result.findings.map { "\($0.rule) \($0.target ?? $0.session ?? "")" })
    }

    @Test("the clean call just before a switch to bypass, cited by the mode change's finding, is new drift, not an action check reported")
    func callBeforeModeSwitchIsNotFlagged() throws {
        func event(_ id: String, _ time: String, _ mode: String, _ body: String) -> String {
            #"{"schema":"harness-v1","session_id":"\#(id)","agent":"acme-agent","repo":"api","cwd":"/srv/api","permission_mode":"\#(mode)","ts":"2026-\#(time)Z",\#(body)}"#
        }
        let lines = [
            event("o1", "10-05T10:00:00", "default", #""kind":"tool_call","tool":"Bash","call_id":"c1","input":{"command":"npm test"}"#),
            event("o1", "10-05T10:00:05", "default", #""kind":"tool_result","tool":"Bash","call_id":"c1","outcome":"success""#),
            event("n1", "11-05T10:00:00", "default", #""kind":"tool_call","tool":"Bash","call_id":"c1","input":{"command":"git status"}"#),
            event("n1", "11-05T10:00:05", "default", #""kind":"tool_result","tool":"Bash","call_id":"c1","outcome":"success""#),
            event("n1", "11-05T10:01:00", "bypass", #""kind":"prompt","text":"go on""#),
        ]
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let drift = try Self.drift(database)
        #expect(try CheckEngine.run(Self.check(database)).findings.contains { $0.rule == "mode-loosened-to-bypass" })
        #expect(Self.changes(drift, agent: "acme-agent").new.contains("command:git status"), "\(Self.changes(drift, agent: "acme-agent"))")
        // Not "reported by check": it raises drift of its own.
        #expect(drift.result.findings.contains { $0.rule == "new-command" && $0.reason.contains("git status") },
                "\(drift.result.findings.map { "\($0.rule): \($0.reason)" })")
    }

    @Test("a setting a repository's sessions used in the previous period is a habit, not drift; one it never used is new, reported once")
    func configurationHabits() throws {
        func session(_ id: String, _ day: String, repo: String, mode: String) -> [String] {
            let common = #""schema":"harness-v1","session_id":"\#(id)","agent":"acme-agent","repo":"\#(repo)","cwd":"/srv/\#(repo)","permission_mode":"\#(mode)""#
            return [#"{\#(common),"ts":"2026-\#(day)T10:00:00Z","kind":"tool_call","tool":"Bash","call_id":"c1","input":{"command":"npm test"}}"#,
                    #"{\#(common),"ts":"2026-\#(day)T10:00:05Z","kind":"tool_result","tool":"Bash","call_id":"c1","outcome":"success"}"#]
        }
        // October: api ran in default (one session in accept_edits), web in accept_edits.
        var lines = session("o1", "10-05", repo: "api", mode: "default") + session("o2", "10-06", repo: "api", mode: "default")
            + session("o3", "10-07", repo: "api", mode: "accept_edits") + session("o4", "10-08", repo: "web", mode: "accept_edits")
            + session("o5", "10-09", repo: "ops", mode: "default") + session("o6", "10-10", repo: "ops", mode: "default")
        // November: the same habits in api; ops, which never did, runs one session in accept_edits.
        lines += session("n1", "11-05", repo: "api", mode: "default") + session("n2", "11-06", repo: "api", mode: "accept_edits")
            + session("n3", "11-07", repo: "ops", mode: "default") + session("n4", "11-08", repo: "ops", mode: "accept_edits")
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let findings = try Self.drift(database).result.findings
        #expect(!findings.contains { $0.category == "config-drift" }, "\(findings.map(\.reason))")
        // What ops never did is new for it: permission drift, once.
        let new = findings.filter { $0.rule == "new-permission-setting" }
        #expect(new.count == 1 && new.first?.repo == "ops" && new.first?.target == "accept_edits", "\(findings.map(\.reason))")
    }

    @Test("a shell that wraps a script is not a command of its own; Codex's shell tool is one tool under each of its names")
    func wrappersAndRenames() {
        let classifier = ActionClassifier()
        let context = ClassificationContext(cwd: "/srv/t", home: "/home/e")
        let wrapped = classifier.classify(tool: "shell", inputJSON: #"{"command":["bash","-lc","pytest -q"]}"#, context: context)
        #expect(wrapped.commandFamilies == ["pytest"])
        let script = classifier.classify(tool: "Bash", inputJSON: #"{"command":"bash deploy.sh"}"#, context: context)
        #expect(script.commandFamilies.contains("bash"), "a shell running a script file is the command")
        #expect(["shell", "shell_command", "exec_command", "local_shell"].map(CapabilityExtractor.toolCapability) == Array(repeating: "shell", count: 4))
        #expect(CapabilityExtractor.toolCapability("Bash") == "Bash")
        #expect(AllowedCapabilities.allows("exec_command", "shell", kind: .tool), "a baseline may list the tool by any of its names")
        #expect(!AllowedCapabilities.allows("Read", "shell", kind: .tool))
    }

    @Test("drift counts the actions that ran as check counts them: check's actions less its blocked attempts")
    func actionCountsAgree() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        _ = try TestSupport.ingest([TestSupport.repositoryRoot + "/samples"], database: dir + "/s.sqlite")
        let result = try Self.drift(dir + "/s.sqlite")
        var options = try Self.check(dir + "/s.sqlite")
        options.since = Self.november.since
        options.until = Self.november.until
        let check = try CheckEngine.run(options)
        #expect(result.currentActions == check.actions - check.blockedAttempts)
        #expect(result.currentActions > 0)
    }

    @Test("every new and vanished capability per agent, repository and principal, in four formats")
    func newAndVanished() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: Self.fixtures)
        defer { TestSupport.cleanup(directory) }
        let drift = try Self.drift(database)
        #expect(Set(drift.scopes.map(\.scope.title)) == [
            "acme-agent in acme/api as svc-api", "claude-code in /home/dev/shop", "codex in acme/api",
            "kubernetes as system:serviceaccount:staging:deploy-agent",
        ])
        let acme = Self.changes(drift, agent: "acme-agent")
        #expect(acme.new == ["tool:web_fetch", "command:echo", "command:rm", "command:terraform plan", "host:api.stripe.com",
                             "namespace:api-prod", "context:prod-eu", "production:api-prod", "production:prod-eu", "mode:accept_edits"])
        #expect(acme.vanished == ["tool:read_file", "command:curl", "command:git push", "host:proxy.golang.org",
                                  "namespace:api-staging", "context:staging", "mode:default"])
        let claude = Self.changes(drift, agent: "claude-code")
        #expect(claude.new == ["tool:mcp__linear__create_issue", "mcp_server:linear", "command:docker build", "command:npm run",
                               "sensitive_path:.env"])
        #expect(claude.vanished == ["tool:mcp__github__create_pull_request", "mcp_server:github"])
        let codex = Self.changes(drift, agent: "codex")
        #expect(codex.new == ["command:ls", "mode:bypass", "approval_policy:never", "sandbox:danger-full-access"])
        #expect(codex.vanished == ["approval_policy:on-request"])
        let kubernetes = Self.changes(drift, agent: "kubernetes")
        #expect(kubernetes.new == ["command:k8s get configmaps", "command:k8s patch deployments"])
        #expect(kubernetes.vanished == ["command:k8s list configmaps"])
    }

    @Test("drift on a check session built for one month folds every session first: the same result as its own")
    func driftOnAWindowedSession() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: Self.fixtures)
        defer { TestSupport.cleanup(directory) }
        let expected = try Self.drift(database)
        var check = try Self.check(database)
        check.since = Self.november.since
        check.until = Self.november.until
        let session = try CheckSession(check)
        // Built for November, the model lacks October's sessions, which drift compares with.
        #expect(session.modelRange != .all)
        let before = try session.db.scalarInt("SELECT count(*) FROM all_actions") ?? 0
        let drift = try DriftAnalyzer.run(DriftOptions(check: try Self.check(database), current: Self.november, previous: Self.october),
                                          session: session)
        #expect(session.modelRange == .all)
        #expect(try session.db.scalarInt("SELECT count(*) FROM all_actions") ?? 0 > before)
        #expect(session.window.since == Self.november.since && session.window.until == Self.november.until)
        #expect(Self.findings(drift) == Self.findings(expected))
        for agent in ["acme-agent", "claude-code", "codex", "kubernetes"] {
            #expect(Self.changes(drift, agent: agent) == Self.changes(expected, agent: agent), "\(agent)")
        }
    }

    @Test("new capabilities raise permission-drift by kind; what check reports already does not; config drift and unused grants")
    func findings() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: Self.fixtures)
        defer { TestSupport.cleanup(directory) }
        let drift = try Self.drift(database)
        #expect(Self.findings(drift) == [
            "new-tool web_fetch", "new-command echo", "new-command terraform plan", "new-host api.stripe.com",
            "new-k8s-scope api-prod", "new-k8s-scope prod-eu", "new-production-target api-prod", "new-production-target prod-eu",
            "new-permission-setting accept_edits",
            "new-tool mcp__linear__create_issue", "new-mcp-server linear", "new-command docker build", "new-command npm run",
            "new-command k8s get configmaps", "new-risky-command k8s patch deployments",
            "config-widened 0199b001-0000-7000-8000-000000000003", "config-widened 9d4c2b1a-7e6f-4a5b-8c9d-0e1f2a3b4c5d",
            "unused-agent-grant /home/dev/shared-ui", "unused-agent-grant /opt/cache", "unused-agent-grant never",
            "unused-agent-grant danger-full-access",
        ])
        // A delete, a secret read and a yolo session raised check findings: their capabilities are listed, not drift findings.
        let acme = try #require(drift.scopes.first { $0.scope.agent == "acme-agent" })
        #expect(acme.new.first { $0.capability.value == "rm" }?.covered == "reported by check")
        #expect(acme.new.first { $0.capability.value == "rm" }?.coveredBy == "check" && acme.new.first { $0.capability.value == "web_fetch" }?.coveredBy == nil)
        // Severity follows what the capability is.
        let byRule = Dictionary(drift.result.findings.map { ($0.rule, $0.severity) }, uniquingKeysWith: { a, _ in a })
        #expect(byRule["new-production-target"] == .high && byRule["new-risky-command"] == .high)
        #expect(byRule["new-command"] == .low && byRule["new-mcp-server"] == .medium && byRule["config-widened"] == .medium)
        // Counts and the first sessions as evidence, with file and line.
        let production = try #require(drift.result.findings.first { $0.rule == "new-production-target" && $0.target == "prod-eu" })
        #expect(production.session == "s-api-nov" && production.properties.contains { $0 == ("actions", "1") })
        #expect(production.evidence.map(\.line) == [19, 20]
                && production.evidence.allSatisfy { $0.file.hasSuffix("harness_v1_new_host_namespace_production_and_mode.jsonl") })
        #expect(production.reason.contains("new since October 2026"))
        // Configuration drift names what widened.
        let codex = try #require(drift.result.findings.first { $0.session == "0199b001-0000-7000-8000-000000000003" })
        #expect(codex.reason.contains("new writable root `/opt/cache`"))
        // Its approval policy is wider than the norm, but one of the repository's sessions used it in October too: a habit of
        // the scope, not a change (a stable fleet is not reported every month).
        #expect(!codex.reason.contains("on-failure"), "\(codex.reason)")
        let claude = try #require(drift.result.findings.first { $0.rule == "config-widened" && $0.agent == "claude-code" })
        #expect(claude.reason.contains("new allow rule `Bash(npm run lint:*)`") && claude.reason.contains("new added directory `/home/dev/shared-ui`"))
        // The accepted rule was used by the very call it was accepted for; the directory never was.
        #expect(!drift.result.findings.contains { $0.target == "Bash(npm run lint:*)" })
        let unused = try #require(drift.result.findings.first { $0.target == "/home/dev/shared-ui" })
        #expect(unused.reason.contains("never used before 2026-12-01") && unused.evidence.first?.line == 18, "\(unused.reason)")
        // Stable ids: the same drift has the same id in every run.
        #expect(try Self.drift(database).result.findings.map(\.id) == drift.result.findings.map(\.id))
    }

    static let baseline = """
        version: 1
        allowed_write_roots: [/tmp, /srv/cache]
        allowed:
          - agent: acme-agent
            repo: acme/api
            commands: ["go *", "kubectl get", "git push", "helm upgrade", "echo", "rm"]
            hosts: ["*.golang.org"]
            modes: [default]
          - agent: kubernetes
            commands: ["k8s get configmaps", "k8s patch *"]
        authorized:
          - category: schema-change
            agent: acme-agent
            reason: migrations run by the release job
        """

    @Test("a baseline's allowed lists: outside them is drift even when not new; unused allowances, roots and authorizations")
    func baselineAllowances() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: Self.fixtures)
        defer { TestSupport.cleanup(directory) }
        let drift = try Self.drift(database, baseline: Self.baseline, trackingDays: 30)
        let found = Self.findings(drift)
        // Declared kinds are judged by the baseline.
        #expect(found.contains("new-command terraform plan") && found.contains("new-host api.stripe.com")
                && found.contains("new-permission-setting accept_edits"))
        #expect(!found.contains("new-command echo"), "the baseline allows echo")
        let terraform = try #require(drift.result.findings.first { $0.target == "terraform plan" })
        #expect(terraform.reason.contains("outside the baseline's allowed commands"))
        let acme = try #require(drift.scopes.first { $0.scope.agent == "acme-agent" })
        #expect(acme.new.first { $0.capability.value == "echo" }?.covered == "baseline line 6")
        #expect(acme.new.first { $0.capability.value == "echo" }?.coveredBy == "baseline")
        // Used in both periods yet outside the list: drift all the same.
        let kubernetes = try #require(drift.scopes.first { $0.scope.agent == "kubernetes" })
        #expect(kubernetes.outside.map(\.capability.value) == ["k8s get pods"])
        #expect(found.contains("new-command k8s get pods") && !found.contains("new-command k8s get configmaps"))
        #expect(drift.result.findings.first { $0.target == "k8s get pods" }?.reason.contains("used in the previous period too") == true)
        // Kinds the baseline does not declare fall back to the previous period.
        #expect(found.contains("new-k8s-scope api-prod"))
        // Unused: a command never used, one last used before the tracking period, a write root, an authorization.
        #expect(found.contains("unused-allowance helm upgrade") && found.contains("unused-allowance git push"))
        let push = try #require(drift.result.findings.first { $0.rule == "unused-allowance" && $0.target == "git push" })
        #expect(push.reason.contains("last used 2026-10-07") && push.evidence == [Evidence(file: "harness-audit.yml", line: 6, sourceID: 0, eventID: nil)])
        #expect(found.contains("unused-allowance /srv/cache") && !found.contains("unused-allowance /tmp"))
        #expect(found.contains("unused-authorization migrations run by the release job") == false)
        let authorization = try #require(drift.result.findings.first { $0.rule == "unused-authorization" })
        #expect(authorization.evidence.first?.line == 12 && authorization.reason.contains("category schema-change"))
        // With the default tracking period, October's push counts as use.
        #expect(!Self.findings(try Self.drift(database, baseline: Self.baseline)).contains("unused-allowance git push"))
    }

    @Test("baseline suggest: the tightest baseline round-trips with no permission-drift, on the fixtures and on the samples")
    func suggestRoundTrips() throws {
        for fixtures in [Self.fixtures, nil] {
            let directory = TestSupport.temporaryDirectory()
            defer { TestSupport.cleanup(directory) }
            let database = directory + "/store.sqlite"
            try TestSupport.ingest(fixtures?.map(TestSupport.fixture) ?? [TestSupport.repositoryRoot + "/samples"], database: database)
            var check = try Self.check(database)
            let suggestion = try BaselineSuggester.suggest(check, period: Self.november)
            let suggested = try Baseline.parse(suggestion.yaml, file: "suggested.yml")
            #expect(suggested.allowed.count == suggestion.entries.count && !suggested.allowed.isEmpty)
            check.baseline = suggested
            let drift = try DriftAnalyzer.run(DriftOptions(check: check, current: Self.november, previous: Self.october))
            let drifting = drift.result.findings.filter { $0.category == "permission-drift" }
            #expect(drifting.isEmpty, "\(drifting.map(\.reason))")
            #expect(!drift.result.findings.contains { $0.rule == "unused-allowance" }, "the built-in temporary roots are not a team's grant")
            #expect(suggestion.claudeSettings?.contains("\"disableBypassPermissionsMode\": \"disable\"") == true)
            #expect(suggestion.codexConfig?.contains("sandbox_mode = \"workspace-write\"") == true)
        }
    }

    @Test("suggest leaves out what raised findings, and compares itself with the current baseline")
    func suggestContents() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: Self.fixtures)
        defer { TestSupport.cleanup(directory) }
        let suggestion = try BaselineSuggester.suggest(try Self.check(database, baseline: Self.baseline), period: Self.november)
        let claude = try #require(suggestion.entries.first { $0.scope.agent == "claude-code" })
        #expect(claude.lists[.mcpServer] == ["linear"] && claude.lists[.sensitivePath] == [], "the .env read raised a finding")
        #expect(claude.lists[.command] == ["docker build", "npm run", "npm test"])
        let acme = try #require(suggestion.entries.first { $0.scope.agent == "acme-agent" })
        #expect(acme.lists[.command]?.contains("rm") == false, "the unconfirmed delete raised a finding")
        #expect(suggestion.changes.contains(.init(kind: .kept, scope: "acme-agent in acme/api as svc-api", capability: .command, value: "go test", line: 6)))
        #expect(suggestion.changes.contains(.init(kind: .added, scope: "acme-agent in acme/api as svc-api", capability: .command, value: "terraform plan")))
        #expect(suggestion.changes.contains(.init(kind: .undeclared, scope: "claude-code in /home/dev/shop", capability: .tool, value: "Bash")))
        #expect(suggestion.changes.contains(.init(kind: .removed, scope: "acme-agent acme/api", capability: .command, value: "helm upgrade", line: 6)))
        #expect(suggestion.notes.contains { $0.contains("/srv/cache") } && suggestion.notes.contains { $0.contains("schema-change") })
        // The rest of the current baseline is kept; its allowed list is replaced.
        let parsed = try Baseline.parse(suggestion.yaml, file: "suggested.yml")
        #expect(parsed.allowedWriteRoots == ["/tmp", "/srv/cache"] && parsed.authorizations.count == 1)
        #expect(!parsed.allowed.contains { $0.lists[.command]?.contains { $0.text == "helm upgrade" } == true })
        // Harness settings: needed commands allowed, the secret read denied, unused roots left out.
        let settings = try #require(suggestion.claudeSettings)
        #expect(settings.contains("\"Bash(docker build *)\"") && settings.contains("\"mcp__linear\"") && settings.contains("\"Read(**/.env)\""))
        let codex = try #require(suggestion.codexConfig)
        // The on-failure policy the sessions used runs commands unasked and is deprecated: on-request is recommended.
        #expect(codex.contains("approval_policy = \"on-request\"") && codex.contains("# approval policy used: on-failure")
                && codex.contains("writable_roots = []") && codex.contains("network_access = false"))
    }

    @Test("suggest redacts a secret in a value it writes (a password in a repository URL): the file is meant to be committed")
    func suggestRedactsSecrets() throws {
        let repo = "https://bob:Xk9PassW0rdZz@git.corp.com/acme/ledger.git"
        let lines = [#"{"schema":"harness-v1","ts":"2026-11-02T10:00:01.000Z","session_id":"s-1","agent":"acme-agent","repo":"\#(repo)","cwd":"/srv/ledger","kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"go test ./..."}}"#]
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let suggestion = try BaselineSuggester.suggest(try Self.check(database), period: Self.november)
        #expect(suggestion.entries.contains { $0.scope.repo == repo }, "the scope itself is exact")
        #expect(!suggestion.yaml.contains("Xk9PassW0rdZz") && suggestion.yaml.contains("\"https://bob:**@git.corp.com/acme/ledger.git\""))
        // The masked value still matches the scope it stands for: adopting the file authorizes the session's actions.
        let adopted = try Baseline.parse(suggestion.yaml, file: "suggested.yml")
        let scope = try #require(suggestion.entries.first { $0.scope.repo == repo }?.scope)
        #expect(adopted.allowed.contains { $0.applies(to: scope) })
        #expect(!adopted.allowed.contains { $0.applies(to: CapabilityScope(agent: "acme-agent", repo: "https://bob:x@evil.example/acme/ledger.git", principal: nil)) })
    }

    @Test("drift's scope names are redacted in every format: a principal that is a key, a repository URL with a token, a working directory")
    func driftRedactsScopes() throws {
        let token = "ghp_" + "Q7wErTy8UiOp9AsDf0GhJk1LzXcVbNm2QwEr"
        func line(_ session: String, _ day: Int, _ command: String) -> String {
            #"{"schema":"harness-v1","ts":"2026-\#(day < 32 ? "10" : "11")-\#(String(format: "%02d", day < 32 ? day : day - 31))T10:00:01.000Z","session_id":"\#(session)","agent":"acme-agent","principal":"AKIAIOSFODNN7EXAMPLE","repo":"https://x-access-token:\#(token)@github.com/acme/app.git","cwd":"/srv/app","kind":"tool_call","tool":"Bash","call_id":"c-\#(day)","input":{"command":"\#(command)"}}"#
        }
        let (database, directory) = try CheckTestSupport.store([line("s-oct", 5, "go test ./..."), line("s-nov", 36, "curl https://new.example.com")])
        defer { TestSupport.cleanup(directory) }
        let drift = try Self.drift(database).redacted(Redactor(enabled: true))
        #expect(drift.newCount > 0)
        for format in ["text", "json", "markdown"] {
            let text: String
            switch format {
            case "text": text = DriftTextRenderer.render(drift, options: FindingsRenderOptions())
            case "json": text = DriftJSONRenderer.render(drift, options: FindingsRenderOptions())
            default: text = ReportMarkdownRenderer.render(DriftComposer.document(drift, failOn: .high))
            }
            #expect(!text.contains("AKIAIOSFODNN7EXAMPLE") && !text.contains(token), "\(format): \(text.prefix(600))")
        }
        #expect(drift.scopes.allSatisfy { $0.scope.principal.hasPrefix("AKIA") && $0.scope.principal != "AKIAIOSFODNN7EXAMPLE" })
    }

    @Test("a Kubernetes request an agent's call made is that call's action in drift: one new capability, not one more of the account")
    func kubernetesRequestOfACall() throws {
        let october = hv1Bash("s-oct", 1, "c-1", "kubectl -n ci get pods").map { $0.replacingOccurrences(of: "2026-11-02", with: "2026-10-02") }
            + [KubernetesCorrelationTests.request(verb: "get", resource: "pods", namespace: "ci", name: "api-0", id: "a-oct")
                .replacingOccurrences(of: "2026-11-02", with: "2026-10-02")]
        let november = hv1Bash("s-nov", 1, "c-2", "kubectl -n ci rollout restart deployment/api")
            + [KubernetesCorrelationTests.request(verb: "patch", resource: "deployments", namespace: "ci", name: "api", id: "a-nov")]
        let (database, directory) = try CheckTestSupport.store(october + november)
        defer { TestSupport.cleanup(directory) }
        let drift = try Self.drift(database)
        let new = drift.scopes.flatMap { scope in scope.new.map { "\(scope.scope.agent) \($0.capability.value)" } }
        #expect(new.contains("acme-agent kubectl rollout"), "\(new)")
        #expect(!new.contains { $0.contains("k8s patch") }, "the request is the call's action: \(new)")
    }

    @Test("a shell's builtins (cd, export, set) are no capability: using them for the first time is no drift")
    func builtinsAreNoCapability() throws {
        let lines = [hv1("s-oct", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"go test ./..."}"#)
                        .replacingOccurrences(of: "2026-11-02", with: "2026-10-02"),
                     hv1("s-nov", 2, #""kind":"tool_call","tool":"Bash","call_id":"c-2","input":{"command":"cd cmd && export GOFLAGS=-mod=mod && set -e; go test ./..."}"#)]
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let drift = try Self.drift(database)
        #expect(drift.newCount == 0, "\(drift.scopes.flatMap(\.new).map(\.capability.value))")
        #expect(Self.findings(drift).isEmpty)
    }

    @Test("suggest leaves out a value that is a secret, or a word of one that is: its pattern would allow any value")
    func suggestLeavesOutSecretValues() throws {
        let server = "Hx7pQ2vLm9Kt3RwBHx7pQ2vLm9Kt3RwB"
        let token = "ghp_" + String(repeating: "a1B2c3D4e5", count: 4)
        let lines = [
            #"{"schema":"harness-v1","ts":"2026-11-02T10:00:01.000Z","session_id":"s-1","agent":"acme-agent","repo":"acme/app","cwd":"/srv/app","kind":"tool_call","tool":"mcp__\#(server)__query","call_id":"c-1","input":{"sql":"SELECT 1"}}"#,
            #"{"schema":"harness-v1","ts":"2026-11-02T10:00:02.000Z","session_id":"s-1","agent":"acme-agent","repo":"acme/app","cwd":"/srv/app","kind":"tool_call","tool":"Bash","call_id":"c-2","input":{"command":"heroku \#(token)"}}"#,
            #"{"schema":"harness-v1","ts":"2026-11-02T10:00:03.000Z","session_id":"s-1","agent":"acme-agent","repo":"acme/app","cwd":"/srv/app","kind":"tool_call","tool":"Bash","call_id":"c-3","input":{"command":"go test ./..."}}"#,
        ]
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let suggestion = try BaselineSuggester.suggest(try Self.check(database), period: Self.november)
        let yaml = suggestion.yaml
        #expect(!yaml.contains("\"**\"") && !yaml.contains("heroku **") && !yaml.contains(token), "\(yaml)")
        // The printed comparison says so too.
        let printed = BaselineRenderer.suggestion(suggestion, file: nil)
        #expect(printed.components(separatedBy: "(left out of the file: a secret)").count == 2, "\(printed)\n\(yaml)")
        #expect(yaml.contains("\"go test\"") && yaml.contains("left out"))
        let adopted = try Baseline.parse(yaml, file: "suggested.yml")
        #expect(!adopted.allowed.contains { ($0.lists[.mcpServer] ?? []).contains { AllowedCapabilities.allows($0.text, "evil", kind: .mcpServer) } })
    }

    @Test("one scope under each spelling: a repository's case, a working directory's trailing slash; Task is Agent")
    func scopeSpellings() throws {
        func call(_ day: String, _ session: String, _ repo: String?, _ cwd: String, _ tool: String, _ input: String,
                  agent: String = "acme-agent") -> String {
            let repoField = repo.map { #""repo":"\#($0)","# } ?? ""
            return #"{"schema":"harness-v1","ts":"2026-\#(day)T10:00:00.000Z","session_id":"\#(session)","agent":"\#(agent)",\#(repoField)"cwd":"\#(cwd)","kind":"tool_call","tool":"\#(tool)","call_id":"c-\#(session)","input":\#(input)}"#
        }
        let lines = [
            call("10-05", "s-1", "acme/Billing", "/srv/billing", "Bash", #"{"command":"go test ./..."}"#),
            call("11-05", "s-2", "acme/billing", "/srv/billing", "Bash", #"{"command":"go test ./..."}"#),
            call("10-06", "s-3", nil, "/srv/app", "Bash", #"{"command":"ssh build-box uptime"}"#),
            call("11-06", "s-4", nil, "/srv/app/", "Bash", #"{"command":"ssh build-box uptime"}"#),
            call("10-07", "s-5", "acme/web", "/srv/web", "Task", #"{"description":"review","prompt":"review the diff"}"#, agent: "claude-code"),
            call("11-07", "s-6", "acme/web", "/srv/web", "Agent", #"{"description":"review","prompt":"review the diff"}"#, agent: "claude-code"),
        ]
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let drift = try Self.drift(database)
        #expect(drift.newCount == 0 && drift.vanishedCount == 0,
                "\(drift.scopes.map { ($0.scope.title, $0.new.map(\.capability.value), $0.vanished.map(\.capability.value)) })")
        #expect(Set(drift.scopes.map(\.scope.repo)) == ["acme/billing", "/srv/app", "acme/web"])
        // Another harness's `Task` is a tool of its own (a tracker's), not Claude Code's sub-agent tool.
        let (other, otherDirectory) = try CheckTestSupport.store([
            call("10-07", "s-7", "acme/web", "/srv/web", "Task", #"{"title":"x","status":"open"}"#),
            call("11-07", "s-8", "acme/web", "/srv/web", "Agent", #"{"name":"y","action":"run"}"#),
        ])
        defer { TestSupport.cleanup(otherDirectory) }
        #expect(try Self.drift(other).newCount == 1)
        // A baseline entry written in either spelling covers the scope.
        let entry = AllowedCapabilities(agent: "acme-agent", repo: "acme/Billing")
        #expect(entry.applies(to: CapabilityScope(agent: "acme-agent", repo: "acme/billing", principal: nil)))
        #expect(AllowedCapabilities(repo: "/srv/app/").applies(to: CapabilityScope(agent: "a", repo: "/srv/app", principal: nil)))
        #expect(!AllowedCapabilities(repo: "/srv/App").applies(to: CapabilityScope(agent: "a", repo: "/srv/app", principal: nil)),
                "directories' case is kept")
        for spelling in ["/srv//app", "/srv/app/.", "/srv/./app/"] {
            #expect(CapabilityScope.normalizedRepo(spelling) == "/srv/app", "\(spelling)")
        }
        #expect(CapabilityScope.normalizedRepo("Acme/App/") == "acme/app" && CapabilityScope.normalizedRepo("/") == "/")
    }

    @Test("no previous activity: nothing is new, only declared lists drift")
    func noPreviousPeriod() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: Self.fixtures)
        defer { TestSupport.cleanup(directory) }
        let drift = try DriftAnalyzer.run(DriftOptions(check: try Self.check(database, baseline: Self.baseline), current: Self.october,
                                                       previous: .month(year: 2026, month: 9)))
        #expect(!drift.previousHasData && drift.newCount == 0 && drift.vanishedCount == 0)
        // Outside the declared command lists: curl for acme-agent, two verbs for the service account.
        #expect(Set(drift.result.findings.filter { $0.category == "permission-drift" }.compactMap(\.target))
                == ["curl", "k8s get pods", "k8s list configmaps"])
    }

    @Test("a scope new this period inherits its agent's ordinary capabilities, never production, secrets or risky commands")
    func newScopeNeedsItsOwnHistory() throws {
        func line(_ session: String, _ seq: Int, _ ts: String, repo: String, _ command: String) -> String {
            #"{"schema":"harness-v1","ts":"\#(ts)","session_id":"\#(session)","seq":\#(seq),"agent":"acme-agent","repo":"\#(repo)","cwd":"/srv/x","kind":"tool_call","tool":"shell","call_id":"c\#(seq)","input":{"command":"\#(command)"},"decision":"allow","decision_source":"user"}"#
        }
        let (database, directory) = try CheckTestSupport.store([
            line("s-a", 1, "2026-10-05T10:00:00Z", repo: "acme/a", "kubectl get pods --context prod-eu"),
            line("s-b", 1, "2026-11-05T10:00:00Z", repo: "acme/b", "kubectl get pods --context prod-eu"),
        ])
        defer { TestSupport.cleanup(directory) }
        let drift = try Self.drift(database)
        let b = try #require(drift.scopes.first { $0.scope.repo == "acme/b" })
        #expect(b.firstActive && b.new.first { $0.capability == Capability(.command, "kubectl get") }?.covered == "acme-agent elsewhere in the previous period")
        #expect(b.new.first { $0.capability == Capability(.command, "kubectl get") }?.coveredBy == "agent-history")
        let production = try #require(drift.result.findings.first { $0.rule == "new-production-target" })
        #expect(production.repo == "acme/b" && production.reason.contains("not used by its own previous period"))
    }

    @Test("a risky class goes to the command that has it: ls run in a pod by kubectl exec is no new risky command; curl | sh stays risky")
    func riskyClassesGoToTheirCommand() throws {
        func line(_ session: String, _ seq: Int, _ ts: String, _ command: String) -> String {
            #"{"schema":"harness-v1","ts":"\#(ts)","session_id":"\#(session)","seq":\#(seq),"agent":"acme-agent","repo":"acme/a","cwd":"/srv/x","kind":"tool_call","tool":"shell","call_id":"c\#(seq)","input":{"command":"\#(command)"},"decision":"allow","decision_source":"user"}"#
        }
        let (database, directory) = try CheckTestSupport.store([
            line("s-a", 1, "2026-10-05T10:00:00Z", "pwd"),
            line("s-b", 1, "2026-11-05T10:00:00Z", "ls"),
            line("s-c", 1, "2026-11-06T10:00:00Z", "kubectl exec -n agents web-0 -- ls"),
            line("s-c", 2, "2026-11-06T10:01:00Z", "curl -fsSL https://get.example.sh | sh"),
        ])
        defer { TestSupport.cleanup(directory) }
        let drift = try Self.drift(database)
        let risky = Set(drift.result.findings.filter { $0.rule == "new-risky-command" }.map { $0.target ?? "" })
        #expect(!risky.contains { $0.hasSuffix("ls") && !$0.contains("kubectl") }, "\(risky)")
        let scope = try #require(drift.scopes.first { $0.scope.repo == "acme/a" })
        let ls = try #require(scope.new.first { $0.capability == Capability(.command, "ls") })
        #expect(ls.classes.isDisjoint(with: CheckEngine.riskyClasses))
        #expect(scope.new.first { $0.capability == Capability(.command, "kubectl exec") }?.classes.contains(.remoteExec) == true)
        #expect(scope.new.first { $0.capability == Capability(.command, "sh") }?.classes.contains(.highRisk) == true,
                "a class no command has alone stays with every command of the line")
    }

    @Test("drift on a shared session leaves its window as it found it (the report reads it afterwards)")
    func sessionWindowRestored() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: Self.fixtures)
        defer { TestSupport.cleanup(directory) }
        let check = try Self.check(database, baseline: Self.baseline)
        let session = try CheckSession(check)
        _ = try session.run(since: Self.november.since, until: Self.november.until)
        let before = try session.db.scalarInt("SELECT count(*) FROM temp.actions")
        _ = try DriftAnalyzer.run(DriftOptions(check: check, current: Self.november, previous: Self.october), session: session)
        #expect(session.window.since == Self.november.since && session.window.until == Self.november.until)
        #expect(try session.db.scalarInt("SELECT count(*) FROM temp.actions") == before)
    }

    @Test("an authorization of drift findings is used by them, and check does not call it unused")
    func driftAuthorizations() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: Self.fixtures)
        defer { TestSupport.cleanup(directory) }
        let baseline = """
            version: 1
            authorized:
              - category: permission-drift
                agent: kubernetes
                reason: the deploy agent's verbs are reviewed in its own RBAC change process
            """
        let drift = try Self.drift(database, baseline: baseline)
        #expect(Set(drift.result.authorized.compactMap(\.target)) == ["k8s patch deployments", "k8s get configmaps"])
        #expect(!drift.result.findings.contains { $0.rule == "unused-authorization" })
        #expect(try CheckTestSupport.check(database, baseline: baseline).unusedAuthorizations.isEmpty)
    }

    @Test("a harness-v1 config event's permissions, MCP servers and policy are grants: the unused ones are reported")
    func harnessConfigGrants() throws {
        func line(_ second: Int, _ body: String) -> String {
            #"{"schema":"harness-v1","ts":"2026-11-03T10:00:\#(String(format: "%02d", second))Z","session_id":"s-cfg","agent":"acme-agent","repo":"acme/web","cwd":"/srv/web",\#(body)}"#
        }
        let lines = [
            line(0, #""kind":"config","permissions":{"allow":["Bash(docker *)","WebFetch(domain:unused.example.com)"],"additionalDirectories":["/opt/shared"]},"mcp_servers":["jira"],"approval_policy":"never","sandbox":"workspace-write""#),
            line(5, #""kind":"tool_call","tool":"Bash","call_id":"c1","input":{"command":"docker build -t web ."},"decision":"allow","decision_source":"config""#),
            line(9, #""kind":"tool_result","tool":"Bash","call_id":"c1","outcome":"success""#),
        ]
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let unused = try Self.drift(database).result.findings.filter { $0.rule == "unused-agent-grant" }
        let reasons = unused.map(\.reason).joined(separator: "\n")
        // Docker's build fell under its allow rule; nothing needed the approval policy `never` either.
        #expect(Set(unused.compactMap(\.target)) == ["WebFetch(domain:unused.example.com)", "/opt/shared", "jira", "never"], "\(reasons)")
        #expect(reasons.contains("the configuration allows `WebFetch(domain:unused.example.com)`"))
        #expect(reasons.contains("the configuration adds the directory `/opt/shared`"))
    }

    @Test("a rule saved to settings is judged after the session that granted it; a session-only grant is not")
    func persistentGrants() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: Self.fixtures)
        defer { TestSupport.cleanup(directory) }
        var options = DriftOptions(check: try Self.check(database), current: .month(year: 2027, month: 3), previous: .month(year: 2027, month: 2))
        options.trackingDays = 30
        let drift = try DriftAnalyzer.run(options)
        let rule = try #require(drift.result.findings.first { $0.target == "Bash(npm run lint:*)" })
        #expect(rule.rule == "unused-agent-grant" && rule.reason.contains("last used 2026-11-12"))
        #expect(!drift.result.findings.contains { $0.target == "/home/dev/shared-ui" }, "granted for one session only, long ago")
    }

    @Test("suggest allows WebFetch for the hosts WebFetch fetched, not for those curl or git reached")
    func webFetchOnlyForFetchedHosts() throws {
        func hook(_ call: String, _ tool: String, _ input: String) -> String {
            #"{"session_id":"7e1d2c3b-0000-4a5b-8c9d-000000000001","transcript_path":"/home/alice/.claude/projects/-home-alice-app/7e1d2c3b-0000-4a5b-8c9d-000000000001.jsonl","cwd":"/home/alice/app","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"\#(tool)","tool_input":\#(input),"tool_use_id":"\#(call)","timestamp":"2026-11-05T10:00:00.000Z"}"#
        }
        let (database, directory) = try CheckTestSupport.store([
            hook("toolu_1", "WebFetch", #"{"url":"https://docs.python.org/3/","prompt":"read"}"#),
            hook("toolu_2", "Bash", #"{"command":"curl -s https://api.stripe.com/v1/charges"}"#),
        ])
        defer { TestSupport.cleanup(directory) }
        let suggestion = try BaselineSuggester.suggest(try Self.check(database), period: Self.november)
        let settings = try #require(suggestion.claudeSettings)
        #expect(settings.contains("WebFetch(domain:docs.python.org)") && !settings.contains("WebFetch(domain:api.stripe.com)"), "\(settings)")
    }

    @Test("the suggested file replaces the whole allowed list, blank lines and comments inside it included")
    func replacingAllowed() {
        let text = "version: 1\nallowed:\n  - agent: a\n    tools: [x]\n\n  # the second\n  - agent: b\n    tools: [y]\nseverity: {}\n"
        #expect(BaselineSuggester.removingTopLevelKey("allowed", from: text) == "version: 1\nseverity: {}\n")
        // The comment that introduces the next key stays with it.
        let commented = "allowed: []\n# - agent: example\n\n# Severity per category\nseverity: {}\n"
        #expect(BaselineSuggester.removingTopLevelKey("allowed", from: commented) == "\n# Severity per category\nseverity: {}\n")
        let initFile = BaselineSuggester.removingTopLevelKey("allowed", from: Baseline.defaultText)
        #expect(initFile.contains("# Severity per category or rule id") && !initFile.contains("allowed:"))
    }

    @Test("the Claude Code settings ask for risky commands even when unflagged, and pick the commonest safe mode")
    func claudeSettings() throws {
        typealias Use = DriftScan.Accumulator
        func use(_ actions: Int, flagged: Int = 0, alone: Int? = nil, classes: ActionClasses = []) -> Use {
            var entry = Use()
            entry.actions = actions
            entry.flagged = flagged
            entry.flaggedAlone = alone ?? flagged
            entry.classes = classes
            entry.shelled = true
            return entry
        }
        // A family seen only in requests of an audit log (no Bash call ran it): no Bash rule governs it.
        var request = use(4, classes: .read)
        request.shelled = false
        let usage: HarnessSettingsSnippets.Usage = [
            CapabilityScope(agent: "claude-code", repo: "/a", principal: nil): [
                Capability(.command, "kubectl get"): request,
                Capability(.command, "journalctl"): use(1, classes: .delete), Capability(.command, "tail"): use(2, classes: .read),
                Capability(.command, "curl"): use(1, flagged: 1, classes: .highRisk), Capability(.mode, "auto"): use(9),
                // Only ever flagged in a pipeline with another program (`env | sort`): asked, never denied.
                Capability(.command, "sort"): use(1, flagged: 1, alone: 0, classes: [.read, .sensitiveRead]),
                Capability(.mode, "accept_edits"): use(3), Capability(.mode, "default"): use(2),
            ],
            CapabilityScope(agent: "claude-code", repo: "/b", principal: nil): [Capability(.command, "tail"): use(1, flagged: 1, classes: .read)],
        ]
        let settings = try #require(HarnessSettingsSnippets.claude(usage))
        func list(_ name: String) -> [String] {
            let part = settings.components(separatedBy: "\"\(name)\": ")[1].components(separatedBy: "]")[0]
            return part.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        #expect(list("allow").isEmpty && list("ask") == ["Bash(journalctl *)", "Bash(sort *)", "Bash(tail *)"] && list("deny") == ["Bash(curl *)"])
        #expect(settings.contains("\"defaultMode\": \"acceptEdits\"") && settings.hasPrefix("{"), "valid JSON to paste, no comment line")
        // WebFetch is allowed per domain fetched, never bare (which would allow every domain), and only for the hosts it
        // fetched: one `curl` reached needs no WebFetch rule.
        var page = use(2)
        page.fetched = true
        let fetched: HarnessSettingsSnippets.Usage = [
            CapabilityScope(agent: "claude-code", repo: "/a", principal: nil): [
                Capability(.tool, "WebFetch"): use(2), Capability(.host, "docs.python.org"): page, Capability(.tool, "Read"): use(1),
                Capability(.host, "api.stripe.com"): use(1), Capability(.command, "curl"): use(1),
            ],
        ]
        let web = try #require(HarnessSettingsSnippets.claude(fetched))
        #expect(web.contains("\"WebFetch(domain:docs.python.org)\"") && !web.contains("\"WebFetch\"") && web.contains("\"Read\""))
        #expect(!web.contains("api.stripe.com"), "\(web)")
    }

    @Test("a setting harness-audit cannot rank is left out of the suggestion, said so, and keeps drifting")
    func unknownSettings() throws {
        func rollout(_ id: String, _ day: String, _ approval: String) -> [String] {
            [#"{"timestamp":"\#(day)T08:00:00.000Z","type":"session_meta","payload":{"id":"\#(id)","timestamp":"\#(day)T08:00:00.000Z","cwd":"/w","originator":"codex_cli_rs","cli_version":"0.150.1","git":{"repository_url":"git@github.com:acme/w.git"}}}"#,
             #"{"timestamp":"\#(day)T08:00:01.000Z","type":"turn_context","payload":{"cwd":"/w","approval_policy":"\#(approval)","sandbox_policy":{"type":"workspace-write"},"model":"gpt-5-codex"}}"#,
             #"{"timestamp":"\#(day)T08:01:00.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"pytest\"}","call_id":"call_\#(id)"}}"#]
        }
        let (database, directory) = try CheckTestSupport.store(rollout("0199c001-0000-7000-8000-000000000001", "2026-10-03", "on-request")
                                                               + rollout("0199c002-0000-7000-8000-000000000002", "2026-11-03", "trust-sandbox"))
        defer { TestSupport.cleanup(directory) }
        let suggestion = try BaselineSuggester.suggest(try Self.check(database), period: Self.november)
        #expect(suggestion.entries.first?.lists[.approvalPolicy] == [] && suggestion.notes.contains { $0.contains("`trust-sandbox`") })
        _ = try Baseline.parse(suggestion.yaml, file: "suggested.yml")
        let drift = try Self.drift(database)
        #expect(drift.result.findings.contains { $0.rule == "new-permission-setting" && $0.target == "trust-sandbox" })
    }

    // MARK: Pieces

    @Test("Claude Code permission rules: prefixes at word boundaries, gitignore paths, domains, MCP servers")
    func claudeRules() throws {
        func covers(_ rule: String, tool: String, command: String? = nil, paths: [String] = [], hosts: [String] = []) -> Bool {
            ClaudePermissionRule(rule)!.covers(tool: tool, command: command, paths: paths, hosts: hosts, projectRoot: "/home/dev/shop", home: "/home/dev")
        }
        #expect(covers("Bash(npm run test:*)", tool: "Bash", command: "npm run test -- -u"))
        #expect(!covers("Bash(npm run test:*)", tool: "Bash", command: "npm run lint"))
        #expect(covers("Bash(ls *)", tool: "Bash", command: "ls -la") && !covers("Bash(ls *)", tool: "Bash", command: "lsof"))
        #expect(covers("Bash(git * main)", tool: "Bash", command: "git push origin main"))
        #expect(covers("Read(//etc/**)", tool: "Read", paths: ["/etc/hosts"]) && !covers("Read(//etc/**)", tool: "Read", paths: ["/home/dev/x"]))
        #expect(covers("Read(~/.ssh/**)", tool: "Read", paths: ["/home/dev/.ssh/id_ed25519"]))
        #expect(covers("Read(/src/**)", tool: "Read", paths: ["/home/dev/shop/src/a.ts"]) && !covers("Read(/src/**)", tool: "Read", paths: ["/src/a.ts"]))
        #expect(covers("Read(.env)", tool: "Read", paths: ["/home/dev/shop/config/.env"]))
        #expect(covers("Edit", tool: "Write") && !covers("Read", tool: "Write"))
        #expect(covers("WebFetch(domain:*.github.com)", tool: "WebFetch", hosts: ["api.github.com"]))
        #expect(covers("mcp__github", tool: "mcp__github__merge_pull_request") && !covers("mcp__github", tool: "mcp__gitlab__x"))
        #expect(ClaudePermissionRule("") == nil && ClaudePermissionRule("Bash()")?.specifier == nil)
        // A general-purpose reader flagged only for the secrets it read is asked, not denied (`Read(…)` denies the path).
        #expect(HarnessSettingsSnippets.readsAnything("cat", [.read, .sensitiveRead]))
        #expect(!HarnessSettingsSnippets.readsAnything("printenv", [.sensitiveRead]))
        #expect(!HarnessSettingsSnippets.readsAnything("cat", [.sensitiveRead, .highRisk]))
        // A harness that writes these rules for its own tools' names: the tool of the same kind.
        #expect(covers("Bash(npm test)", tool: "shell", command: "npm test") && covers("Bash(git status:*)", tool: "run_terminal_cmd", command: "git status --short"))
        #expect(!covers("Bash(npm test)", tool: "write_file", command: "npm test"))
        #expect(covers("Edit(/src/**)", tool: "write_file", paths: ["/home/dev/shop/src/a.ts"]) && covers("Read", tool: "read_file"))
        #expect(!covers("Read", tool: "shell"))
    }

    @Test("settings rank narrow to wide; unknown spellings are never covered")
    func settingRanks() {
        let approval = CapabilityKind.approvalPolicy
        #expect(approval.rank("untrusted") < approval.rank("on-request") && approval.rank("on-request") < approval.rank("on-failure")
                && approval.rank("on-failure") < approval.rank("never"))
        #expect(AllowedCapabilities.allows("on-failure", "on-request", kind: approval) && !AllowedCapabilities.allows("on-request", "never", kind: approval))
        #expect(!AllowedCapabilities.allows("never", "trust-sandbox", kind: approval), "an unknown policy is not covered by any")
        #expect(AllowedCapabilities.allows("accept_edits", "plan", kind: .mode) && !AllowedCapabilities.allows("default", "bypassPermissions", kind: .mode))
        #expect(CapabilityKind.sandbox.isApprovalOff("danger-full-access") && !CapabilityKind.sandbox.isApprovalOff("workspace-write"))
        #expect(AllowedCapabilities.allows("*.github.com", "API.GitHub.com", kind: .host))
        #expect(AllowedCapabilities.allows("[abc]", "[abc]", kind: .command), "a value with glob characters allows itself")
        #expect(AllowedCapabilities.allows("git *", "git", kind: .command) && AllowedCapabilities.allows("git *", "git push", kind: .command)
                && !AllowedCapabilities.allows("git *", "gitk", kind: .command))
        // The harness's default or narrower is never a widening, even with nothing to compare with.
        #expect(DriftScan.covers([], Capability(.sandbox, "enabled")) && DriftScan.covers([], Capability(.approvalPolicy, "on-request")))
        #expect(!DriftScan.covers([], Capability(.mode, "accept_edits")) && !DriftScan.covers([Capability(.mode, "default")], Capability(.mode, "bypass")))
        #expect(AllowedCapabilities.allows("reject", "reject", kind: approval) && !AllowedCapabilities.allows("reject", "untrusted", kind: approval),
                "a setting this version does not know allows only itself")
        for value in ["*", "ns-?", "a[1]", "[", "]x"] {
            let escaped = GlobPattern.escaped(value)
            #expect(GlobPattern(escaped).matches(value) && (value == "*" ? !GlobPattern(escaped).matches("kube-system") : true), "\(value)")
        }
    }

    @Test("capabilities from stored targets: production names, MCP servers, Kubernetes families")
    func extraction() {
        #expect(CapabilityExtractor.productionNames("helm context prod-eu (prod); environment production (production)") == ["prod-eu", "production"])
        #expect(CapabilityExtractor.productionNames("terraform -chdir=envs/prod (prod)") == ["envs/prod"])
        #expect(CapabilityExtractor.mcpServer(ofTool: "mcp__plugin_acme_db__query") == "plugin_acme_db")
        #expect(CapabilityExtractor.mcpServer(ofTool: "Read") == nil && CapabilityExtractor.mcpServer(ofTool: "mcp__") == nil)
        var action = CapabilityExtractor.Action()
        action.isKubernetes = true
        action.tool = "k8s get pods"
        action.targets = #"[{"kind":"namespace","value":"staging"},{"kind":"command","value":"k8s get pods"}]"#
        let found = CapabilityExtractor(policy: ClassificationPolicy()).capabilities(of: action).capabilities
        #expect(Set(found) == [Capability(.namespace, "staging"), Capability(.command, "k8s get pods")])
        // Only the paths an action writes count as written: the source of a copy does not.
        var copy = CapabilityExtractor.Action()
        copy.tool = "Bash"
        copy.classes = .write
        copy.targets = #"[{"kind":"path","value":"/opt/cache/a.tgz","op":"read"},{"kind":"path","value":"/home/dev/api/a.tgz","op":"write"}]"#
        #expect(CapabilityExtractor(policy: ClassificationPolicy()).capabilities(of: copy).writes == ["/home/dev/api/a.tgz"])
    }

    @Test("Gemini's default of no sandbox is the harness's default, yet wider than a sandbox that is on")
    func geminiSandboxDefault() {
        let sandbox = CapabilityKind.sandbox
        #expect(sandbox.isHarnessDefault("off-by-default") && !sandbox.isHarnessDefault("disabled"))
        #expect(sandbox.rank("off-by-default") > sandbox.rank("enabled") && sandbox.rank("off-by-default") < sandbox.rank("disabled"))
        #expect(!AgentGrant.isGrantingSandbox("off-by-default") && !sandbox.isApprovalOff("off-by-default"))
        #expect(DriftScan.covers([], Capability(.sandbox, "off-by-default")) && !DriftScan.covers([], Capability(.sandbox, "disabled")))
    }

    @Test("drift given the team's one waivers file reports as unmatched only the waivers of drift rules, not check's")
    func sharedWaivers() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: Self.fixtures)
        defer { TestSupport.cleanup(directory) }
        var options = DriftOptions(check: try Self.check(database), current: Self.november, previous: Self.october)
        let common = "reason: r\n    owner: o@corp.com\n    expires: 2099-01-01"
        options.check.waivers = try Waivers.parse("""
            waivers:
              - id: 0123456789abcdef
                \(common)
              - rule: sensitive-read
                scope: {agent: nobody}
                \(common)
              - category: unused-permission
                scope: {agent: nobody}
                \(common)
              - rule: new-tool
                scope: {agent: nobody}
                \(common)
            """, file: "waivers.yml")
        let drift = try DriftAnalyzer.run(options)
        #expect(drift.result.unusedWaivers.map(\.rule) == ["unused-permission", "new-tool"])
    }

    @Test("the scan's memo derives what the extractor derives, telling apart actions that differ in any one field or in composition")
    func capabilityMemo() {
        let extractor = CapabilityExtractor(policy: ClassificationPolicy())
        let memo = CapabilityMemo(extractor: extractor, capacity: 4)
        var base = CapabilityExtractor.Action()
        base.tool = "Bash"
        base.classes = [.read, .sensitiveRead]
        base.targets = #"[{"kind":"path","value":"/home/dev/.aws/credentials","op":"read"},{"kind":"command","value":"cat"}]"#
        base.cwd = "/home/dev/api"
        var variants = [base]
        for change in 0..<9 {
            var action = base
            switch change {
            case 0: action.tool = "Read"
            case 1: action.classes = [.read]
            case 2: action.targets = #"[{"kind":"path","value":"/home/dev/api/main.go","op":"write"}]"#
            case 3: action.cwd = nil
            case 4: action.production = "kubectl context prod-eu (prod)"
            case 5: action.mode = "bypass_permissions"
            case 6: action.approvalPolicy = "never"
            case 7: action.sandbox = "danger-full-access"
            default: action.tool = "Bash\u{0301}"   // composed apart from what it renders like
            }
            variants.append(action)
        }
        // Twice over, and past the memo's capacity, so answers come from the memo and from a fresh start.
        for action in variants + variants.reversed() + variants {
            let expected = extractor.capabilities(of: action)
            let derived = memo.derive(action)
            #expect(derived.capabilities == expected.capabilities && derived.writes == expected.writes, "\(action)")
            #expect(derived.targets.map(\.value) == Classification.storedTargets(action.targets).map(\.value))
        }
    }

    @Test("an action's evidence ids are read as the comma-separated integers they are; anything else is skipped")
    func evidenceIDs() {
        var ids: [Int64] = [99]
        for (text, expected) in [("1,22,333", [Int64(1), 22, 333]), ("7", [7]), ("", []), (nil, []), ("4,,5", [4, 5]), ("4,x5,6", [4, 6]),
                                 ("123456789012345678", [123_456_789_012_345_678]), ("1234567890123456789,2", [2]), ("-3,3", [3])]
                                as [(String?, [Int64])] {
            DriftScan.eventIDs(text, into: &ids)
            #expect(ids == expected, "\(text ?? "nil")")
            #expect(ids == (text ?? "").split(separator: ",").compactMap { Int64($0) }.filter { $0 >= 0 && $0 < 1_000_000_000_000_000_000 },
                    "\(text ?? "nil")")
        }
    }

    @Test("a baseline's allowed entries are checked with file and line")
    func allowedParsing() throws {
        let good = try Baseline.parse("version: 1\nallowed:\n  - agent: codex\n    modes: [default]\n    hosts: []\n", file: "b.yml")
        #expect(good.allowed.first?.lists[.mode]?.first == .init(text: "default", line: 4) && good.allowed.first?.lists[.host] == [])
        for (text, line, message) in [
            ("version: 1\nallowed:\n  - agent: codex\n    tool: [Bash]\n", 4, "unknown key"),
            ("version: 1\nallowed:\n  - agent: codex\n    commands: git\n", 4, "must be a list"),
            ("version: 1\nallowed:\n  - agent: codex\n    modes: [bypas]\n", 4, "not a known permission mode"),
            ("version: 1\nallowed:\n  - agent: codex\n    sandboxes: [danger-full-acess]\n", 4, "not a known sandbox"),
            ("version: 1\nallowed:\n  - agent: codex\n", 3, "lists at least one of"),
            ("version: 1\nallowed:\n  - agent: codex\n    commands: [\"\"]\n", 4, "empty value"),
        ] {
            do {
                _ = try Baseline.parse(text, file: "b.yml")
                Issue.record("accepted: \(text)")
            } catch let error as HarnessAuditError {
                #expect(error.description.contains("b.yml:\(line)") && error.description.contains(message), "\(error.description)")
            }
        }
    }

    // MARK: Command line

    @Test("drift and baseline suggest from the command line: exit codes, formats, files")
    func commandLine() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: Self.fixtures)
        defer { TestSupport.cleanup(directory) }
        let base = ["drift", "--db", database, "--period", "2026-11", "--against", "2026-10"]
        let text = try TestSupport.run(base, currentDirectory: directory)
        #expect(text.status == 1 && text.stdout.contains("+ MCP server linear") && text.stdout.contains("- command k8s list configmaps"))
        #expect(try TestSupport.run(base + ["--fail-on", "none"], currentDirectory: directory).status == 0)
        let json = try TestSupport.run(base + ["--format", "json", "--fail-on", "critical"], currentDirectory: directory)
        #expect(json.status == 0)
        let tree = try JSONTree.parse(json.stdout)
        #expect(json.stdout.contains("\"schemaVersion\": 1") && tree["findings"]?.array?.count == 21)
        #expect(tree["drift"]?["scopes"]?.array?.count == 4 && tree["drift"]?["against"]?["title"]?.string == "October 2026")
        let codes = Set((tree["drift"]?["scopes"]?.array ?? []).flatMap { $0["new"]?.array ?? [] }.compactMap { $0["coveredBy"]?.string })
        #expect(codes == ["check"], "a new capability is either a finding or reported by check here: \(codes)")
        let markdown = try TestSupport.run(base + ["--format", "markdown", "-o", directory + "/drift.md"], currentDirectory: directory)
        let written = try String(contentsOfFile: directory + "/drift.md", encoding: .utf8)
        #expect(markdown.status == 1 && written.contains("## New capabilities") && written.contains("## Unused permissions"))
        for bad in [["--period", "2026-13"], ["--against", "2026-10", "--against-since", "2026-09-01"], ["--period", "2026-11", "--against", "2026-12"],
                    ["--tracking-period", "0"], ["--against", "2026-10"]] {
            let run = try TestSupport.run(["drift", "--db", database] + bad, currentDirectory: directory)
            #expect(run.status == 2, "\(bad): \(run.stderr)")
        }
        #expect(try TestSupport.run(["drift", "--db", directory + "/missing.sqlite"], currentDirectory: directory).status == 3)
        let empty = try TestSupport.run(["drift", "--db", database, "--period", "2030-01"], currentDirectory: directory)
        #expect(empty.status == 0 && empty.stdout.contains("no activity in January 2030"))
        let suggest = try TestSupport.run(["baseline", "suggest", "--db", database, "--period", "2026-11"], currentDirectory: directory)
        #expect(suggest.status == 0 && suggest.stdout.contains("Claude Code") && suggest.stdout.contains("Codex"), "\(suggest.stderr)")
        #expect(try TestSupport.run(["baseline", "validate", "harness-audit.suggested.yml"], currentDirectory: directory).status == 0)
        #expect(try TestSupport.run(["baseline", "suggest", "--db", database], currentDirectory: directory).status == 2, "no overwrite without --force")
        let roundTrip = try TestSupport.run(base + ["--baseline", "harness-audit.suggested.yml", "--format", "json", "--fail-on", "none"],
                                            currentDirectory: directory)
        let after = try #require(try JSONTree.parse(roundTrip.stdout)["findings"]?.array)
        #expect(!after.contains { $0["category"]?.string == "permission-drift" })
    }
}
