import Testing
@testable import HarnessAuditKit

/// DESIGN §4: an action the platform refused did not run. The agent's own call counts as refused when it failed, its
/// output is the platform's refusal, and it ran one command.
@Suite("Platform refusals of the agent's own calls")
struct PlatformRefusalTests {
    static let forbidden = "Error from server (Forbidden): secrets \\\"db\\\" is forbidden: User \\\"system:serviceaccount:agents:coder\\\" cannot get resource \\\"secrets\\\""

    static func rollout(command: String, output: String) -> [String] {
        [
            #"{"timestamp":"2026-09-03T09:00:00.000Z","type":"session_meta","payload":{"id":"019fd0e1-0000-7000-8000-00000000f0f1","timestamp":"2026-09-03T09:00:00.000Z","cwd":"/srv/app","originator":"codex_cli_rs","cli_version":"0.150.1"}}"#,
            #"{"timestamp":"2026-09-03T09:00:05.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",\"\#(command)\"]}","call_id":"call_1"}}"#,
            #"{"timestamp":"2026-09-03T09:00:05.400Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_1","output":"\#(output)"}}"#,
        ]
    }

    static func result(_ lines: [String]) -> EventRecord? {
        TestSupport.decode(lines).flatMap(\.events).first { $0.kind == .toolResult }
    }

