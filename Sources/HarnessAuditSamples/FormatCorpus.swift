import HarnessAuditKit

/// Benchmark corpora in the other formats a fleet ships, each deterministic, so `harness-audit-bench`
/// can time ingest per format: a Kubernetes API server audit log (the largest source a SOC team
/// collects, mostly control-plane traffic with agents' requests among it), Codex rollouts and Claude
/// Code transcripts (one file per session, as the harnesses write them), and the OTel log records
/// Codex exports.
public enum FormatCorpus {
    public enum Kind: String, CaseIterable, Sendable {
        case k8sAudit = "k8s-audit"
        case codexRollout = "codex-rollout"
        case claudeTranscript = "claude-transcript"
        case otlpLogs = "otlp-logs"
    }

    /// Writes about `lines` lines of `kind` under `directory` (which must exist), gzip-compressed; returns the
    /// lines and bytes written (`events` counts lines: a line may hold several events or none).
    public static func write(_ kind: Kind, lines target: Int, directory: String,
                             seed: UInt64 = 20_261_125) -> BenchCorpus.Summary? {
        var rng = SeededRandom(seed: seed)
        var summary = Summary()
        var clock = Timestamp.millis(year: 2026, month: 10, day: 1)
        switch kind {
        case .k8sAudit:
            guard let out = GzipStreamWriter(path: directory + "/kube-apiserver-audit.log.gz") else { return nil }
            while summary.lines < target {
                var writer = K8sAuditWriter(rng: &rng, start: clock)
                for _ in 0..<200 { writer.request(controlPlaneRequest(&rng)) }
                clock = writer.time
                summary.add(writer.lines, to: out)
            }
            summary.finish(out)
        case .codexRollout, .otlpLogs:
            let otel = kind == .otlpLogs ? GzipStreamWriter(path: directory + "/codex-otel.jsonl.gz") : nil
            if kind == .otlpLogs && otel == nil { return nil }
            while summary.lines < target {
                let person = rng.pick(BenchCorpus.people)
                var session = RolloutWriter(rng: &rng, cwd: "/home/\(person)/\(rng.pick(["orders", "ledger", "web"]))", start: clock,
                                            email: "\(person)@corp.com")
                session.start(approval: rng.chance(0.1) ? "never" : "on-request", sandbox: "workspace-write", repo: "acme/orders")
                session.prompt("fix ticket \(rng.int(100...9999))")
                for _ in 0..<rng.int(10...60) {
                    switch rng.int(0...99) {
                    case 0..<70: session.exec(rng.pick(BenchCorpus.routine))
                    case 70..<90: session.patch("*** Begin Patch\n*** Update File: src/app.py\n@@\n-a = 1\n+a = 2\n*** End Patch\n")
                    case 90..<97: session.say("Done with this step.")
                    default: session.exec(rng.pick(BenchCorpus.risky), decision: rng.chance(0.5) ? .user : .config, escalated: true)
                    }
                }
                clock = session.time + Int64(rng.int(60...900)) * 1000
                if let otel {
                    summary.add(session.otel, to: otel)
                } else {
                    guard let out = GzipStreamWriter(path: directory + "/" + session.fileName + ".gz") else { return nil }
                    summary.add(session.lines, to: out)
                    summary.finish(out)
                }
            }
            if let otel { summary.finish(otel) }
        case .claudeTranscript:
            while summary.lines < target {
                let person = rng.pick(BenchCorpus.people)
                let cwd = "/home/\(person)/\(rng.pick(["payments", "ledger", "web"]))"
                var session = TranscriptSessionWriter(rng: &rng, cwd: cwd, mode: rng.chance(0.05) ? "bypassPermissions" : "default",
                                                      start: clock)
                session.prompt("fix the failing tests")
                for _ in 0..<rng.int(10...60) {
                    switch rng.int(0...99) {
                    case 0..<35: session.tool("Read", [("file_path", .s(cwd + "/" + rng.pick(BenchCorpus.files)))], result: .success("ok\n"))
                    case 35..<50:
                        session.tool("Edit", [("file_path", .s(cwd + "/" + rng.pick(BenchCorpus.files))), ("old_string", .s("a")),
                                              ("new_string", .s("b"))], result: .success("The file has been updated."))
                    case 50..<90:
                        session.tool("Bash", [("command", .s(rng.pick(BenchCorpus.routine))), ("description", .s("Run a command"))],
                                     result: .success("ok\n"))
                    case 90..<97: session.say("Working on it.")
                    default:
                        session.tool("Bash", [("command", .s(rng.pick(BenchCorpus.risky))), ("description", .s("Run a command"))],
                                     result: rng.chance(0.3) ? .rejectedByUser : .success("done\n"))
                    }
                }
                clock = session.time + Int64(rng.int(60...900)) * 1000
                guard let out = GzipStreamWriter(path: directory + "/\(session.id).jsonl.gz") else { return nil }
                summary.add(session.lines, to: out)
                summary.finish(out)
            }
        }
        return BenchCorpus.Summary(events: summary.lines, sessions: summary.files, uncompressedBytes: summary.bytesIn,
                                   compressedBytes: summary.bytesOut)
    }

