import Foundation
import Testing
@testable import HarnessAuditKit

/// A check over a fleet's logs can hold tens of thousands of findings: they are sorted out in place,
/// and JSON and SARIF documents are streamed to their file in pieces instead of held whole.
@Suite("Large results: findings sorted out in place, documents streamed")
struct LargeResultTests {
    static func finding(_ index: Int, rule: String = "sensitive-read", severity: Severity = .high) -> Finding {
        Finding(id: String(format: "%016x", index), rule: rule, title: "A sensitive file was read", category: rule,
                severity: severity, reason: "Read /home/u/.ssh/id_\(index)", session: "s-\(index % 7)", ts: Int64(1_000 + index % 13),
                evidence: [Evidence(file: "logs/agent-\(index % 3).jsonl.gz", line: Int64(index + 1), sourceID: 1, eventID: Int64(index))],
                agent: "agent-\(index % 2)", actor: "alice@corp.com", principal: nil, host: "h", repo: "acme/app",
                target: "/home/u/.ssh/id_\(index)", command: "cat /home/u/.ssh/id_\(index)")
    }

    static func result(_ count: Int) -> CheckResult {
        var result = CheckResult()
        result.findings = (0..<count).map { finding($0, severity: $0 % 5 == 0 ? .critical : .high) }.sorted(by: CheckEngine.order)
        result.waived = [finding(count + 1)]
        return result
    }

    @Test("the baseline, waivers and --new-only sort one list in place: nothing lost, each list in finding order")
    func policyPartition() throws {
        let findings = (0..<40).map { Self.finding($0, rule: $0 % 4 == 0 ? "schema-change" : "sensitive-read") }
        var options = CheckOptions(databasePath: ":memory:")
        options.baseline.authorizations = [Baseline.Authorization(category: "schema-change", agent: "agent-0", reason: "migrations", line: 3)]
        options.baseline.severities = ["sensitive-read": .medium]
        options.waivers.waivers = [
            Waivers.Waiver(findingID: String(format: "%016x", 5), reason: "known", owner: "sec", ticket: "SEC-1",
                           expires: "2999-01-01", expiresMillis: Clock.nowMillis() + 86_400_000, line: 2),
            Waivers.Waiver(findingID: String(format: "%016x", 6), reason: "no owner", line: 9),
        ]
        options.previousFindingIDs = [String(format: "%016x", 7), String(format: "%016x", 8)]
        var result = CheckResult()
        CheckEngine.applyPolicy(findings, options: options, to: &result)

        // Every fourth finding is a schema change, all by agent-0: authorized.
        let authorized = findings.filter { $0.rule == "schema-change" && $0.agent == "agent-0" }.map(\.id)
        #expect(Set(result.authorized.map(\.id)) == Set(authorized))
        #expect(result.authorized.allSatisfy { $0.authorization?.reason == "migrations" && $0.waiver == nil })
        #expect(result.waived.map(\.id) == [String(format: "%016x", 5)])
        #expect(result.waived[0].waiver?.ticket == "SEC-1" && result.waived[0].authorization == nil)
        #expect(result.invalidWaivers.map(\.1) == ["it has no owner"])
        #expect(result.unusedWaivers.isEmpty)
        // 8 is authorized first, so only 7 counts as reported before.
        #expect(result.previouslyReported == 1)
        #expect(result.findings.count + result.waived.count + result.authorized.count + result.previouslyReported == findings.count)
        // Kept: the sensitive reads that are neither waived (5) nor reported before (7), all medium now, by time then id.
        let kept = findings.filter { $0.rule == "sensitive-read" && !["0000000000000005", "0000000000000007"].contains($0.id) }
            .sorted { ($0.ts ?? 0, $0.id) < ($1.ts ?? 0, $1.id) }
        #expect(result.findings.map(\.id) == kept.map(\.id))
        #expect(result.findings.allSatisfy { $0.rule != "sensitive-read" || $0.severity == .medium })
        #expect(result.authorized.map(\.id) == result.authorized.sorted(by: CheckEngine.order).map(\.id))
    }

    @Test("a finding keeps its waiver and its authorization apart; setting one leaves the other")
    func acceptanceFields() {
        var finding = Self.finding(1)
        #expect(finding.waiver == nil && finding.authorization == nil)
        let waiver = Waivers.Waiver(findingID: finding.id, reason: "r", owner: "o", line: 1)
        let authorization = Baseline.Authorization(category: "sensitive-read", reason: "a", line: 2)
        finding.waiver = waiver
        finding.authorization = authorization
        #expect(finding.waiver == waiver && finding.authorization == authorization)
        let copy = finding
        finding.waiver = nil
        #expect(finding.waiver == nil && finding.authorization == authorization)
        #expect(copy.waiver == waiver)
        finding.authorization = nil
        #expect(finding.waiver == nil && finding.authorization == nil)
    }

