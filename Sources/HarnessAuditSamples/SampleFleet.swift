import HarnessAuditKit

/// One generated sample file.
public struct SampleFile {
    public var relativePath: String
    public var lines: [[UInt8]]
    public var gzip = true
    /// Keep only this many bytes of the compressed file (a truncated download or rotation).
    public var truncateCompressedTo: Int?

    public init(_ relativePath: String, lines: [[UInt8]], gzip: Bool = true, truncateCompressedTo: Int? = nil) {
        self.relativePath = relativePath
        self.lines = lines
        self.gzip = gzip
        self.truncateCompressedTo = truncateCompressedTo
    }

    /// The file's bytes as written.
    public var bytes: [UInt8] {
        var plain: [UInt8] = []
        for line in lines {
            plain += line
            plain.append(0x0A)
        }
        guard gzip else { return plain }
        let compressed = GzipWriter.compress(plain)
        if let cut = truncateCompressedTo { return Array(compressed.prefix(cut)) }
        return compressed
    }
}

/// The bundled sample fleet: a small, realistic set of agent logs covering September to
/// November 2026, with benign sessions and sessions that break the default policy, one
/// truncated file and a few invalid lines. Regenerate with `swift run harness-audit-dev samples`.
public enum SampleFleet {
    static func day(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 9, _ minute: Int = 0) -> Int64 {
        Timestamp.millis(year: year, month: month, day: day) + Int64(hour * 3600 + minute * 60) * 1000
    }

    static func lines(_ text: [String]) -> [[UInt8]] { text.map { Array($0.utf8) } }

    public static func files() -> [SampleFile] {
        var rng = SeededRandom(seed: 20_261_124)
        var files: [SampleFile] = []
        var claudeOTel = OTelWriter(service: "claude-code", scope: "com.anthropic.claude_code.events")
        files.append(SampleFile("claude-code/hooks-alice-laptop-2026-10.jsonl.gz", lines: lines(aliceOctober(&rng, otel: &claudeOTel))))
        files.append(SampleFile("claude-code/hooks-alice-laptop-2026-11.jsonl.gz", lines: lines(aliceNovember(&rng, otel: &claudeOTel))))
        files.append(SampleFile("claude-code/hooks-ci-runner-7-2026-11.jsonl.gz", lines: lines(ciRunnerNovember(&rng))))
        files.append(SampleFile("claude-code/hooks-bob-workstation-2026-10.jsonl.gz", lines: lines(bobOctober(&rng, otel: &claudeOTel))))
        let transcript = aliceTranscript(&rng)
        files.append(SampleFile("claude-code/transcripts/-home-alice-payments/\(transcript.id).jsonl.gz", lines: lines(transcript.lines)))
        files.append(SampleFile("otel/claude-code-2026-q4.jsonl.gz", lines: lines(claudeOTel.lines)))
        var codexOTel: [String] = []
        for rollout in codexSessions(&rng) {
            let date = Timestamp.formatDate(Timestamp.parseISO8601(String(rollout.fileName.dropFirst(8).prefix(10)) + "T00:00:00Z") ?? 0)
                .replacingSlashes()
            files.append(SampleFile("codex/sessions/\(date)/\(rollout.fileName).gz", lines: lines(rollout.lines)))
            codexOTel += rollout.otel
        }
        files.append(SampleFile("otel/codex-2026-q4.jsonl.gz", lines: lines(codexOTel)))
        files.append(SampleFile("otel/gemini-cli-2026-10.jsonl.gz", lines: lines(geminiOctober(&rng))))
        files.append(SampleFile("kubernetes/kube-apiserver-audit-2026-11.log.gz", lines: lines(kubernetesNovember(&rng))))
        files.append(SampleFile("acme-harness/acme-agent-2026-09.jsonl.gz", lines: lines(acmeMonth(&rng, month: 9))))
        files.append(SampleFile("acme-harness/acme-agent-2026-10.jsonl.gz", lines: lines(acmeMonth(&rng, month: 10))))
        files.append(SampleFile("acme-harness/acme-agent-2026-11.jsonl.gz", lines: lines(acmeMonth(&rng, month: 11))))
        files.append(damagedTruncated(&rng))
        files.append(damagedInvalidLines(&rng))
        return files
    }

