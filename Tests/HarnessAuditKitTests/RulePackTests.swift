import Foundation
import Testing
@testable import HarnessAuditKit

@Suite("Built-in rule pack")
struct RulePackTests {
    @Test("every built-in rule raises on each session of its positive fixture and stays silent on its negative one")
    func fixtures() throws {
        let rules = try RuleLoader.builtIn()
        #expect(rules.count >= 20)
        for outcome in try RuleTester.run(rules) {
            #expect(outcome.passed, "\(outcome.rule) \(outcome.kind.rawValue): \(outcome.message)")
            if outcome.rule != "rejected-lines" && outcome.rule != "partial-source" {
                #expect(outcome.rejectedLines == 0, "\(outcome.rule) \(outcome.kind.rawValue) fixture has unreadable lines")
            }
        }
    }

    @Test("a positive fixture's finding carries evidence pointing at lines of the fixture")
    func evidenceOfFixtures() throws {
        for rule in try RuleLoader.builtIn() {
            let outcome = try RuleTester.test(rule, kind: .positive)
            for finding in outcome.findings {
                #expect(!finding.evidence.isEmpty, "\(rule.id): a finding without evidence")
                #expect(finding.evidence.allSatisfy { $0.line >= 1 && $0.file == outcome.fixture }, "\(rule.id)")
                #expect(!finding.reason.isEmpty && finding.reason != rule.metadata.title, "\(rule.id): no specific reason")
            }
        }
    }

    @Test("the pack embedded in the binary is exactly queries/rules")
    func embeddedPackMatchesQueries() throws {
        let root = TestSupport.repositoryRoot
        let enumerator = FileManager.default.enumerator(atPath: root + "/queries/rules")!
        var onDisk: [String: [UInt8]] = [:]
        for case let relative as String in enumerator
        where relative.hasSuffix(".sql") || relative.hasSuffix(".jsonl") || relative.hasSuffix(".jsonl.gz") {
            onDisk["queries/rules/" + relative] = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/queries/rules/" + relative)))
        }
        var embedded: [String: [UInt8]] = [:]
        for (path, text) in BuiltinRulePack.files { embedded[path] = Array(text.utf8) }
        for (path, encoded) in BuiltinRulePack.binaryFiles { embedded[path] = Base64.decode(encoded) }
        #expect(Set(onDisk.keys) == Set(embedded.keys),
                "run `swift run harness-audit-dev embed-rules`: files differ: \(Set(onDisk.keys).symmetricDifference(Set(embedded.keys)).sorted())")
        for (path, bytes) in onDisk {
            let same = embedded[path] == bytes
            #expect(same, "run `swift run harness-audit-dev embed-rules`: \(path) differs from the embedded copy")
        }
    }

    @Test("every category of DESIGN §4 has a rule; every rule maps to all three frameworks")
    func categoriesAndFrameworks() throws {
        let rules = try RuleLoader.builtIn()
        #expect(Set(rules.map(\.metadata.category)) == Set(RuleMetadata.categories))
        for rule in rules {
            for framework in FrameworkCatalog.Framework.allCases {
                #expect(!(rule.metadata.frameworks[framework] ?? []).isEmpty, "\(rule.id) lacks \(framework.title)")
            }
            #expect(!rule.metadata.references.isEmpty && rule.metadata.references.allSatisfy { $0.hasPrefix("https://") }, "\(rule.id)")
        }
    }

    /// Which formats can express each category, and so must raise it (DESIGN §4, reference/log-formats.md):
    /// Kubernetes audit has no shell, files or permission modes; OTel exports have no working directory
    /// except where a tool's arguments carry one (Codex `workdir`, Gemini `dir_path`).
    static let coverage: [String: Set<String>] = {
        let harnesses: Set<String> = ["harness-v1", "claude-hook", "claude-transcript", "codex-rollout", "otlp-logs"]
        let all = harnesses.union(["k8s-audit"])
        return [
            "approval-bypass": harnesses, "unconfirmed-delete": all, "sensitive-read": all, "production-deploy": all,
            "high-risk-command": all, "write-outside-scope": harnesses, "schema-change": harnesses,
            "merge-without-approval": harnesses, "untested-change": harnesses, "k8s-exec": all, "k8s-cross-namespace": all,
            "privilege-escalation": all, "long-lived-credential": all, "audit-gap": ["harness-v1", "k8s-audit"],
        ]
    }()

    @Test("coverage: every category is raised from every format that can express it")
    func coverageMatrix() throws {
        var raised: [String: Set<String>] = [:]
        var fileLevel: Set<String> = []
        for rule in try RuleLoader.builtIn() {
            let outcome = try RuleTester.test(rule, kind: .positive)
            for finding in outcome.findings {
                if let session = finding.session, let format = outcome.sessions[session] {
                    raised[rule.metadata.category, default: []].insert(format)
                } else {
                    fileLevel.insert(rule.id)
                }
            }
        }
        #expect(Set(Self.coverage.keys) == Set(RuleMetadata.categories))
        for (category, formats) in Self.coverage {
            let missing = formats.subtracting(raised[category] ?? [])
            #expect(missing.isEmpty, "\(category) is not raised from \(missing.sorted())")
        }
        #expect(fileLevel == ["rejected-lines", "partial-source"], "whole-file audit gaps: \(fileLevel.sorted())")
    }

    @Test("a benign fleet in every format raises no finding at all")
    func goodFleet() throws {
        let (database, directory) = try CheckTestSupport.store(fixtures: ["rules/good_fleet.jsonl"])
        defer { TestSupport.cleanup(directory) }
        let stats = try TestSupport.statistics(database)
        #expect(stats.rejectedLines == 0)
        #expect(Set(stats.eventsByFormat.map(\.name)) == ["harness-v1", "claude-hook", "claude-transcript", "codex-rollout", "otlp-logs", "k8s-audit"])
        let result = try CheckTestSupport.check(database)
        #expect(result.findings.isEmpty, "\(result.findings.map { "\($0.rule): \($0.reason)" })")
        #expect(result.authorized.isEmpty && result.waived.isEmpty)
        #expect(result.actions > 20)
        #expect(!result.failing(at: .info))
    }

    @Test("the samples raise every category that their scenarios describe")
    func samples() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        try TestSupport.ingest([TestSupport.repositoryRoot + "/samples"], database: directory + "/s.sqlite")
        let result = try CheckTestSupport.check(directory + "/s.sqlite")
        #expect(Set(result.findings.map(\.category)) == Set(RuleMetadata.categories))
        // Blocked attempts are not findings: the rejected force push, the forbidden cluster-admin binding.
        #expect(!result.findings.contains { $0.reason.contains("cluster-admin") })
        #expect(result.blockedAttempts >= 5)
        // The delete the user confirmed through the OTel export is not unconfirmed.
        #expect(!result.findings.contains { $0.rule == "unconfirmed-delete" && $0.reason.contains("build/ dist/") })
        // One mode change logged by both hooks and OTel is one finding.
        #expect(result.findings.filter { $0.rule == "mode-loosened-to-bypass" }.count == 2)
    }
}