    @Test("JSON and SARIF are streamed in pieces of about 64 KiB whose concatenation is the rendered document", arguments: ["json", "sarif"])
    func streamedDocuments(format: String) throws {
        let result = Self.result(3_000)
        let options = FindingsRenderOptions(failOn: .high)
        var pieces: [String] = []
        if format == "json" {
            FindingsJSONRenderer.write(result, options: options) { pieces.append($0) }
        } else {
            SARIFRenderer.write(result, options: options) { pieces.append($0) }
        }
        let whole = format == "json" ? FindingsJSONRenderer.render(result, options: options) : SARIFRenderer.render(result, options: options)
        #expect(pieces.count > 10)
        #expect(pieces.joined() == whole)
        // Read back: every finding, in order, with its texts whole (no piece lost or cut inside a finding).
        let document = try #require(try JSONSerialization.jsonObject(with: Data(pieces.joined().utf8)) as? [String: Any])
        let items: [[String: Any]]
        if format == "json" {
            items = try #require(document["findings"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == result.findings.map(\.id))
            #expect(items.map { $0["reason"] as? String } == result.findings.map(\.reason))
        } else {
            let runs = try #require(document["runs"] as? [[String: Any]])
            items = try #require(runs.first?["results"] as? [[String: Any]])
            let messages = items.map { ($0["message"] as? [String: Any])?["text"] as? String }
            #expect(messages.count == 3_001)
            #expect(zip(messages, result.findings).allSatisfy { $0?.contains($1.reason) == true })
        }
        // A piece is handed over once it reaches 64 KiB, so none is more than that plus one finding.
        #expect(pieces.allSatisfy { $0.utf8.count < 64 * 1024 + 4 * 1024 })
        let parsed = try JSONSerialization.jsonObject(with: Data(whole.utf8)) as? [String: Any]
        if format == "json" {
            #expect((parsed?["findings"] as? [Any])?.count == 3_000)
            #expect((parsed?["waived"] as? [Any])?.count == 1)
        } else {
            let runs = parsed?["runs"] as? [[String: Any]]
            #expect((runs?.first?["results"] as? [Any])?.count == 3_001)
        }
    }

    @Test("an atomic file shows nothing until it is committed, and one never committed leaves no trace")
    func atomicFile() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let target = directory + "/findings.json"
        try OutputFile.write("old", to: target)

        let file = try AtomicFile(path: target)
        file.write("{\"a\":")
        file.write("1}\n")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old")
        try file.commit()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "{\"a\":1}\n")
        #expect(throws: HarnessAuditError.self) { try file.commit() }

        do {
            let abandoned = try AtomicFile(path: target)
            abandoned.write("half a docu")
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "{\"a\":1}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["findings.json"])
    }

    @Test("a file replaced keeps its permissions exactly; a new one gets the default")
    func atomicFileKeepsMode() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        for mode in [0o600, 0o664, 0o640] as [Int] {
            let target = directory + "/private-\(mode).json"
            try OutputFile.write("old", to: target)
            #expect(chmod(target, mode_t(mode)) == 0)
            try OutputFile.write("{}", to: target)
            let attributes = try FileManager.default.attributesOfItem(atPath: target)
            #expect((attributes[.posixPermissions] as? Int) == mode, "mode \(String(mode, radix: 8))")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "{}")
        }
        let fresh = directory + "/new.json"
        try OutputFile.write("{}", to: fresh, mode: 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: fresh)[.posixPermissions] as? Int) == 0o600)
    }

    @Test("/dev/fd/N and /dev/stdout are the process's own descriptors: written as opened (appended to here), never replaced")
    func atomicFileIntoOwnDescriptor() throws {
        #expect(AtomicFile.streamDescriptor("/dev/stdout") == 1 && AtomicFile.streamDescriptor("/dev/stderr") == 2)
        #expect(AtomicFile.streamDescriptor("/proc/self/fd/7") == 7 && AtomicFile.streamDescriptor("/dev/fd/x") == nil)
        #expect(AtomicFile.streamDescriptor("/tmp/dev/stdout") == nil)
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let log = directory + "/job.log"
        try OutputFile.write("earlier output\n", to: log)
        // As a shell's `>> job.log` would open it.
        let fd = open(log, O_WRONLY | O_APPEND)
        #expect(fd >= 0)
        let file = try AtomicFile(path: "/dev/fd/\(fd)")
        #expect(file.temporary == nil)
        file.write("{\"findings\":[]}\n")
        try file.commit()
        close(fd)
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "earlier output\n{\"findings\":[]}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["job.log"])
    }

    @Test("a symbolic link is replaced, never written through, and the new file takes the permissions of the one it pointed to")
    func atomicFileOverLink() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let private_ = directory + "/private.json"
        try OutputFile.write("private", to: private_, mode: 0o600)
        try FileManager.default.createSymbolicLink(atPath: directory + "/findings.json", withDestinationPath: private_)
        try OutputFile.write("{}", to: directory + "/findings.json")
        #expect(try String(contentsOfFile: private_, encoding: .utf8) == "private", "the file the link pointed to is untouched")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/findings.json")
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        #expect(try String(contentsOfFile: directory + "/findings.json", encoding: .utf8) == "{}")
    }

    @Test("a named pipe is written straight to and stays a pipe; nothing is created beside it")
    func atomicFileIntoPipe() throws {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let pipe = directory + "/findings.fifo"
        #expect(mkfifo(pipe, 0o600) == 0)
        // The reader's end first, so opening the writer's end does not wait.
        let reader = open(pipe, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let file = try AtomicFile(path: pipe)
        #expect(file.temporary == nil)
        file.write("{\"findings\":")
        file.write("[]}\n")
        try file.commit()
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        #expect(count > 0 && String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self) == "{\"findings\":[]}\n")
        var info = stat()
        #expect(stat(pipe, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["findings.fifo"])
    }

    @Test("a file whose directory goes away before commit fails with the path named, and the target is not created")
    func atomicFileFailure() throws {
        let directory = TestSupport.temporaryDirectory()
        let target = directory + "/out.sarif"
        let file = try AtomicFile(path: target)
        file.write("{}")
        try FileManager.default.removeItem(atPath: directory)
        do {
            try file.commit()
            Issue.record("commit succeeded in a removed directory")
        } catch {
            #expect("\(error)".contains(target))
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
