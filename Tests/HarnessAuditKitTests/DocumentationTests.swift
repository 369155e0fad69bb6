import Foundation
import Testing
@testable import HarnessAuditKit

/// The README and samples/README show commands, files and numbers; these tests keep them true.
@Suite("Documentation stays true")
struct DocumentationTests {
    static var readme: String { try! String(contentsOfFile: TestSupport.repositoryRoot + "/README.md", encoding: .utf8) }

    /// The fenced blocks of a Markdown text with the given info string.
    static func blocks(_ text: String, language: String) -> [String] {
        var out: [String] = []
        var current: [Substring]?
        var indent = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if current == nil, trimmed == "```" + language {
                current = []
                indent = line.count - trimmed.count
            } else if current != nil, trimmed == "```" {
                out.append(current!.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }.joined(separator: "\n") + "\n")
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return out
    }

    @Test("the quick start is exactly two commands: the audit of the samples and the tests")
    func quickStart() {
        let section = Self.readme.components(separatedBy: "## Quick start")[1].components(separatedBy: "## ")[0]
        #expect(Self.blocks(section, language: "sh") == ["swift run harness-audit audit samples/\nswift test\n"])
    }

    @Test("the README's baseline, waivers and rule examples are valid")
    func examples() throws {
        let yaml = Self.blocks(Self.readme, language: "yaml")
        let baseline = try #require(yaml.first { $0.hasPrefix("version: 1") })
        let parsed = try Baseline.parse(baseline, file: "README.md")
        #expect(parsed.authorizations.count == 2 && parsed.maxTokenLifetimeSeconds == 8 * 3600)
        // The delete example covers a build's dependencies anywhere, and nothing else.
        func delete(_ path: String) -> Finding {
            Finding(id: "0123456789abcdef", rule: "unconfirmed-delete", title: "t", category: "unconfirmed-delete", severity: .high,
                    reason: "r", session: "s", ts: nil, evidence: [], agent: "a", actor: nil, principal: nil, host: nil, repo: nil,
                    target: path, command: "rm -rf \(path)")
        }
        #expect(CheckEngine.authorizes(parsed.authorizations[1], delete("/srv/app/node_modules")))
        #expect(!CheckEngine.authorizes(parsed.authorizations[1], delete("/srv/app/src")))
        let allowed = try #require(yaml.first { $0.hasPrefix("allowed:") })
        let entries = try Baseline.parse("version: 1\n" + allowed, file: "README.md").allowed
        #expect(entries.count == 1 && entries[0].lists.count == CapabilityKind.allCases.count)
        let waivers = try #require(yaml.first { $0.hasPrefix("waivers:") })
        #expect(try Waivers.parse(waivers, file: "README.md").waivers.count == 2)
        let sql = try #require(Self.blocks(Self.readme, language: "sql").first)
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        TestSupport.write(sql, to: directory + "/terraform-destroy-anywhere.sql")
        #expect(try RuleLoader.directory(directory).first?.metadata.severity == .critical)
    }

    @Test("the example baseline and waivers in samples/ load and do what samples/README says")
    func sampleExamples() throws {
        let root = TestSupport.repositoryRoot + "/samples/"
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        try TestSupport.ingest([root], database: directory + "/s.sqlite")
        var options = CheckOptions(databasePath: directory + "/s.sqlite")
        options.now = Timestamp.millis(year: 2026, month: 11, day: 24)
        options.baseline = try Baseline.load(explicit: root + "harness-audit.example.yml")
        options.waivers = try Waivers.load(root + "waivers.example.yml")
        let result = try CheckEngine.run(options)
        #expect(result.authorized.count == 1)
        #expect(result.waived.count == 2)
        #expect(result.invalidWaivers.count == 1 && result.invalidWaivers[0].problem.contains("expired"))
        #expect(result.findings.contains { $0.rule == "untested-change" && $0.severity == .low })
    }

    @Test("samples/README's table of findings matches what check finds")
    func samplesTable() throws {
        let text = try String(contentsOfFile: TestSupport.repositoryRoot + "/samples/README.md", encoding: .utf8)
        var documented: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") && line.hasSuffix("|") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count == 2, let count = Int(cells[1]) { documented[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = count }
        }
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        try TestSupport.ingest([TestSupport.repositoryRoot + "/samples"], database: directory + "/s.sqlite")
        let result = try CheckTestSupport.check(directory + "/s.sqlite")
        var actual: [String: Int] = [:]
        for finding in result.findings { actual[finding.category, default: 0] += 1 }
        #expect(documented == actual)
        #expect(text.contains("\(result.findings.count) findings with the built-in policy"))
    }
}
