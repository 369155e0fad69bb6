import Foundation
import Testing
@testable import HarnessAuditKit

@Suite("Rule files: parsing and validation")
struct RuleValidationTests {
    static let header = """
        -- id: team-rule
        -- title: A team rule
        -- category: sensitive-read
        -- severity: high
        -- description: What it finds.
        -- rationale: Why it matters.
        -- remediation: What to do.
        -- references: https://example.com/policy
        -- false_positives: None known.
        -- frameworks: soc2=CC6.1; iso27001=A.8.2; nist80053=AC-6(9)

        """
    static let query = "SELECT a.evidence, a.session_id, a.subject, 'why' AS reason FROM actions a WHERE a.tool = 'Read'\n"

    /// Loads one rule file named `team-rule.sql` and returns the error it raises (nil when it loads).
    func loadError(_ text: String, name: String = "team-rule.sql") -> HarnessAuditError? {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        TestSupport.write(text, to: directory + "/" + name)
        do {
            _ = try RuleLoader.directory(directory)
            return nil
        } catch {
            return error
        }
    }

    func expectError(_ text: String, line: Int, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .invalidRule(let file, let errorLine, let message)? = loadError(text) else {
            Issue.record("expected an invalid-rule error", sourceLocation: sourceLocation)
            return
        }
        #expect(file.hasSuffix("team-rule.sql"), sourceLocation: sourceLocation)
        #expect(errorLine == line, "line \(errorLine): \(message)", sourceLocation: sourceLocation)
        #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
    }

    @Test("a valid team rule loads, with its metadata and the line its query starts on")
    func validRule() throws {
        #expect(loadError(Self.header + Self.query) == nil)
        let rule = try RuleParser.parse(Self.header + Self.query, file: "x/team-rule.sql", builtIn: false)
        #expect(rule.sqlLine == 11)
        #expect(rule.metadata.frameworks[.nist80053] == ["AC-6(9)"])
        #expect(rule.metadata.severity == .high)
    }

    @Test("header problems name the line: missing key, unknown key, category, severity, id, duplicate")
    func headerProblems() {
        expectError(Self.header.replacingOccurrences(of: "-- rationale: Why it matters.\n", with: "") + Self.query, line: 1, containing: "lacks `rationale`")
        expectError(Self.header.replacingOccurrences(of: "-- severity: high", with: "-- severity: severe") + Self.query, line: 4, containing: "unknown severity")
        expectError(Self.header.replacingOccurrences(of: "-- category: sensitive-read", with: "-- category: secrets") + Self.query, line: 3, containing: "unknown category")
        expectError(Self.header.replacingOccurrences(of: "-- id: team-rule", with: "-- id: other-rule") + Self.query, line: 1, containing: "does not match its file name")
        expectError(Self.header.replacingOccurrences(of: "-- title: A team rule", with: "-- title: A team rule\n-- owner: sec") + Self.query, line: 3, containing: "unknown header key `owner`")
        expectError(Self.header.replacingOccurrences(of: "-- title: A team rule", with: "-- title: A\n-- title: B") + Self.query, line: 3, containing: "given twice")
        expectError(Self.header, line: 11, containing: "no SQL statement")
    }

    @Test("framework controls are checked against SOC 2, ISO 27001:2022 Annex A and NIST 800-53 rev. 5")
    func frameworkControls() {
        let bad = ["soc2=CC6.9": "CC6.9", "iso27001=A.5.38": "A.5.38", "nist80053=AC-26": "AC-26", "nist80053=XX-1": "XX-1"]
        for (mapping, control) in bad {
            let text = Self.header.replacingOccurrences(of: "soc2=CC6.1; iso27001=A.8.2; nist80053=AC-6(9)",
                                                        with: "soc2=CC6.1; iso27001=A.8.2; nist80053=AC-6; " + mapping) + Self.query
            expectError(text, line: 10, containing: "`\(control)` is not a control")
        }
        expectError(Self.header.replacingOccurrences(of: "; nist80053=AC-6(9)", with: "") + Self.query, line: 10, containing: "lack a mapping to NIST")
        #expect(FrameworkCatalog.isValid("CC9.2", in: .soc2) && !FrameworkCatalog.isValid("CC9.3", in: .soc2))
        #expect(FrameworkCatalog.isValid("A.8.34", in: .iso27001) && !FrameworkCatalog.isValid("A.8.35", in: .iso27001))
        #expect(FrameworkCatalog.isValid("SI-4(2)", in: .nist80053) && !FrameworkCatalog.isValid("SI-4()", in: .nist80053))
    }

