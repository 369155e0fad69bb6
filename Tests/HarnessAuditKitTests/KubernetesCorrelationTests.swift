import Foundation
import Testing
@testable import HarnessAuditKit

/// One Kubernetes action logged by the agent's harness and by the API server's audit log.
@Suite("Kubernetes requests and the harness calls that made them")
struct KubernetesCorrelationTests {
    /// An audit event by the agent's service account, received at 10:`minute`:`second`, its stage ending `stageSeconds`
    /// later.
    static func request(verb: String, resource: String, namespace: String, name: String, subresource: String? = nil,
                        minute: Int = 0, second: Int = 1, code: Int = 200, decision: String = "allow", id: String = "a-1",
                        stageSeconds: Int = 0, requestObject: String? = nil) -> String {
        func time(_ seconds: Int) -> String {
            let total = minute * 60 + second + seconds
            return "2026-11-02T" + String(format: "%02d:%02d:%02d", 10 + total / 3600, total / 60 % 60, total % 60) + ".500000Z"
        }
        let path = "/api/v1/namespaces/\(namespace)/\(resource)/\(name)" + (subresource.map { "/\($0)" } ?? "")
        let sub = subresource.map { #","subresource":"\#($0)""# } ?? ""
        let object = requestObject.map { #","requestObject":\#($0)"# } ?? ""
        return #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"\#(id)","stage":"ResponseComplete","requestURI":"\#(path)","verb":"\#(verb)","user":{"username":"system:serviceaccount:ci:agent-runner"},"userAgent":"kubectl/v1.30.2 (linux/amd64) kubernetes/9d1f2a3","objectRef":{"resource":"\#(resource)","namespace":"\#(namespace)","name":"\#(name)","apiVersion":"v1"\#(sub)},"responseStatus":{"metadata":{},"code":\#(code)}\#(object),"requestReceivedTimestamp":"\#(time(0))","stageTimestamp":"\#(time(stageSeconds))","annotations":{"authorization.k8s.io/decision":"\#(decision)"}}"#
    }

    func check(_ lines: [String]) throws -> CheckResult {
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        return try CheckTestSupport.check(database)
    }

    @Test("a request no call made is the agent's whose harness log names its principal, not a \"kubernetes\" agent's")
    func requestAgentFromHarnessPrincipal() throws {
        let harness = hv1("s-1", 1, #""principal":"system:serviceaccount:ci:agent-runner","kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"npm test"}"#)
        let exec = Self.request(verb: "create", resource: "pods", namespace: "ci", name: "api-0", subresource: "exec", minute: 40, code: 101)
        let named = try check([harness, exec]).findings.filter { $0.rule == "pod-exec" }
        #expect(named.count == 1 && named.first?.agent == "acme-agent", "\(named.map { $0.agent ?? "-" })")
        let alone = try check([exec]).findings.filter { $0.rule == "pod-exec" }
        #expect(alone.first?.agent == "kubernetes")
    }

    @Test("a call made just before a window's end whose request the API server logged just after is one finding, in the call's window only")
    func pairAcrossWindowEdge() throws {
        let call = #"{"schema":"harness-v1","ts":"2026-10-31T23:59:59.500Z","session_id":"s-edge","agent":"acme-agent","principal":"system:serviceaccount:agents:claude-runner","cwd":"/srv/x","kind":"tool_call","tool":"Bash","call_id":"c1","input":{"command":"kubectl delete deployment api -n prod"},"decision":"allow","decision_source":"user","outcome":"success"}"#
        let request = #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"edge-1","stage":"ResponseComplete","requestURI":"/apis/apps/v1/namespaces/prod/deployments/api","verb":"delete","user":{"username":"system:serviceaccount:agents:claude-runner"},"userAgent":"kubectl/v1.30.2","objectRef":{"resource":"deployments","namespace":"prod","name":"api","apiGroup":"apps","apiVersion":"v1"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-01T00:00:00.400000Z","stageTimestamp":"2026-11-01T00:00:00.450000Z","annotations":{"authorization.k8s.io/decision":"allow"}}"#
        let (database, directory) = try CheckTestSupport.store([call, request])
        defer { TestSupport.cleanup(directory) }
        let october = Timestamp.millis(year: 2026, month: 10, day: 1), november = Timestamp.millis(year: 2026, month: 11, day: 1)
        let december = Timestamp.millis(year: 2026, month: 12, day: 1)
        func production(_ since: Int64?, _ until: Int64?) throws -> [String] {
            try CheckTestSupport.check(database, since: since, until: until).findings.filter { $0.rule == "production-change" }.map(\.id)
        }
        let all = try production(nil, nil)
        #expect(all.count == 1)
        #expect(try production(october, november) == all, "the call's month has it, with the same id")
        #expect(try production(november, december).isEmpty, "the request's month does not count it again")
    }

    @Test("a delete a person confirmed in the harness is one production finding, with the audit line, and not unconfirmed")
    func confirmedDeleteOnce() throws {
        let confirmed = #","decision":"allow","decision_source":"user","approved_by":"alice@corp.com""#
        let lines = hv1Bash("s-1", 1, "c-1", "kubectl delete deployment api -n prod", extra: confirmed)
            + [Self.request(verb: "delete", resource: "deployments", namespace: "prod", name: "api")]
        let result = try check(lines)
        let production = result.findings.filter { $0.rule == "production-change" }
        #expect(production.count == 1)
        #expect(production.first?.session == "s-1" && production.first?.evidence.map(\.line) == [1, 2, 3])
        #expect(!result.findings.contains { $0.rule == "unconfirmed-delete" }, "\(result.findings.map(\.reason))")
        // One action, one risky action, confirmed: the request is the call's.
        #expect(result.actions == 1 && result.riskyActions == 1 && result.confirmedRiskyActions == 1)
        // Without the person's approval, the delete is unconfirmed once: the call's finding, with the audit line.
        let unconfirmed = try check(hv1Bash("s-1", 1, "c-1", "kubectl delete deployment api -n prod")
                                    + [Self.request(verb: "delete", resource: "deployments", namespace: "prod", name: "api")])
        let deletes = unconfirmed.findings.filter { $0.rule == "unconfirmed-delete" }
        #expect(deletes.count == 1 && deletes.first?.session == "s-1" && deletes.first?.evidence.map(\.line) == [1, 2, 3])
    }

    @Test("a call confirms only the requests it could have made: not a read's neighbour delete, not other objects' deletes")
    func pairsOnlyWhatTheCallMade() throws {
        let confirmed = #","decision":"allow","decision_source":"user","approved_by":"alice@corp.com""#
        // A confirmed read, then a delete by another client a minute later.
        let read = hv1Bash("s-1", 1, "c-1", "kubectl get pods -n staging", extra: confirmed)
            + [Self.request(verb: "list", resource: "pods", namespace: "staging", name: "", second: 1, id: "a-1"),
               Self.request(verb: "delete", resource: "deployments", namespace: "staging", name: "web", minute: 1, id: "a-2")]
        let afterRead = try check(read).findings
        #expect(afterRead.contains { $0.rule == "unconfirmed-delete" && $0.session == "k8s:system:serviceaccount:ci:agent-runner" })
        // A confirmed delete of pod a; the deletes of other objects minutes later are not confirmed by it.
        let deletes = hv1Bash("s-1", 1, "c-1", "kubectl delete pod a -n staging", extra: confirmed)
            + [Self.request(verb: "delete", resource: "pods", namespace: "staging", name: "a", id: "a-1"),
               Self.request(verb: "delete", resource: "secrets", namespace: "staging", name: "db-creds", minute: 3, id: "a-2"),
               Self.request(verb: "delete", resource: "deployments", namespace: "staging", name: "web", minute: 4, id: "a-3")]
        let result = try check(deletes)
        let unconfirmed = result.findings.filter { $0.rule == "unconfirmed-delete" }
        #expect(unconfirmed.count == 2 && unconfirmed.allSatisfy { $0.session == "k8s:system:serviceaccount:ci:agent-runner" },
                "\(unconfirmed.map(\.reason))")
        // `kubectl delete pod a b c` names each.
        let several = hv1Bash("s-1", 1, "c-1", "kubectl delete pod a b c -n staging", extra: confirmed)
            + ["a", "b", "c"].enumerated().map { Self.request(verb: "delete", resource: "pods", namespace: "staging", name: $1, second: 1 + $0, id: "a-\($0)") }
        #expect(!(try check(several).findings.contains { $0.rule == "unconfirmed-delete" }))
    }

    @Test("each request pairs with the call that names its object: the delete that ran is the session's that asked for it")
    func pairsByObjectName() throws {
        let lines = [hv1("s-a", 5, #""kind":"tool_call","tool":"Bash","call_id":"c-a","input":{"command":"kubectl delete pod a -n prod"}"#),
                     hv1("s-b", 6, #""kind":"tool_call","tool":"Bash","call_id":"c-b","input":{"command":"kubectl delete pod b -n prod"}"#),
                     Self.request(verb: "delete", resource: "pods", namespace: "prod", name: "b", second: 5, id: "a-b"),
                     Self.request(verb: "delete", resource: "pods", namespace: "prod", name: "a", second: 6, code: 403, decision: "forbid", id: "a-a")]
        let result = try check(lines)
        let production = result.findings.filter { $0.rule == "production-change" }
        #expect(production.map(\.session) == ["s-b"], "\(production.map(\.reason))")
        #expect(production.first?.evidence.map(\.line) == [2, 3])
    }

    @Test("the audit log still speaks where the harness cannot: a request the call's finding does not cover keeps its own, in the call's session")
    func auditOnlyFindingsStay() throws {
        // The harness names no namespace, so it cannot know the delete hit production; the audit log can. The finding is
        // the session's that made the request, with the call's lines and the request's.
        let lines = hv1Bash("s-1", 1, "c-1", "kubectl delete deployment api")
            + [Self.request(verb: "delete", resource: "deployments", namespace: "prod", name: "api")]
        let production = try check(lines).findings.filter { $0.rule == "production-change" }
        #expect(production.count == 1 && production.first?.session == "s-1", "\(production.map(\.session))")
        #expect(production.first?.evidence.map(\.line) == [1, 2, 3] && production.first?.agent == "acme-agent")
    }

    @Test("a call whose requests the platform refused was refused: no finding, a blocked attempt")
    func refusedCall() throws {
        let lines = [hv1("s-1", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"kubectl exec -n kube-system etcd-0 -- sh"}"#),
                     hv1("s-1", 2, #""kind":"tool_result","tool":"Bash","call_id":"c-1","outcome":"failure""#),
                     Self.request(verb: "create", resource: "pods", namespace: "kube-system", name: "etcd-0", subresource: "exec",
                                  code: 403, decision: "forbid")]
        let result = try check(lines)
        #expect(!result.findings.contains { $0.rule == "pod-exec" || $0.rule == "production-change" }, "\(result.findings.map(\.reason))")
        // One attempt, logged twice.
        #expect(result.blockedAttempts == 1 && result.actions == 1)
        // A call that succeeded all the same ran: the audit log's refusal of one request does not undo it.
        let ran = [hv1("s-1", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"kubectl exec -n kube-system etcd-0 -- sh"}"#),
                   hv1("s-1", 2, #""kind":"tool_result","tool":"Bash","call_id":"c-1","outcome":"success""#),
                   Self.request(verb: "create", resource: "pods", namespace: "kube-system", name: "etcd-0", subresource: "exec",
                                code: 403, decision: "forbid")]
        #expect(try check(ran).findings.contains { $0.rule == "pod-exec" && $0.session == "s-1" })
    }

    @Test("a call denied in the harness whose request the API server carried out ran anyway: denied-action-ran, not blocked")
    func deniedCallThatRan() throws {
        let denied = #","decision":"deny","decision_source":"user""#
        let lines = [hv1("s-1", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"kubectl -n ci delete deploy api"}\#(denied)"#),
                     Self.request(verb: "delete", resource: "deployments", namespace: "ci", name: "api")]
        let result = try check(lines)
        let ran = result.findings.filter { $0.rule == "denied-action-ran" }
        #expect(ran.count == 1 && ran.first?.session == "s-1" && ran.first?.severity == .critical, "\(result.findings.map(\.rule))")
        #expect(result.blockedAttempts == 0 && result.riskyActions == 1 && result.confirmedRiskyActions == 0)
        // A controller reconciling the same object (no client's user agent, no principal named by the harness) is no
        // proof that the denied call ran.
        let controller = lines[1].replacingOccurrences(of: "kubectl/v1.30.2 (linux/amd64) kubernetes/9d1f2a3",
                                                       with: "kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/9d1f2a3")
        #expect(try check([lines[0], controller]).findings.filter { $0.rule == "denied-action-ran" }.isEmpty)
        // The same request refused: the denial held.
        let held = try check([lines[0], Self.request(verb: "delete", resource: "deployments", namespace: "ci", name: "api",
                                                    code: 403, decision: "forbid")])
        #expect(held.findings.isEmpty && held.blockedAttempts == 1, "\(held.findings.map(\.rule))")
        // The person who refused it, doing it themselves from their own kubeconfig: their request is no proof that the
        // agent's call ran (their requests are not checked), and a refusal that names who refused confirms nothing.
        let refused = hv1("s-1", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"kubectl -n ci delete deploy api"},"decision":"deny","decision_source":"user","approved_by":"alice@corp.com""#)
        let own = lines[1].replacingOccurrences(of: "system:serviceaccount:ci:agent-runner", with: "alice@corp.com")
        let person = try check([refused, own])
        #expect(person.findings.isEmpty && person.blockedAttempts == 1 && person.confirmedRiskyActions == 0,
                "\(person.findings.map(\.rule))")
    }

    @Test("a call wrapped in a shell (`bash -lc '…'`, Codex's shell argv) pairs with its request as the bare command does")
    func wrappedCallPairs() throws {
        let denied = #","decision":"deny","decision_source":"user""#
        for command in [#"bash -lc 'kubectl -n ci delete deploy api'"#, #"( kubectl -n ci delete deploy api )"#] {
            let escaped = command.replacingOccurrences(of: "\"", with: "\\\"")
            let lines = [hv1("s-1", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"\#(escaped)"}\#(denied)"#),
                         Self.request(verb: "delete", resource: "deployments", namespace: "ci", name: "api")]
            let result = try check(lines)
            #expect(result.findings.contains { $0.rule == "denied-action-ran" && $0.session == "s-1" }, "\(command): \(result.findings.map(\.rule))")
            #expect(!result.findings.contains { $0.rule == "k8s-without-harness-record" }, "\(command)")
        }
    }

    @Test("Helm's own reads of its release records (secrets labelled owner=helm) are no secret reads")
    func helmReleaseRecords() throws {
        let list = Self.request(verb: "list", resource: "secrets", namespace: "ci", name: "x")
            .replacingOccurrences(of: #""requestURI":"/api/v1/namespaces/ci/secrets/x""#,
                                  with: #""requestURI":"/api/v1/namespaces/ci/secrets?labelSelector=owner%3Dhelm%2Cname%3Dweb""#)
            .replacingOccurrences(of: #","name":"x""#, with: "")
        let lines = hv1Bash("s-1", 1, "c-1", "helm status web -n ci") + [list]
        #expect(try check(lines).findings.filter { $0.rule == "sensitive-read" }.isEmpty)
        // The same list with no label selector reads every secret of the namespace.
        let all = list.replacingOccurrences(of: "?labelSelector=owner%3Dhelm%2Cname%3Dweb", with: "")
        #expect(try check([all]).findings.contains { $0.rule == "sensitive-read" })
    }

    @Test("a denial that names who refused is no confirmation: a delete denied, then run, is unconfirmed")
    func denialIsNoConfirmation() throws {
        let lines = [hv1("s-1", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"rm -rf /srv/app/data"},"decision":"deny","decision_source":"user","approved_by":"alice@corp.com""#),
                     hv1("s-1", 2, #""kind":"tool_result","tool":"Bash","call_id":"c-1","outcome":"success""#)]
        let result = try check(lines)
        #expect(Set(result.findings.map(\.rule)) == ["denied-action-ran", "unconfirmed-delete"], "\(result.findings.map(\.rule))")
        #expect(result.confirmedRiskyActions == 0)
    }

    @Test("an exec through a workload pairs with an exec into that workload's pods only; pod/NAME names the pod")
    func workloadExecPairing() throws {
        func sessions(_ command: String, _ pod: String) throws -> [String] {
            try check(hv1Bash("s-1", 1, "c-1", command)
                      + [Self.request(verb: "create", resource: "pods", namespace: "ci", name: pod, subresource: "exec", code: 101)])
                .findings.filter { $0.rule == "pod-exec" }.compactMap(\.session)
        }
        let audit = "k8s:system:serviceaccount:ci:agent-runner"
        #expect(try sessions("kubectl exec -n ci deploy/web -- ls", "web-5d8f9c7b6-x2x9z") == ["s-1"])
        // Another workload's pod: the request is not the call's, and keeps a finding of its own.
        #expect(try Set(sessions("kubectl exec -n ci deploy/web -- ls", "db-0")) == ["s-1", audit])
        #expect(try Set(sessions("kubectl exec -n ci deploy/web -- ls", "web-api-5d8f9c7b6-x2x9z")) == ["s-1", audit],
                "the pod of another workload whose name starts alike")
        #expect(try sessions("kubectl exec -n ci sts/db -- ls", "db-0") == ["s-1"])
        #expect(try sessions("kubectl exec -n ci pod/db-0 -- ls", "db-0") == ["s-1"])
        #expect(try Set(sessions("kubectl exec -n ci pod/db-0 -- ls", "db-1")) == ["s-1", audit])
    }

    @Test("a line of cluster clients whose requests were all refused was refused, whatever its harness or an || true says")
    func refusedBehindOrTrue() throws {
        func lines(_ command: String) -> [String] {
            hv1Bash("s-1", 1, "c-1", command)
                + [Self.request(verb: "delete", resource: "deployments", namespace: "production", name: "api", code: 403, decision: "forbid")]
        }
        let hidden = try check(lines("kubectl -n production delete deploy api || true"))
        #expect(hidden.findings.isEmpty && hidden.blockedAttempts == 1, "\(hidden.findings.map(\.rule))")
        // A harness that says a refused client succeeded: the API server's answer is the record.
        let stated = try check(lines("kubectl -n production delete deploy api"))
        #expect(stated.findings.isEmpty && stated.blockedAttempts == 1, "\(stated.findings.map(\.rule))")
        // Something else in the line ran: not refused.
        let more = try check(lines("kubectl -n production delete deploy api || true; rm -rf /srv/app/cache"))
        #expect(more.findings.contains { $0.rule == "unconfirmed-delete" } && more.blockedAttempts == 0)
    }

    @Test("a request logged only as received counts in the gap; an exec's env dump is no namespace's secrets")
    func receivedOnlyInGap() throws {
        let received = Self.request(verb: "delete", resource: "pods", namespace: "ci", name: "p", id: "a-1")
            .replacingOccurrences(of: "ResponseComplete", with: "RequestReceived")
            .replacingOccurrences(of: #","responseStatus":{"metadata":{},"code":200}"#, with: "")
        let complete = Self.request(verb: "get", resource: "secrets", namespace: "ci", name: "db", minute: 1, id: "a-2")
        let gap = try check([received, complete]).findings.filter { $0.rule == "k8s-without-harness-record" }
        #expect(gap.count == 1 && gap.first?.evidence.count == 2, "\(gap.map(\.reason))")
        let env = Self.request(verb: "create", resource: "pods", namespace: "ci", name: "web-0", subresource: "exec", code: 101)
            .replacingOccurrences(of: "/exec\"", with: "/exec?command=env\"")
        let read = try check([env]).findings.filter { $0.rule == "sensitive-read" }
        #expect(read.count == 1 && read.first?.target == "env", "\(read.map(\.target))")
    }

    @Test("a harness session that names another principal did not make the request: the gap is reported")
    func otherPrincipal() throws {
        let other = #","principal":"system:serviceaccount:ops:other-bot""#
        let secret = Self.request(verb: "get", resource: "secrets", namespace: "ci", name: "db", minute: 3)
        let lines = [hv1("s-1", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"kubectl get secret db -n ci"}\#(other)"#),
                     hv1("s-1", 2, #""kind":"tool_result","tool":"Bash","call_id":"c-1","outcome":"success"\#(other)"#), secret]
        let result = try check(lines)
        #expect(result.findings.contains { $0.rule == "k8s-without-harness-record" })
        #expect(result.findings.filter { $0.rule == "sensitive-read" }.count == 2)
        let same = lines.map { $0.replacingOccurrences(of: "ops:other-bot", with: "ci:agent-runner") }
        let matched = try check(same)
        #expect(!matched.findings.contains { $0.rule == "k8s-without-harness-record" })
        #expect(matched.findings.filter { $0.rule == "sensitive-read" }.map(\.session) == ["s-1"])
    }

    @Test("a read of other objects does not account for a secret read: the gap is reported; a read of secrets does")
    func secretReadNeedsSecretCall() throws {
        let secret = Self.request(verb: "get", resource: "secrets", namespace: "ci", name: "db", minute: 2)
        let pods = hv1Bash("s-1", 1, "c-1", "kubectl get pods -n ci") + [secret]
        #expect(try check(pods).findings.contains { $0.rule == "k8s-without-harness-record" })
        let secrets = hv1Bash("s-1", 1, "c-1", "kubectl get secret db -n ci -o yaml") + [secret]
        #expect(!(try check(secrets).findings.contains { $0.rule == "k8s-without-harness-record" }))
        // A call that changes things (apply reads the objects it applies, secrets among them) still accounts for it.
        let apply = hv1Bash("s-1", 1, "c-1", "kubectl apply -n ci -f k8s/") + [secret]
        #expect(!(try check(apply).findings.contains { $0.rule == "k8s-without-harness-record" }))
    }

    @Test("a call with no time (Claude Code hook payloads) made the request it names when they are each other's one candidate")
    func undatedHookCalls() throws {
        let hooks = ["PreToolUse", "PostToolUse"].map { hook in
            #"{"session_id":"s-hooks","cwd":"/home/alice/app","permission_mode":"default","hook_event_name":"\#(hook)","tool_name":"Bash","tool_input":{"command":"kubectl delete pod web-1 -n prod"},"tool_use_id":"toolu_1"}"#
        }
        // The log is written now: its file's time is now.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        func request(hoursAgo: Int64, id: String) -> String {
            Self.request(verb: "delete", resource: "pods", namespace: "prod", name: "web-1", id: id)
                .replacingOccurrences(of: "2026-11-02T10:00:01.500000Z", with: Timestamp.format(now - hoursAgo * 3_600_000))
        }
        let paired = try check(hooks + [request(hoursAgo: 1, id: "a-1")])
        #expect(paired.findings.filter { $0.rule == "production-change" }.map(\.session) == ["s-hooks"], "\(paired.findings.map(\.reason))")
        #expect(!paired.findings.contains { $0.rule == "k8s-without-harness-record" })
        // Two calls with no time that could both have made it: neither is taken for it.
        let twice = hooks + hooks.map { $0.replacingOccurrences(of: "toolu_1", with: "toolu_2") }
        let tied = try check(twice + [request(hoursAgo: 1, id: "a-3")])
        #expect(tied.findings.filter { $0.rule == "production-change" }.compactMap(\.session).sorted()
                == ["k8s:system:serviceaccount:ci:agent-runner", "s-hooks", "s-hooks"])
        // Two days before (a long hook log's file time says little of when its line was written): the one request it
        // names is still this call's.
        let old = try check(hooks + [request(hoursAgo: 48, id: "a-2")])
        #expect(!old.findings.contains { $0.rule == "k8s-without-harness-record" })
        #expect(old.findings.filter { $0.rule == "production-change" }.map(\.session) == ["s-hooks"])
        // A request of another kind on an object of the same name (a read of the secret web-1) is not the delete's.
        let read = Self.request(verb: "get", resource: "secrets", namespace: "prod", name: "web-1", id: "a-6")
            .replacingOccurrences(of: "2026-11-02T10:00:01.500000Z", with: Timestamp.format(now - 3_600_000))
        let other = try check(hooks + [read])
        #expect(other.findings.filter { $0.rule == "sensitive-read" }.map(\.session) == ["k8s:system:serviceaccount:ci:agent-runner"])
        #expect(other.findings.filter { $0.rule == "production-change" }.map(\.session) == ["s-hooks"])
        // The object deleted twice: the one call made at most one of the deletes, so neither is taken for it.
        let two = try check(hooks + [request(hoursAgo: 48, id: "a-4"), request(hoursAgo: 1, id: "a-5")])
        #expect(two.findings.filter { $0.rule == "production-change" }.count == 3, "\(two.findings.map(\.reason))")
    }

    @Test("undated hook calls: another dated log of the session does not date them; execs into one pod pair by the command each ran")
    func undatedHookCallsBesideDatedLogs() throws {
        let session = "30cc0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13"
        func hooks(_ call: String, _ command: String) -> [String] {
            ["PreToolUse", "PostToolUse"].map { hook in
                #"{"session_id":"\#(session)","cwd":"/home/alice/app","permission_mode":"default","hook_event_name":"\#(hook)","tool_name":"Bash","tool_input":{"command":"\#(command)"},"tool_use_id":"\#(call)"}"#
            }
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        func exec(_ command: String, minutesAgo: Int64, id: String) -> String {
            let query = command.split(separator: " ").map { "command=" + $0.replacingOccurrences(of: "/", with: "%2F") }.joined(separator: "&")
            return Self.request(verb: "create", resource: "pods", namespace: "agents", name: "web-0", subresource: "exec", code: 101, id: id)
                .replacingOccurrences(of: "/api/v1/namespaces/agents/pods/web-0/exec", with: "/api/v1/namespaces/agents/pods/web-0/exec?" + query)
                .replacingOccurrences(of: "2026-11-02T10:00:01.500000Z", with: Timestamp.format(now - minutesAgo * 60_000))
        }
        // The session's first prompt, dated two hours before, in an OTel export: the hook calls ran at any time since.
        let prompt = #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"\#((now - 7_200_000) * 1_000_000)","attributes":[{"key":"event.name","value":{"stringValue":"claude_code.user_prompt"}},{"key":"session.id","value":{"stringValue":"\#(session)"}}]}]}]}]}"#
        let one = try check(hooks("toolu_a", "kubectl exec -n agents web-0 -- ls /app") + [exec("ls /app", minutesAgo: 5, id: "e-1"), prompt])
        #expect(one.findings.filter { $0.rule == "pod-exec" }.map(\.session) == [session], "\(one.findings.map(\.reason))")
        #expect(!one.findings.contains { $0.rule == "k8s-without-harness-record" }, "\(one.findings.map(\.reason))")
        // Two execs into the same pod: each request is the call whose command it ran.
        let two = try check(hooks("toolu_a", "kubectl exec -n agents web-0 -- ls /app")
                            + hooks("toolu_b", "kubectl exec -n agents web-0 -- cat /app/config.yaml")
                            + [exec("ls /app", minutesAgo: 9, id: "e-1"), exec("cat /app/config.yaml", minutesAgo: 8, id: "e-2")])
        #expect(two.findings.filter { $0.rule == "pod-exec" }.map(\.session) == [session, session], "\(two.findings.map(\.reason))")
        #expect(two.actions == 2 && !two.findings.contains { $0.rule == "k8s-without-harness-record" })
    }

    @Test("a harness principal may name the service account alone: agent-runner is system:serviceaccount:ci:agent-runner")
    func accountNamePrincipal() throws {
        let principal = #","principal":"agent-runner""#
        let lines = [hv1("s-1", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"kubectl get secret db -n ci"}\#(principal)"#),
                     hv1("s-1", 2, #""kind":"tool_result","tool":"Bash","call_id":"c-1","outcome":"success"\#(principal)"#),
                     Self.request(verb: "get", resource: "secrets", namespace: "ci", name: "db", second: 3)]
        let result = try check(lines)
        #expect(!result.findings.contains { $0.rule == "k8s-without-harness-record" })
        #expect(result.findings.filter { $0.rule == "sensitive-read" }.map(\.session) == ["s-1"])
    }

    @Test("an exec's read of its pod and the exec itself are the call's: one action")
    func execReadsItsPodFirst() throws {
        let lines = hv1Bash("s-1", 1, "c-1", "kubectl exec -n ci api-0 -- ls")
            + [Self.request(verb: "get", resource: "pods", namespace: "ci", name: "api-0", second: 2, id: "a-1"),
               Self.request(verb: "create", resource: "pods", namespace: "ci", name: "api-0", subresource: "exec", second: 2, code: 101, id: "a-2")]
        let result = try check(lines)
        #expect(result.actions == 1, "\(result.actions)")
        #expect(result.findings.filter { $0.rule == "pod-exec" }.map(\.session) == ["s-1"])
    }

    @Test("a request is placed when the server received it, not when its stage ended")
    func requestTime() throws {
        let exec = Self.request(verb: "get", resource: "pods", namespace: "ci", name: "runner-1", subresource: "exec", code: 101,
                                stageSeconds: 45 * 60)
        let findings = try check([exec]).findings.filter { $0.rule == "pod-exec" }
        #expect(findings.count == 1 && findings.first?.ts == Timestamp.parseISO8601("2026-11-02T10:00:01.500Z"))
    }

    @Test("a binding to cluster-admin is privilege escalation, from either log, and not a high-risk command besides")
    func clusterAdminBinding() throws {
        let binding = Self.request(verb: "create", resource: "clusterrolebindings", namespace: "", name: "agent-admin",
                                   requestObject: #"{"kind":"ClusterRoleBinding","roleRef":{"kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"ServiceAccount","name":"agent-runner","namespace":"ci"}]}"#)
            .replacingOccurrences(of: #""namespace":"","#, with: "")
        let rules = try check([binding]).findings.map(\.rule)
        #expect(rules.contains("permission-change") && !rules.contains("high-risk-command"), "\(rules)")
    }
    @Test("a call that names its object and namespace did not make a list of the whole kind across namespaces; one token call mints one token")
    func namedCallMakesOnlyItsObject() throws {
        let listAll = #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a-2","stage":"ResponseComplete","requestURI":"/api/v1/secrets","verb":"list","user":{"username":"system:serviceaccount:ci:agent-runner"},"userAgent":"kubectl/v1.30.2 (linux/amd64) kubernetes/9d1f2a3","objectRef":{"resource":"secrets","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-11-02T10:00:03.500000Z","stageTimestamp":"2026-11-02T10:00:03.500000Z","annotations":{"authorization.k8s.io/decision":"allow"}}"#
        let lines = hv1Bash("s-1", 1, "c-1", "kubectl get secret db-creds -n ci -o yaml")
            + [Self.request(verb: "get", resource: "secrets", namespace: "ci", name: "db-creds", id: "a-1"), listAll]
        let reads = try check(lines).findings.filter { $0.rule == "sensitive-read" }
        // The call's read (with its audit line), and the list on its own: the call named one secret in one namespace.
        #expect(reads.count == 2, "\(reads.map(\.reason))")
        #expect(reads.contains { $0.session == "s-1" && $0.evidence.map(\.line) == [1, 2, 3] && $0.principal == "system:serviceaccount:ci:agent-runner" })
        #expect(reads.contains { $0.session == "k8s:system:serviceaccount:ci:agent-runner" && $0.evidence.map(\.line) == [4] })
        // Two TokenRequests for one account near one `kubectl create token`: the call minted one; the other is its own finding.
        func token(_ seconds: Int, second: Int, id: String) -> String {
            Self.request(verb: "create", resource: "serviceaccounts", namespace: "ci", name: "deployer", subresource: "token", second: second,
                         id: id, requestObject: #"{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{"expirationSeconds":\#(seconds)}}"#)
        }
        let tokens = hv1Bash("s-2", 1, "c-1", "kubectl create token deployer -n ci --duration=8760h")
            + [token(31_536_000, second: 1, id: "t-1"), token(7_200, second: 40, id: "t-2")]
        let minted = try check(tokens).findings.filter { $0.rule == "long-lived-credential" }
        #expect(minted.count == 2, "\(minted.map(\.reason))")
        #expect(minted.contains { $0.session == "s-2" && $0.reason.contains("365 days") })
        #expect(minted.contains { $0.session == "k8s:system:serviceaccount:ci:agent-runner" && $0.reason.contains("2 h") })
    }

    @Test("a nearby call covers only requests of its kind: an exec no binding, secret read or other pod's exec; a token call no binding; a read no other secret")
    func callsCoverOnlyTheirKind() throws {
        let binding = #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"b-1","stage":"ResponseComplete","requestURI":"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings","verb":"create","user":{"username":"system:serviceaccount:ci:agent-runner"},"userAgent":"kubectl/v1.30.2 (linux/amd64) kubernetes/9d1f2a3","objectRef":{"resource":"clusterrolebindings","name":"pwn","apiGroup":"rbac.authorization.k8s.io","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestReceivedTimestamp":"2026-11-02T10:02:00.100000Z","stageTimestamp":"2026-11-02T10:02:00.200000Z","annotations":{"authorization.k8s.io/decision":"allow"}}"#
        let secret = Self.request(verb: "get", resource: "secrets", namespace: "ci", name: "db-credentials", minute: 2, id: "s-1")
        let otherExec = Self.request(verb: "create", resource: "pods", namespace: "ci", name: "db-0", subresource: "exec", minute: 2, id: "e-2")
        func gaps(_ lines: [String]) throws -> [String] {
            try check(lines).findings.filter { $0.rule == "k8s-without-harness-record" }.map(\.reason)
        }
        let exec = hv1Bash("s-1", 1, "c-1", "kubectl exec -n ci web-0 -- id")
            + [Self.request(verb: "create", resource: "pods", namespace: "ci", name: "web-0", subresource: "exec", id: "e-1")]
        for unrelated in [binding, secret, otherExec] {
            let reasons = try gaps(exec + [unrelated])
            #expect(reasons.count == 1 && !reasons[0].contains("web-0"), "\(reasons)")
        }
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl create token agent-runner -n ci") + [binding]).count == 1)
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl get secret db -n ci") + [secret]).count == 1)
        // What each call does make stays covered.
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl create clusterrolebinding pwn --clusterrole=view --serviceaccount=ci:x") + [binding]).isEmpty)
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl get secret db-credentials -n ci") + [secret]).isEmpty)
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl apply -f rbac/") + [binding]).isEmpty, "a manifest may hold anything")
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "helm upgrade --install api charts/api -n ci") + [secret, binding]).isEmpty)
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl create -f - <<'EOF'\nkind: ClusterRoleBinding\nEOF") + [binding]).isEmpty,
                "a manifest on standard input may hold anything too")
        // An exec into a pod the line works out, or through a workload, reads what it goes through and execs anywhere there.
        let webExec = Self.request(verb: "create", resource: "pods", namespace: "ci", name: "web-7d9f-x2", subresource: "exec", minute: 2, id: "e-3")
        let deployment = Self.request(verb: "get", resource: "deployments", namespace: "ci", name: "web", minute: 2, id: "g-1")
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl exec -n ci deploy/web -- ls") + [deployment, webExec]).isEmpty)
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl exec -n ci $POD -- env") + [webExec]).isEmpty)
        // A change that reads the secrets it names, or removes the pod it ran.
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl edit secret db-credentials -n ci") + [secret]).isEmpty)
        let podDelete = Self.request(verb: "delete", resource: "pods", namespace: "ci", name: "tmp", minute: 2, id: "d-1")
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl run tmp -n ci --rm -i --image=busybox -- true") + [podDelete]).isEmpty)
        // Two secrets named, two read.
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl get secret db db-credentials -n ci") + [secret]).isEmpty)
        // A change makes changes of its kind, and reads only the secrets it names.
        for call in ["kubectl drain node-1 --ignore-daemonsets", "kubectl cordon node-1", "kubectl delete -f x.yaml"] {
            #expect(try gaps(hv1Bash("s-1", 1, "c-1", call) + [binding]).count == 1, "\(call)")
            #expect(try gaps(hv1Bash("s-1", 1, "c-1", call) + [secret]).count == 1, "\(call)")
        }
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl edit secret other -n ci") + [secret]).count == 1)
        // A port-forward forwards: an exec near it is not its.
        let forward = Self.request(verb: "create", resource: "pods", namespace: "ci", name: "db-0", subresource: "portforward", minute: 2, id: "p-1")
        let dbExec = Self.request(verb: "create", resource: "pods", namespace: "ci", name: "db-0", subresource: "exec", minute: 2, second: 5, id: "p-2")
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl port-forward -n ci svc/db 5432") + [forward]).isEmpty)
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl port-forward -n ci svc/db 5432") + [forward, dbExec]).count == 1)
        // What changes nothing in the cluster makes none of its changes.
        for call in ["helm template api charts/api > out.yaml", "kustomize build overlays/prod", "kubectl apply -f rbac/ --dry-run=client"] {
            #expect(try gaps(hv1Bash("s-1", 1, "c-1", call) + [binding]).count == 1, "\(call)")
        }
        // `kubectl get secret db-credentials -w`: the read, then a watch of that one secret by its field selector.
        let watch = #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"w-1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/ci/secrets?fieldSelector=metadata.name%3Ddb-credentials&resourceVersion=5&watch=true","verb":"watch","user":{"username":"system:serviceaccount:ci:agent-runner"},"userAgent":"kubectl/v1.30.2 (linux/amd64) kubernetes/9d1f2a3","objectRef":{"resource":"secrets","namespace":"ci","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-11-02T10:02:00.600000Z","stageTimestamp":"2026-11-02T10:02:00.700000Z","annotations":{"authorization.k8s.io/decision":"allow"}}"#
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl get secret db-credentials -n ci -w") + [secret, watch]).isEmpty)
        #expect(try gaps(hv1Bash("s-1", 1, "c-1", "kubectl get secret db -n ci -w") + [watch]).count == 1)
    }

    @Test("kubectl run -it --rm: its pod's creation, attach and removal are the call's, confirmed with it; an exec into $POD is the call's")
    func runAttachRemove() throws {
        func confirmed(_ command: String) -> [String] {
            [hv1("s-1", 1, #""kind":"tool_call","tool":"Bash","call_id":"c-1","input":{"command":"\#(command)"},"decision":"allow","decision_source":"user""#),
             hv1("s-1", 2, #""kind":"tool_result","tool":"Bash","call_id":"c-1","outcome":"success""#)]
        }
        let run = confirmed("kubectl run tmp -n ci --rm -it --image=busybox -- sh") + [
            Self.request(verb: "create", resource: "pods", namespace: "ci", name: "tmp", minute: 1, id: "r-1"),
            Self.request(verb: "create", resource: "pods", namespace: "ci", name: "tmp", subresource: "attach", minute: 1, second: 3, id: "r-2"),
            Self.request(verb: "delete", resource: "pods", namespace: "ci", name: "tmp", minute: 1, second: 30, id: "r-3"),
        ]
        let findings = try check(run).findings
        #expect(findings.map(\.rule) == ["pod-exec"] && findings[0].session == "s-1", "\(findings.map { "\($0.rule) \($0.session ?? "")" })")
        let exec = hv1Bash("s-1", 1, "c-1", "kubectl exec -n ci $POD -- ls")
            + [Self.request(verb: "create", resource: "pods", namespace: "ci", name: "api-0", subresource: "exec", minute: 1, id: "e-1")]
        let execs = try check(exec).findings.filter { $0.rule == "pod-exec" }
        #expect(execs.count == 1 && execs[0].session == "s-1", "one finding, the call's")
    }
}
