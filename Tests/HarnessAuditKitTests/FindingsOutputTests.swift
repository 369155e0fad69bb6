import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import HarnessAuditKit

@Suite("Findings outputs: text, JSON, SARIF, JUnit, Markdown", .serialized)
struct FindingsOutputTests {
    static let epoch = "1795564800"  // 2026-11-24T00:00:00Z

    /// `check` on the bundled samples, ingested with relative paths from the repository root.
    static func checkSamples(_ format: String, extra: [String] = []) throws -> (TestSupport.Run, String) {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let root = TestSupport.repositoryRoot
        let ingest = try TestSupport.run(["ingest", "--quiet", "--db", directory + "/s.sqlite", "samples"], currentDirectory: root)
        #expect(ingest.status == 0)
        let run = try TestSupport.run(["check", "--db", directory + "/s.sqlite", "--format", format] + extra, currentDirectory: root,
                                      environment: ["SOURCE_DATE_EPOCH": epoch])
        return (run, directory)
    }

    @Test("golden outputs of check on the samples, in every format")
    func golden() throws {
        for (format, name) in [("text", "check-samples.txt"), ("json", "check-samples.json"), ("sarif", "check-samples.sarif"),
                               ("junit", "check-samples.junit.xml"), ("markdown", "check-samples.md")] {
            let (run, _) = try Self.checkSamples(format)
            #expect(run.status == 1, "\(format): \(run.stderr)")
            var output = run.stdout
            if format == "junit" {
                output = output.replacingOccurrences(of: #"time="[0-9.]+""#, with: #"time="0""#, options: .regularExpression)
            }
            Golden.check(output, name)
        }
    }

    @Test("JSON follows DESIGN §5: schemaVersion 1 and every required field of every finding")
    func jsonShape() throws {
        let (run, _) = try Self.checkSamples("json")
        let root = try JSONTree.parse(run.stdout)
        #expect(root["schemaVersion"] == .number(1, integer: true))
        let findings = try #require(root["findings"]?.array)
        #expect(findings.count > 30)
        for finding in findings {
            for key in ["id", "rule", "category", "severity", "title", "reason"] {
                #expect(finding[key]?.string?.isEmpty == false, "missing \(key)")
            }
            #expect(RuleMetadata.categories.contains(finding["category"]?.string ?? ""))
            #expect(finding["session"] != nil && finding["ts"] != nil)
            let evidence = try #require(finding["evidence"]?.array)
            #expect(!evidence.isEmpty)
            for item in evidence {
                #expect(item["file"]?.string?.hasPrefix("samples/") == true)
                #expect((item["line"]?.int ?? 0) >= 1)
            }
        }
        #expect(Set(findings.compactMap { $0["id"]?.string }).count == findings.count, "ids are unique")
    }

    /// The official SARIF 2.1.0 schema: `$SARIF_SCHEMA`, else the shared schemas directory beside the
    /// repository (where CI provides it; `.ci/run` fails without it, so CI never skips this test).
    static var sarifSchema: String? {
        let candidates = [ProcessInfo.processInfo.environment["SARIF_SCHEMA"],
                          TestSupport.repositoryRoot + "/../shared/schemas/sarif-schema-2.1.0.json"]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    @Test("a SARIF log over GitHub's limit of results keeps the most severe and says how many it left out; it still validates",
          .enabled(if: FindingsOutputTests.sarifSchema != nil, "the SARIF 2.1.0 schema is not beside the repository (set SARIF_SCHEMA)"))
    func sarifLimit() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        _ = try TestSupport.ingest([TestSupport.repositoryRoot + "/samples"], database: directory + "/s.sqlite")
        let result = try CheckEngine.run(CheckOptions(databasePath: directory + "/s.sqlite"))
        let total = result.findings.count + result.waived.count
        let critical = result.findings.filter { $0.severity == .critical }.count
        #expect(critical >= 3 && total > 5)
        var text = ""
        SARIFRenderer.write(result, options: FindingsRenderOptions(), limit: 3) { text += $0 }
        let document = try JSONTree.parse(text)
        let validator = try JSONSchemaValidator(schemaPath: try #require(Self.sarifSchema))
        #expect(validator.validate(document).isEmpty)
        let run = try #require(document["runs"]?[0])
        let results = try #require(run["results"]?.array)
        let criticalIDs = Set(result.findings.filter { $0.severity == .critical }.map(\.id))
        #expect(results.count == 3 && results.allSatisfy { criticalIDs.contains($0["partialFingerprints"]?[SARIFRenderer.fingerprintKey]?.string ?? "") })
        #expect(run["properties"]?["resultsOmitted"]?.int == total - 3)
        #expect(run["invocations"]?[0]?["toolExecutionNotifications"]?[0]?["message"]?["text"]?.string?.hasPrefix("\(total - 3) of \(total) findings") == true)
        // Under the limit, nothing is left out and nothing said.
        var whole = ""
        SARIFRenderer.write(result, options: FindingsRenderOptions()) { whole += $0 }
        #expect(!whole.contains("resultsOmitted") && !whole.contains("toolExecutionNotifications"))
    }

    @Test("SARIF validates against the SARIF 2.1.0 schema and carries what GitHub code scanning needs",
          .enabled(if: FindingsOutputTests.sarifSchema != nil, "the SARIF 2.1.0 schema is not beside the repository (set SARIF_SCHEMA)"))
    func sarif() throws {
        let (run, _) = try Self.checkSamples("sarif")
        let document = try JSONTree.parse(run.stdout)
        let schemaPath = try #require(Self.sarifSchema)
        let validator = try JSONSchemaValidator(schemaPath: schemaPath)
        let problems = validator.validate(document)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        // The validator itself rejects what the schema forbids.
        var broken = run.stdout.replacingOccurrences(of: "\"level\": \"error\"", with: "\"level\": \"fatal\"")
        broken = broken.replacingOccurrences(of: #""startLine": [0-9]+"#, with: #""startLine": 0"#, options: .regularExpression)
        let brokenProblems = validator.validate(try JSONTree.parse(broken))
        #expect(brokenProblems.contains { $0.contains("is not one of") } && brokenProblems.contains { $0.contains("below the minimum") })

        let runs = try #require(document["runs"]?.array)
        let rules = try #require(runs[0]["tool"]?["driver"]?["rules"]?.array)
        #expect(rules.count == 20)
        for rule in rules {
            #expect(rule["properties"]?["security-severity"]?.string != nil)
            #expect(rule["help"]?["markdown"]?.string?.isEmpty == false)
        }
        let results = try #require(runs[0]["results"]?.array)
        #expect(results.count > 30)
        for result in results {
            let location = result["locations"]?[0]?["physicalLocation"]
            #expect(location?["artifactLocation"]?["uri"]?.string?.hasPrefix("samples/") == true)
            #expect((location?["region"]?["startLine"]?.int ?? 0) >= 1)
            #expect(result["partialFingerprints"]?[SARIFRenderer.fingerprintKey]?.string?.count == 16)
            #expect(["error", "warning", "note"].contains(result["level"]?.string ?? ""))
        }
        #expect(SARIFRenderer.uri("logs/a b#1.jsonl") == "logs/a%20b%231.jsonl")
        #expect(SARIFRenderer.uri("/var/log/x.jsonl") == "file:///var/log/x.jsonl")
    }

    @Test("JUnit XML parses; one test case per rule, one failure per finding whatever --fail-on says (DESIGN §5)")
    func junit() throws {
        let (run, _) = try Self.checkSamples("junit", extra: ["--fail-on", "critical"])
        #expect(run.status == 1)
        let parser = XMLParser(data: Data(run.stdout.utf8))
        let collector = JUnitCollector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
        #expect(collector.testcases == 20)
        #expect(collector.failures == collector.failureAttribute)
        let (json, _) = try Self.checkSamples("json")
        let findings = try #require(try JSONTree.parse(json.stdout)["findings"]?.array)
        var perRule: [String: Int] = [:]
        for finding in findings { perRule[finding["rule"]?.string ?? "", default: 0] += 1 }
        #expect(collector.failures == findings.count, "every finding is a failure, below --fail-on too")
        #expect(collector.failuresPerRule == perRule)
        #expect(collector.types.isSubset(of: ["critical", "high", "medium", "low", "info"]) && collector.types.count > 1)
    }

    @Test("JUnit: a waived finding is no failure; it shows in the test case's system-out")
    func junitWaived() throws {
        var result = Self.hostileFinding()
        result.waived = result.findings.map { finding in
            var waived = finding
            waived.waiver = Waivers.Waiver(rule: finding.rule, reason: "accepted", owner: "sec-team", expires: "2027-01-31", line: 1)
            return waived
        }
        result.findings = []
        let xml = JUnitRenderer.render(result, options: FindingsRenderOptions())
        let collector = JUnitCollector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        #expect(parser.parse())
        #expect(collector.failures == 0 && collector.failureAttribute == 0)
        #expect(collector.systemOut == 1)
        #expect(xml.contains("waived (sec-team, expires 2027-01-31)"))
    }

    final class JUnitCollector: NSObject, XMLParserDelegate {
        var testcases = 0, failures = 0, systemOut = 0, failureAttribute = -1
        var failuresPerRule: [String: Int] = [:], types: Set<String> = []
        private var testcase = ""
        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch element {
            case "testcase":
                testcases += 1
                testcase = String((attributes["name"] ?? "").prefix { $0 != ":" })
            case "failure":
                failures += 1
                failuresPerRule[testcase, default: 0] += 1
                types.insert(attributes["type"] ?? "")
            case "system-out": systemOut += 1
            case "testsuite": failureAttribute = Int(attributes["failures"] ?? "") ?? -1
            default: break
            }
        }
    }

    static func hostileFinding() -> CheckResult {
        let finding = Finding(id: "0123456789abcdef", rule: "high-risk-command", title: "A high-risk command ran", category: "high-risk-command",
                              severity: .high, reason: "Ran: echo '<script>alert(1)</script>' | tee [x](http://evil) \u{1B}[31mred\u{1B}[0m & done",
                              session: "s|1", ts: 1_795_000_000_000, evidence: [Evidence(file: "logs/<a>&b.jsonl", line: 3, sourceID: 1)],
                              agent: "a\"gent", actor: nil, principal: nil, host: nil, repo: nil, target: nil,
                              command: "echo '<script>' && DB_PASSWORD=hunter22 ./run")
        var result = CheckResult()
        result.findings = [finding]
        result.rules = (try? RuleLoader.builtIn()) ?? []
        return result.redacted(Redactor())
    }

    @Test("text from logs cannot break any output: Markdown, XML, JSON and the terminal are escaped")
    func hostileText() throws {
        let result = Self.hostileFinding()
        let options = FindingsRenderOptions()
        let markdown = FindingsMarkdownRenderer.render(result, options: options)
        #expect(!markdown.contains("<script>") && !markdown.contains("](http://evil)"))
        #expect(markdown.contains("\\<script\\>"))
        let row = markdown.split(separator: "\n").first { $0.contains("high-risk-command") && $0.hasPrefix("|") }.map(String.init) ?? ""
        #expect(row.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 7, "a table row keeps its columns: \(row)")
        let xml = JUnitRenderer.render(result, options: options)
        #expect(XMLParser(data: Data(xml.utf8)).parse())
        #expect(!xml.contains("<script>") && !xml.contains("\u{1B}"))
        let json = FindingsJSONRenderer.render(result, options: options)
        #expect(try JSONTree.parse(json)["findings"]?[0]?["reason"]?.string?.contains("<script>") == true)
        let text = FindingsTextRenderer.render(result, options: options)
        #expect(!text.contains("\u{1B}"), "no escape sequence from logs reaches the terminal")
        for output in [markdown, xml, json, text, SARIFRenderer.render(result, options: options)] {
            #expect(!output.contains("hunter22"), "secrets are redacted in every format")
        }
    }

    @Test("text output uses colour only when asked, and groups by severity")
    func textColour() throws {
        let result = Self.hostileFinding()
        var options = FindingsRenderOptions()
        #expect(!FindingsTextRenderer.render(result, options: options).contains("\u{1B}["))
        options.color = true
        let coloured = FindingsTextRenderer.render(result, options: options)
        #expect(coloured.contains("\u{1B}[31mHIGH (1)\u{1B}[0m"))
    }
}
