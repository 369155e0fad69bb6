import Foundation
import Testing
@testable import HarnessAuditKit

/// The classification table: Tests/HarnessAuditKitTests/Fixtures/classification/cases.jsonl.
/// Each case names a tool and input, the classes it must have (`expect`) and must not have
/// (`forbid`), and optionally the production verdict, a target and a token lifetime.
@Suite("Classification table")
struct ClassificationTableTests {
    struct Case {
        var id: Int
        var tool: String
        var input: String
        var expect: [String]
        var forbid: [String]
        var production: Bool?
        var target: String?
        var lifetime: Int64?
        var branch: String?
    }

    static let cases: [Case] = {
        let text = try! String(contentsOfFile: TestSupport.fixture("classification/cases.jsonl"), encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let input = try! JSONSerialization.data(withJSONObject: object["input"]!, options: [.sortedKeys])
            return Case(id: object["id"] as! Int, tool: object["tool"] as! String,
                        input: String(decoding: input, as: UTF8.self),
                        expect: object["expect"] as! [String], forbid: object["forbid"] as! [String],
                        production: object["prod"] as? Bool, target: object["target"] as? String,
                        lifetime: (object["lifetime"] as? Int).map(Int64.init), branch: object["branch"] as? String)
        }
    }()

    @Test("the table has at least 400 cases, a third of them hard negatives")
    func size() {
        #expect(Self.cases.count >= 400)
        let negatives = Self.cases.filter { !$0.forbid.isEmpty || $0.production == false }.count
        #expect(negatives * 3 >= Self.cases.count, "\(negatives) hard negatives of \(Self.cases.count)")
    }

    @Test("every case classifies as expected")
    func table() {
        let classifier = ActionClassifier()
        var failures: [String] = []
        for c in Self.cases {
            let context = ClassificationContext(cwd: "/home/alice/app", home: "/home/alice", branch: c.branch)
            let result = classifier.classify(tool: c.tool, inputJSON: c.input, context: context)
            let names = Set(result.classes.names)
            var problems: [String] = []
            let missing = c.expect.filter { !names.contains($0) }
            if !missing.isEmpty { problems.append("missing \(missing.joined(separator: ","))") }
            let unwanted = c.forbid.filter { names.contains($0) }
            if !unwanted.isEmpty { problems.append("unwanted \(unwanted.joined(separator: ","))") }
            if let production = c.production, production != result.isProduction {
                problems.append("production \(result.isProduction) \(result.production)")
            }
            if let target = c.target {
                let parts = target.split(separator: ":", maxSplits: 1).map(String.init)
                if !result.targets.contains(where: { $0.kind.rawValue == parts[0] && $0.value == parts[1] }) {
                    problems.append("no target \(target) in \(result.targets.map { "\($0.kind.rawValue):\($0.value)" })")
                }
            }
            if let lifetime = c.lifetime, !result.targets.contains(where: { $0.lifetimeSeconds == lifetime }) {
                problems.append("no credential lifetime \(lifetime)")
            }
            if !problems.isEmpty {
                failures.append("#\(c.id) \(c.tool) \(c.input): \(problems.joined(separator: "; ")) [got \(names.sorted().joined(separator: ","))]")
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) cases failed:\n" + failures.joined(separator: "\n")))
    }
}