    // MARK: Claude Code, developer laptop

    static func aliceOctober(_ rng: inout SeededRandom, otel: inout OTelWriter) -> [String] {
        var out: [String] = []
        // A tidy session: read, edit, test, commit, push a feature branch.
        var s = HookSessionWriter(rng: &rng, cwd: "/home/alice/payments", mode: "default", start: day(2026, 10, 6, 9, 12))
        s.start()
        s.prompt("fix the rounding bug in invoice totals and add a test")
        s.read("/home/alice/payments/src/invoice.py")
        s.tool("Grep", [("pattern", .s("round\\(")), ("path", .s("/home/alice/payments/src")), ("output_mode", .s("content"))])
        s.edit("/home/alice/payments/src/invoice.py", old: "round(total, 1)", new: "round(total, 2)")
        s.write("/home/alice/payments/tests/test_invoice_rounding.py", content: "def test_rounding():\n    assert total([1.005]) == 1.01\n")
        s.bash("pytest -q tests/", description: "Run the test suite")
        s.bash("git add -A && git commit -m \"fix: round invoice totals to cents (drop table not needed)\"",
               description: "Commit the fix")
        s.bash("git push origin fix/invoice-rounding", description: "Push the branch", permission: .requested)
        s.stop()
        s.end()
        out += s.lines

        // Reads the production .env after asking, writes outside the repo, deletes build outputs (the user
        // confirms the delete in a dialog only the OTel export records).
        var t = HookSessionWriter(rng: &rng, cwd: "/home/alice/payments", mode: "acceptEdits", start: day(2026, 10, 14, 14, 3))
        t.start()
        t.prompt("why does the staging deploy fail? check the env and fix the hosts entry")
        t.read("/home/alice/payments/.env.production", permission: .requested)
        t.read("/home/alice/payments/.env.example")
        t.write("/etc/hosts", content: "10.20.0.5 api.staging.internal\n")
        let clean = t.bash("rm -rf build/ dist/", description: "Clean build outputs")
        // The OTel exporter shows alice confirmed this delete in the dialog (hooks alone cannot tell).
        otel.claudeDecision(time: t.now - 1500, session: t.id, email: "alice@corp.com", tool: "Bash", callID: clean,
                            decision: "accept", source: "user_temporary", command: "rm -rf build/ dist/")
        t.bash("npm run build", description: "Rebuild")
        t.stop()
        t.end()
        out += t.lines

        // Plan mode, read-only exploration with subagents (old Task tool name).
        var u = HookSessionWriter(rng: &rng, cwd: "/home/alice/payments", mode: "plan", start: day(2026, 10, 22, 10, 40))
        u.start()
        u.prompt("plan the migration to the new ledger service")
        u.tool("Task", [("description", .s("Survey ledger usages")), ("prompt", .s("Find every call into ledger.v1")),
                        ("subagent_type", .s("Explore"))],
               result: .success(.o([("status", .s("completed")), ("agentId", .s(rng.hex(16)))])))
        u.tool("Glob", [("pattern", .s("**/*.sql"))])
        u.read("/home/alice/payments/migrations/0042_ledger.sql")
        u.tool("ExitPlanMode", [("plan", .s("1. add ledger v2 client\n2. dual-write\n3. backfill"))])
        u.stop()
        u.end()
        out += u.lines
        return out
    }