    /// Lines and bytes written so far, over every file.
    struct Summary {
        var lines = 0
        var files = 0
        var bytesIn: Int64 = 0
        var bytesOut: Int64 = 0

        mutating func add(_ lines: [String], to out: GzipStreamWriter) {
            var bytes: [UInt8] = []
            for line in lines {
                bytes += line.utf8
                bytes.append(0x0A)
            }
            out.write(bytes)
            self.lines += lines.count
        }

        mutating func finish(_ out: GzipStreamWriter) {
            out.finish()
            files += 1
            bytesIn += out.bytesIn
            bytesOut += out.bytesOut
        }
    }

    /// One request of a cluster's everyday traffic: nodes and controllers reading, renewing leases,
    /// posting events and status; now and then an agent's service account reading secrets, patching
    /// deployments, deleting pods, exec-ing into a pod or minting a token.
    static func controlPlaneRequest(_ rng: inout SeededRandom) -> K8sAuditWriter.Request {
        let namespace = rng.pick(["default", "kube-system", "payments", "prod", "staging", "ci"])
        let node = "system:node:node-\(rng.int(1...40))"
        let agent = rng.pick(["system:serviceaccount:ci:agent-runner", "system:serviceaccount:agents:claude-agent"])
        var request: K8sAuditWriter.Request
        switch rng.int(0...99) {
        case 0..<20: request = .init(verb: "get", user: node, resource: "pods", namespace: namespace, name: "api-\(rng.hex(5))")
        case 20..<30:
            request = .init(verb: "watch", user: node, resource: "configmaps", namespace: namespace)
            request.query = "allowWatchBookmarks=true&resourceVersion=\(rng.int(1000...999_999))&watch=true"
        case 30..<50:
            request = .init(verb: "update", user: "system:kube-controller-manager", resource: "leases", namespace: "kube-system",
                            name: "kube-controller-manager")
        case 50..<60: request = .init(verb: "create", user: node, resource: "events", namespace: namespace)
        case 60..<70: request = .init(verb: "patch", user: node, resource: "nodes", name: "node-\(rng.int(1...40))", subresource: "status")
        case 70..<78: request = .init(verb: "list", user: "system:kube-scheduler", resource: "pods")
        case 78..<84: request = .init(verb: "get", user: agent, resource: "pods", namespace: namespace, name: "api-\(rng.hex(5))")
        case 84..<88: request = .init(verb: "get", user: agent, resource: "secrets", namespace: namespace, name: "db-credentials")
        case 88..<93: request = .init(verb: "patch", user: agent, resource: "deployments", namespace: namespace, name: "api")
        case 93..<96: request = .init(verb: "delete", user: agent, resource: "pods", namespace: namespace, name: "api-\(rng.hex(5))")
        case 96..<98:
            request = .init(verb: "get", user: agent, resource: "pods", namespace: namespace, name: "api-\(rng.hex(5))", subresource: "exec")
            request.query = "command=%2Fbin%2Fsh&command=-c&command=\(rng.pick(["env", "cat+%2Fetc%2Fconfig.yaml", "ls+%2Fapp"]))&container=app&stdout=true"
        default:
            request = .init(verb: "create", user: agent, resource: "serviceaccounts", namespace: namespace, name: "deployer", subresource: "token")
        }
        if !request.user.hasPrefix("system:serviceaccount:") {
            request.userAgent = "kubelet/v1.30.2 (linux/amd64) kubernetes/3968350"
        }
        request.annotations = [("authorization.k8s.io/reason", .s("RBAC: allowed by ClusterRoleBinding \"system:controller\""))]
        return request
    }
}