    @Test("a Codex call of one command that Kubernetes refused is denied, and says why")
    func codexRefused() throws {
        let event = try #require(Self.result(Self.rollout(command: "cd /srv/app && kubectl get secret db -o yaml",
                                                          output: "Exit code: 1\\nOutput:\\n" + Self.forbidden)))
        #expect(event.outcome == .denied)
        #expect(event.attributes?.contains(#""refused":"the Kubernetes API server refused it (Forbidden)""#) == true)
        #expect(event.decision == nil, "the harness allowed it; the platform refused it")
    }

    @Test("an OTel tool_result carries its own command: refused when that one command was, with no call record before it")
    func otelResultRefused() throws {
        func record(_ command: String) -> String {
            #"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"codex_cli_rs"}}]},"scopeLogs":[{"scope":{"name":"codex_otel.log_only"},"logRecords":[{"timeUnixNano":"1788000001000000000","attributes":["#
                + #"{"key":"event.name","value":{"stringValue":"codex.tool_result"}},{"key":"conversation.id","value":{"stringValue":"c-otel"}},"#
                + #"{"key":"tool_name","value":{"stringValue":"exec_command"}},{"key":"call_id","value":{"stringValue":"call_e1"}},"#
                + #"{"key":"arguments","value":{"stringValue":"{\"cmd\": \"\#(command)\", \"workdir\": \"/home/carol/c\"}"}},"#
                + #"{"key":"success","value":{"stringValue":"false"}},{"key":"output","value":{"stringValue":"\#(Self.forbidden)"}}]}]}]}]}"#
        }
        let refused = try #require(Self.result([record("kubectl --context prod delete deploy web")]))
        #expect(refused.outcome == .denied)
        let ran = try #require(Self.result([record("rm -rf data; kubectl --context prod delete deploy web")]))
        #expect(ran.outcome == .failure, "the rm ran whatever Kubernetes said")
    }

    @Test("a refusal after another command is no refusal of the call: the other command ran")
    func twoCommands() throws {
        let event = try #require(Self.result(Self.rollout(command: "rm -rf /srv/data; kubectl get secret db -o yaml",
                                                          output: "Exit code: 1\\nOutput:\\n" + Self.forbidden)))
        #expect(event.outcome == .failure)
    }

    @Test("a partial refusal is no refusal: output that shows work done means the call ran")
    func partialRefusals() throws {
        let deleted = try #require(Self.result(Self.rollout(command: "kubectl --context prod delete -f k8s/",
            output: "Exit code: 1\\nOutput:\\ndeployment.apps \\\"web\\\" deleted\\nservice \\\"web\\\" deleted\\n" + Self.forbidden)))
        #expect(deleted.outcome == .failure)
        #expect(PlatformRefusal.reason(in: "delete: s3://shop-prod-data/a.csv\nAn error occurred (AccessDenied) when calling the DeleteObject operation") == nil)
        #expect(PlatformRefusal.reason(in: "aws_db_instance.main: Destroying...\nError: deleting S3 Bucket: AccessDenied: HTTP 403") == nil)
        #expect(PlatformRefusal.reason(in: "Exit code 1\nError from server (Forbidden): pods is forbidden: User \"x\" cannot list") != nil)
    }

    @Test("a refusal the agent printed itself is none: echo is a command of its own")
    func printedRefusal() throws {
        let event = try #require(Self.result(Self.rollout(command: "echo 'Error from server (Forbidden)' && rm -rf /srv/data && false",
                                                          output: "Exit code: 1\\nOutput:\\n" + "Error from server (Forbidden)")))
        #expect(event.outcome == .failure)
        #expect(PlatformRefusal.isSingleCommand("kubectl delete pod x 2>&1 | tee out.log"))
        #expect(PlatformRefusal.isSingleCommand("kubectl delete pod x || echo failed"))
        #expect(!PlatformRefusal.isSingleCommand("kubectl delete pod x | tail -5"), "tail may have cut the lines that show work done")
    }

    @Test("a failure without a refusal stays a failure; a success that prints a refusal's words stays a success")
    func notRefusals() throws {
        let failed = try #require(Self.result(Self.rollout(command: "kubectl get secret db -o yaml",
                                                           output: "Exit code: 1\\nOutput:\\nerror: the server doesn't have a resource type")))
        #expect(failed.outcome == .failure)
        let printed = try #require(Self.result(Self.rollout(command: "grep -r Forbidden logs/",
                                                            output: "Exit code: 0\\nOutput:\\nlogs/a: " + Self.forbidden)))
        #expect(printed.outcome == .success)
    }

    @Test("the phrases: Kubernetes, HTTP, clouds, databases, git hosts, SSH; ordinary errors are none")
    func phrases() {
        #expect(PlatformRefusal.reason(in: "GraphQL: Resource not accessible by integration (mergePullRequest) HTTP 403") != nil)
        // `gh pr merge` refused without a status code: the token's permission, branch protection.
        #expect(PlatformRefusal.reason(in: "Exit code 1\nGraphQL: Resource not accessible by integration (mergePullRequest)") != nil)
        #expect(PlatformRefusal.reason(in: "Exit code 1\nX Pull request acme/app#43 is not mergeable: the base branch policy prohibits the merge.\n"
                                           + "To have the pull request merged after all the requirements have been met, add the `--auto` flag.") != nil)
        #expect(PlatformRefusal.reason(in: "✓ Merged pull request #43\nRequired status check \"ci\" was skipped") == nil,
                "a merge that happened, whatever else it says")
        #expect(PlatformRefusal.reason(in: "An error occurred (AccessDenied) when calling the DeleteObject operation") != nil)
        #expect(PlatformRefusal.reason(in: "ERROR:  permission denied for table orders") != nil)
        #expect(PlatformRefusal.reason(in: "remote: error: GH006: Protected branch update failed for refs/heads/main.") != nil)
        #expect(PlatformRefusal.reason(in: "git@github.com: Permission denied (publickey).") != nil)
        #expect(PlatformRefusal.reason(in: "rm: cannot remove '/etc/hosts': Permission denied") == nil,
                "a local permission error: rm -rf may have deleted other files before it")
        #expect(PlatformRefusal.reason(in: "npm ERR! code E404") == nil)
        #expect(PlatformRefusal.isSingleCommand("cd /srv/app && gh pr merge 7 --squash"))
        #expect(!PlatformRefusal.isSingleCommand("git push origin main && gh pr merge 7"))
        #expect(!PlatformRefusal.isSingleCommand("kubectl get secret $(cat name)"))
    }
}