    static func aliceNovember(_ rng: inout SeededRandom, otel: inout OTelWriter) -> [String] {
        var out: [String] = []
        // Schema change through an MCP database tool, and a PR merge without a person confirming it.
        var s = HookSessionWriter(rng: &rng, cwd: "/home/alice/payments", mode: "default", start: day(2026, 11, 3, 11, 5))
        s.start()
        s.prompt("remove the ssn column, it is no longer used, then merge the cleanup PR")
        s.tool("mcp__postgres__query", [("sql", .s("ALTER TABLE users DROP COLUMN ssn"))],
               result: .success(.o([("rows", .a([]))])))
        s.tool("MultiEdit", [("file_path", .s("/home/alice/payments/src/models/user.py")),
                             ("edits", .a([.o([("old_string", .s("ssn = Column(String)")), ("new_string", .s(""))])]))])
        s.bash("pytest -q tests/models", description: "Run model tests")
        s.bash("gh pr merge 481 --squash --delete-branch", description: "Merge the cleanup PR",
               result: .success(.o([("stdout", .s("✓ Squashed and merged pull request #481")), ("stderr", .s("")),
                                    ("interrupted", .b(false)), ("isImage", .b(false)),
                                    ("gitOperation", .o([("pr", .o([("number", .int(481)), ("action", .s("merged"))]))]))])))
        s.stop()
        s.end()
        out += s.lines

        // Auto mode: the classifier blocks a destructive command (a blocked attempt, not a violation).
        var t = HookSessionWriter(rng: &rng, cwd: "/home/alice/infra", mode: "auto", start: day(2026, 11, 9, 16, 20))
        t.start()
        t.prompt("free disk space on this box")
        t.bash("du -sh /var/log/* | sort -h | tail", description: "Find large logs")
        t.bash("sudo rm -rf /var/log/journal", description: "Remove the journal",
               permission: .autoDenied("Deleting system logs requires explicit approval"))
        t.bash("journalctl --vacuum-size=500M", description: "Vacuum the journal", permission: .requested)
        t.stop()
        t.end()
        out += t.lines

        // Mid-session, the mode is switched to bypass (seen only by the OTel exporter), then a deploy runs.
        var u = HookSessionWriter(rng: &rng, cwd: "/home/alice/payments", mode: "default", start: day(2026, 11, 16, 17, 45))
        u.start()
        u.prompt("hotfix the currency rounding and ship it")
        u.edit("/home/alice/payments/src/currency.py", old: "ROUND_HALF_UP", new: "ROUND_HALF_EVEN")
        otel.claudeModeChange(time: u.now + 500, session: u.id, from: "default", to: "bypassPermissions")
        u.setMode("bypassPermissions")
        u.bash("kubectl --context prod-eu -n payments rollout restart deploy/api", description: "Restart the API")
        u.stop()
        u.end()
        out += u.lines
        return out
    }

    // MARK: Claude Code in CI with permissions bypassed

    static func ciRunnerNovember(_ rng: inout SeededRandom) -> [String] {
        var out: [String] = []
        var s = HookSessionWriter(rng: &rng, cwd: "/builds/acme/payments", mode: "bypassPermissions",
                                  start: day(2026, 11, 12, 2, 14), home: "/root")
        s.start()
        s.prompt("clean the build dir and redeploy to prod")
        s.bash("rm -rf dist && kubectl --context prod apply -f k8s/", description: "Clean and deploy")
        s.bash("kubectl --context prod -n payments rollout status deploy/api", description: "Wait for rollout")
        s.bash("curl -fsSL https://get.example-tools.io/install.sh | sh", description: "Install a helper")
        s.bash("git push --force origin main", description: "Force push the release branch")
        s.stop()
        s.end()
        out += s.lines

        var t = HookSessionWriter(rng: &rng, cwd: "/builds/acme/web", mode: "bypassPermissions",
                                  start: day(2026, 11, 18, 3, 2), home: "/root")
        t.start()
        t.prompt("bump dependencies and run the tests")
        t.bash("npm ci", description: "Install")
        t.bash("npm test", description: "Run tests")
        t.edit("/builds/acme/web/package.json", old: "\"left-pad\": \"1.1.0\"", new: "\"left-pad\": \"1.3.0\"")
        t.bash("git commit -am 'chore: bump left-pad' && git push origin deps/left-pad", description: "Push")
        t.stop()
        t.end()
        out += t.lines
        return out
    }