    @Test("the query must be one read-only SELECT returning the required columns and known parameters")
    func queryProblems() {
        expectError(Self.header + "DELETE FROM events\n", line: 11, containing: "read-only SELECT")
        expectError(Self.header + "UPDATE events SET seq = 0\n", line: 11, containing: "read-only SELECT")
        expectError(Self.header + "PRAGMA writable_schema = 1\n", line: 11, containing: "read-only SELECT")
        expectError(Self.header + Self.query + "; DELETE FROM events\n", line: 11, containing: "exactly one SQL statement")
        expectError(Self.header + "SELECT a.session_id, a.subject, 'x' AS reason FROM actions a\n", line: 11, containing: "`evidence` column")
        expectError(Self.header + "SELECT a.evidence, a.session_id, a.subject FROM actions a\n", line: 11, containing: "`reason` column")
        expectError(Self.header + "SELECT a.evidence, a.session_id, a.subject, 'x' AS reason FROM actions a WHERE a.ts > :yesterday\n",
                    line: 11, containing: "unknown parameter :yesterday")
    }

    @Test("an SQL error names the line of the rule file it is on")
    func sqlErrorLine() {
        let text = Self.header + "SELECT a.evidence, a.session_id, a.subject,\n       'x' AS reason\nFROM actions a\nWHERE a.no_such_column = 1\n"
        guard case .invalidRule(_, let line, let message)? = loadError(text) else {
            Issue.record("expected an error")
            return
        }
        #expect(message.contains("no such column: a.no_such_column"))
        #expect(line == 14, "line \(line)")
    }

    @Test("a team rule cannot reuse a built-in id; --rules needs rule files")
    func duplicateAndEmpty() {
        let directory = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(directory) }
        let text = Self.header.replacingOccurrences(of: "team-rule", with: "sensitive-read") + Self.query
        TestSupport.write(text, to: directory + "/sensitive-read.sql")
        #expect(throws: HarnessAuditError.self) { try RuleLoader.load(extra: [directory]) }
        let empty = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(empty) }
        #expect(throws: HarnessAuditError.self) { try RuleLoader.directory(empty) }
    }

    @Test("a rule that fails while it runs is named by its file and line")
    func runtimeFailure() throws {
        let (database, directory) = try CheckTestSupport.store(CheckTestSupport.hookLines(tools: [("Read", #"{"file_path":"/home/alice/app/.env"}"#)]))
        defer { TestSupport.cleanup(directory) }
        let rule = try RuleParser.parse(Self.header + "SELECT a.evidence, a.session_id, a.subject, 'x' AS reason FROM actions a\nWHERE ha_targets(a.targets) IS NULL\n",
                                        file: "rules/team-rule.sql", builtIn: false)
        do {
            _ = try CheckTestSupport.check(database, rules: [rule])
            Issue.record("the rule ran")
        } catch let error as HarnessAuditError {
            guard case .invalidRule(let file, let line, let message) = error else {
                Issue.record("not a rule error: \(error)")
                return
            }
            #expect(file == "rules/team-rule.sql" && line == rule.sqlLine && line > 10)
            #expect(message.contains("team-rule") && message.contains("ha_targets takes 3 to 6 arguments"), "\(message)")
        }
    }

    @Test("rules run on a read-only connection: the store cannot change even if a query tried")
    func readOnlyConnection() throws {
        let (database, directory) = try CheckTestSupport.store(CheckTestSupport.hookLines(tools: [("Read", #"{"file_path":"/home/alice/app/.env"}"#)]))
        defer { TestSupport.cleanup(directory) }
        let db = try Database(path: database, access: .readOnly)
        #expect(throws: HarnessAuditError.self) { try db.execute("DELETE FROM events") }
        #expect(throws: HarnessAuditError.self) { try db.execute("CREATE TABLE x(a)") }
        let rule = try RuleParser.parse(Self.header + "SELECT a.evidence, a.session_id, a.subject, 'x' AS reason FROM actions a; DROP TABLE events\n",
                                        file: "team-rule.sql", builtIn: false)
        #expect(throws: HarnessAuditError.self) { try CheckTestSupport.check(database, rules: [rule]) }
        #expect(try TestSupport.query(database, "SELECT count(*) FROM events")[0][0].int64 == 2)
    }
}