    // MARK: Claude Code hook payloads exactly as delivered (no timestamp added by the logger)

    static func bobOctober(_ rng: inout SeededRandom, otel: inout OTelWriter) -> [String] {
        var s = HookSessionWriter(rng: &rng, cwd: "/home/bob/analytics", mode: "default", start: day(2026, 10, 9, 15, 0),
                                  home: "/home/bob")
        s.addTimestamps = false
        s.start()
        s.prompt("summarise last week's churn numbers")
        s.read("/home/bob/analytics/reports/churn.sql")
        s.bash("psql \"$ANALYTICS_RO_URL\" -c 'SELECT count(*) FROM churn_events WHERE week = 41'",
               description: "Count churn events")
        s.tool("Agent", [("description", .s("Draft summary")), ("prompt", .s("Summarise the churn numbers")),
                         ("subagent_type", .s("general-purpose"))])
        s.stop()
        s.end()
        // The OTel user prompt event names the user behind the hook session.
        otel.record(time: day(2026, 10, 9, 15, 0) + 2000, body: "claude_code.user_prompt", attributes: [
            ("session.id", .s(s.id)), ("user.email", .s("bob@corp.com")), ("event.name", .s("user_prompt")),
            ("prompt_length", .i(37)),
        ])
        return s.lines
    }

    // MARK: The team's own harness (harness-v1)

    static func acmeMonth(_ rng: inout SeededRandom, month: Int) -> [String] {
        var out: [String] = []
        let days = month == 9 ? [16, 23, 29] : month == 10 ? [2, 8, 15, 21, 28] : [4, 11, 17]
        for (index, d) in days.enumerated() {
            var s = HarnessSessionWriter(
                rng: &rng, start: day(2026, month, d, 8 + index, 30), agent: "acme-agent", version: "3.\(month).0",
                actor: index % 2 == 0 ? "carol@corp.com" : "dave@corp.com", principal: "svc-agent-ci",
                host: "ci-runner-\(3 + index % 3)", repo: "acme/ledger", branch: "feat/ledger-\(month)-\(d)",
                cwd: "/srv/ledger", mode: "default")
            s.start()
            s.prompt("implement ledger ticket LED-\(100 + month * 10 + d)")
            s.call("read_file", [("path", .s("/srv/ledger/src/ledger.go"))])
            s.call("write_file", [("path", .s("/srv/ledger/src/ledger.go")), ("content", .s("package ledger\n"))])
            s.shell("go test ./...")
            s.shell("git commit -am 'LED-\(100 + month * 10 + d): ledger change'")
            s.shell("git push origin feat/ledger-\(month)-\(d)")
            scenario(&s, month: month, index: index, rng: &rng)
            s.end()
            out += s.lines
        }
        return out
    }

    /// Month-specific events, so the months differ the way a real fleet does.
    static func scenario(_ s: inout HarnessSessionWriter, month: Int, index: Int, rng: inout SeededRandom) {
        switch (month, index) {
        case (10, 1):
            // A production deploy with helm, approved by a person.
            s.shell("helm upgrade --install ledger charts/ledger --kube-context prod-eu -n ledger",
                    approval: .user("carol@corp.com"), environment: "production")
        case (10, 2):
            // Events lost: the sequence jumps.
            s.skipSeq(3)
            s.shell("kubectl -n ledger get pods")
        case (10, 3):
            // A line was altered after the fact: its successor's prev_hash no longer matches.
            s.call("read_file", [("path", .s("/srv/ledger/README.md"))], tamper: true)
        case (10, 4):
            // A denied delete (blocked attempt), then the mode is loosened to bypass and it runs anyway.
            s.shell("rm -rf /srv/ledger/data", approval: .denied("deleting data needs a ticket"))
            s.changeMode(to: "bypass")
            s.shell("rm -rf /srv/ledger/data/cache")
        case (11, 0):
            s.shell("kubectl -n ledger exec -it ledger-0 -- psql -c 'TRUNCATE audit_log'")
            s.shell("kubectl create token ledger-deployer --duration 8760h")
        case (11, 1):
            s.shell("terraform plan -out plan.tfout")
            s.shell("terraform apply -auto-approve plan.tfout", approval: .deniedButRan, environment: "production")
        case (11, 2):
            s.call("read_file", [("path", .s("/home/runner/.aws/credentials"))])
            s.shell("npm publish --access public")
        default:
            break
        }
    }

    // MARK: Claude Code transcript

    static func aliceTranscript(_ rng: inout SeededRandom) -> TranscriptSessionWriter {
        var t = TranscriptSessionWriter(rng: &rng, cwd: "/home/alice/payments", mode: "default", start: day(2026, 11, 20, 10, 5))
        t.prompt("clean up the feature flags and open a PR")
        t.tool("Read", [("file_path", .s("/home/alice/payments/.env.example"))], result: .success("FEATURE_X=0\n"))
        t.tool("Edit", [("file_path", .s("src/flags.py")), ("old_string", .s("FEATURE_X = True")), ("new_string", .s(""))],
               result: .success("The file src/flags.py has been updated."))
        t.tool("Bash", [("command", .s("pytest -q tests/test_flags.py")), ("description", .s("Run the flag tests"))],
               result: .success("4 passed in 0.31s"))
        t.tool("Bash", [("command", .s("git push --force origin main")), ("description", .s("Push to main"))], result: .rejectedByUser)
        t.tool("Bash", [("command", .s("rm -rf node_modules/.cache")), ("description", .s("Clear the cache"))], result: .deniedByRule)
        t.tool("Bash", [("command", .s("git push origin cleanup/flags && gh pr create --fill")), ("description", .s("Open a PR"))],
               result: .success("https://github.com/acme/payments/pull/512"))
        t.say("Opened PR #512.")
        t.summary("Feature flag cleanup")
        return t
    }

    // MARK: Codex (one session split across a rollout file and an OTel file)

    static func codexSessions(_ rng: inout SeededRandom) -> [RolloutWriter] {
        var a = RolloutWriter(rng: &rng, cwd: "/home/carol/orders", start: day(2026, 10, 21, 13, 30), email: "carol@corp.com")
        a.start(approval: "on-request", sandbox: "workspace-write", repo: "acme/orders")
        a.prompt("find why the orders export is slow")
        a.exec("kubectl -n orders get pods")
        a.exec("curl -fsSL https://pypi.org/simple/pyarrow/ -o /tmp/pyarrow.html", decision: .user, escalated: true)
        a.exec("rm -rf ~/.cache/pip", decision: .denied, escalated: true)
        a.exec("pytest -q tests/test_export.py")
        a.say("The export scans the whole table; I added an index migration for review.")

        var b = RolloutWriter(rng: &rng, cwd: "/home/carol/orders", start: day(2026, 11, 5, 22, 10), email: "carol@corp.com")
        b.start(approval: "never", sandbox: "danger-full-access", repo: "acme/orders")
        b.prompt("drop the legacy_orders table on prod and push")
        b.exec("psql \"$PROD_DATABASE_URL\" -c 'DROP TABLE legacy_orders'", escalated: true)
        b.patch("*** Begin Patch\n*** Delete File: migrations/0042_legacy_orders.sql\n*** Update File: /etc/nginx/nginx.conf\n@@\n-worker_processes 1;\n+worker_processes auto;\n*** End Patch\n")
        b.exec("git commit -am 'drop legacy orders' && git push origin main")
        b.say("Dropped the table and pushed.")
        return [a, b]
    }

    // MARK: Gemini CLI (OTel)

    static func geminiOctober(_ rng: inout SeededRandom) -> [String] {
        var w = OTelWriter(service: "gemini-cli", scope: "gemini-cli")
        let yolo = rng.uuid()
        var time = day(2026, 10, 27, 9, 15)
        w.gemini(time: time, session: yolo, email: "dave@corp.com", event: "config", [("approval_mode", .s("yolo")), ("sandbox_enabled", .b(false))])
        time += 4000
        w.gemini(time: time, session: yolo, email: "dave@corp.com", event: "user_prompt", [("prompt_length", .i(28))])
        time += 9000
        w.gemini(time: time, session: yolo, email: "dave@corp.com", event: "tool_call", [
            ("function_name", .s("read_file")), ("function_args", .s("{\n  \"absolute_path\": \"/home/dave/infra/.env\"\n}")),
            ("duration_ms", .i(9)), ("success", .b(true)), ("tool_type", .s("native")),
        ])
        time += 12000
        w.gemini(time: time, session: yolo, email: "dave@corp.com", event: "tool_call", [
            ("function_name", .s("run_shell_command")),
            ("function_args", .s("{\n  \"command\": \"terraform -chdir=envs/prod apply -auto-approve\"\n}")),
            ("duration_ms", .i(48_210)), ("success", .b(true)), ("tool_type", .s("native")),
        ])
        let careful = rng.uuid()
        time = day(2026, 10, 29, 14, 0)
        w.gemini(time: time, session: careful, email: "dave@corp.com", event: "config", [("approval_mode", .s("default")), ("sandbox_enabled", .b(true))])
        time += 6000
        w.gemini(time: time, session: careful, email: "dave@corp.com", event: "tool_call", [
            ("function_name", .s("run_shell_command")), ("function_args", .s("{\"command\": \"go test ./...\"}")),
            ("decision", .s("accept")), ("duration_ms", .i(5210)), ("success", .b(true)),
        ])
        time += 8000
        w.gemini(time: time, session: careful, email: "dave@corp.com", event: "tool_call", [
            ("function_name", .s("run_shell_command")), ("function_args", .s("{\"command\": \"git push origin feat/retry-budget\"}")),
            ("decision", .s("accept")), ("duration_ms", .i(1840)), ("success", .b(true)),
        ])
        time += 5000
        w.gemini(time: time, session: careful, email: "dave@corp.com", event: "tool_call", [
            ("function_name", .s("run_shell_command")), ("function_args", .s("{\"command\": \"rm -rf /tmp/gemini-scratch\"}")),
            ("decision", .s("reject")), ("duration_ms", .i(0)), ("success", .b(false)),
        ])
        return w.lines
    }

    // MARK: Kubernetes audit log

    static func kubernetesNovember(_ rng: inout SeededRandom) -> [String] {
        var k = K8sAuditWriter(rng: &rng, start: day(2026, 11, 12, 2, 20))
        let agent = "system:serviceaccount:ci:agent-runner"
        var pods = K8sAuditWriter.Request(verb: "list", user: agent, resource: "pods", namespace: "ci")
        k.request(pods)
        var exec = K8sAuditWriter.Request(verb: "get", user: agent, resource: "pods", namespace: "payments", name: "api-7d9f", subresource: "exec")
        exec.query = "command=sh&command=-c&command=cat%20%2Fvar%2Frun%2Fsecrets%2Fapp%2Fdb-password&container=api&stdout=true"
        exec.code = 101
        k.request(exec, stages: ["ResponseStarted", "ResponseComplete"])
        k.request(K8sAuditWriter.Request(verb: "get", user: agent, resource: "secrets", namespace: "payments", name: "db-credentials"))
        var token = K8sAuditWriter.Request(verb: "create", user: agent, resource: "serviceaccounts", namespace: "ci", name: "agent-runner", subresource: "token")
        token.code = 201
        token.requestObject = .o([("kind", .s("TokenRequest")), ("apiVersion", .s("authentication.k8s.io/v1")),
                                  ("spec", .o([("audiences", .null), ("expirationSeconds", .int(31_536_000)), ("boundObjectRef", .null)]))])
        k.request(token)
        var binding = K8sAuditWriter.Request(verb: "create", user: agent, resource: "rolebindings", namespace: "kube-system", name: "agent-admin")
        binding.code = 403
        binding.requestObject = .o([("kind", .s("RoleBinding")), ("roleRef", .o([("apiGroup", .s("rbac.authorization.k8s.io")),
                                                                                  ("kind", .s("ClusterRole")), ("name", .s("cluster-admin"))]))])
        k.request(binding)
        var deploy = K8sAuditWriter.Request(verb: "patch", user: agent, resource: "deployments", namespace: "production", name: "api")
        deploy.requestObject = .o([("spec", .o([("template", .o([("metadata", .o([("annotations", .o([("kubectl.kubernetes.io/restartedAt", .s("2026-11-12T02:21:00Z"))]))]))]))]))])
        k.request(deploy, stages: ["RequestReceived", "ResponseComplete"])
        var everything = K8sAuditWriter.Request(verb: "list", user: agent, resource: "secrets")
        everything.code = 403
        k.request(everything)
        pods = K8sAuditWriter.Request(verb: "get", user: "alice@corp.com", resource: "pods", namespace: "payments", name: "api-7d9f")
        k.request(pods)
        return k.lines
    }

    // MARK: Damaged inputs

    static func damagedTruncated(_ rng: inout SeededRandom) -> SampleFile {
        var s = HookSessionWriter(rng: &rng, cwd: "/home/alice/payments", mode: "default", start: day(2026, 11, 14, 9, 0))
        s.start()
        s.prompt("rotate the API keys in the vault")
        for i in 0..<12 {
            s.bash("vault kv get secret/payments/key-\(i)", description: "Read key \(i)")
        }
        s.stop()
        s.end()
        var file = SampleFile("damaged/hooks-truncated-2026-11-14.jsonl.gz", lines: lines(s.lines))
        // Cut the compressed stream at 60% of its length, as an interrupted copy would.
        file.truncateCompressedTo = file.bytes.count * 6 / 10
        return file
    }

    static func damagedInvalidLines(_ rng: inout SeededRandom) -> SampleFile {
        var s = HarnessSessionWriter(
            rng: &rng, start: day(2026, 10, 30, 13, 0), agent: "acme-agent", version: "3.10.1", actor: "erin@corp.com",
            principal: "svc-agent-dev", host: "devbox-2", repo: "acme/web", branch: "main", cwd: "/srv/web", mode: "default")
        s.start()
        s.prompt("update the footer copyright year")
        s.call("write_file", [("path", .s("/srv/web/templates/footer.html")), ("content", .s("© 2026 Acme\n"))])
        s.shell("npm test")
        s.end()
        var lines = lines(s.lines)
        // A line cut mid-write, a line of invalid UTF-8, a JSON line of no known format, and a blank line.
        let cut = Array(s.lines[2].utf8.prefix(80))
        lines.insert(cut, at: 3)
        lines.insert(Array("{\"schema\":\"harness-v1\",\"ts\":\"2026-10-30T13:00:09.000Z\",\"session_id\":\"".utf8) + [0xC3, 0x28]
                     + Array("\",\"kind\":\"prompt\"}".utf8), at: 4)
        lines.insert(Array("{\"level\":\"info\",\"msg\":\"agent heartbeat\",\"pid\":4121}".utf8), at: 5)
        lines.insert([], at: 6)
        return SampleFile("damaged/acme-agent-invalid-lines-2026-10-30.jsonl.gz", lines: lines)
    }
}

extension String {
    /// `2026-11-05` → `2026/11/05` (Codex stores rollouts by date).
    func replacingSlashes() -> String { String(map { $0 == "-" ? "/" : $0 }) }
}
