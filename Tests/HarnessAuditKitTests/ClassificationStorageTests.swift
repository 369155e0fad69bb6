import Foundation
import Testing
@testable import HarnessAuditKit

@Suite("Classification storage", .serialized)
struct ClassificationStorageTests {
    /// Ingests the bundled samples once per test into a fresh store.
    func samplesStore() throws -> (String, String) {
        let dir = TestSupport.temporaryDirectory()
        let db = dir + "/store.sqlite"
        try TestSupport.ingest([TestSupport.repositoryRoot + "/samples"], database: db)
        return (dir, db)
    }

    @Test("classes are stored per event and queryable by name through event_classes")
    func classesQueryable() throws {
        let (dir, db) = try samplesStore()
        defer { TestSupport.cleanup(dir) }
        let rows = try TestSupport.query(db, """
            SELECT DISTINCT c.class FROM event_classes c JOIN events_v e ON e.id = c.event_id
            WHERE e.command = 'rm -rf dist && kubectl --context prod apply -f k8s/' ORDER BY 1
            """)
        #expect(rows.map { $0[0].text } == ["delete", "deploy"])
        let deletes = try TestSupport.query(db, "SELECT count(*) FROM event_classes WHERE class = 'delete'")
        #expect((deletes.first?[0].int64 ?? 0) > 0)
    }

    @Test("targets are stored and queryable through event_targets, paths made absolute")
    func targetsQueryable() throws {
        let (dir, db) = try samplesStore()
        defer { TestSupport.cleanup(dir) }
        let hosts = try TestSupport.query(db, "SELECT DISTINCT value FROM event_targets WHERE kind = 'path' AND op = 'write' AND value = '/etc/hosts'")
        #expect(hosts.count == 1)
        let contexts = try TestSupport.query(db, "SELECT DISTINCT value FROM event_targets WHERE kind = 'context' ORDER BY 1")
        #expect(contexts.map { $0[0].text }.contains("prod"))
        let families = try TestSupport.query(db, "SELECT DISTINCT value FROM event_targets WHERE kind = 'command' AND value = 'kubectl apply'")
        #expect(families.count == 1, "command families are stored for drift")
    }

    @Test("production evidence is stored with the event")
    func production() throws {
        let (dir, db) = try samplesStore()
        defer { TestSupport.cleanup(dir) }
        let rows = try TestSupport.query(db, "SELECT DISTINCT prod FROM events WHERE prod IS NOT NULL ORDER BY 1")
        let evidence = rows.compactMap { $0[0].text }
        #expect(evidence.contains { $0.contains("kubectl context prod") })
        #expect(evidence.contains { $0.contains("environment production") })
    }

    @Test("test runs are queryable with their outcome")
    func testRuns() throws {
        let (dir, db) = try samplesStore()
        defer { TestSupport.cleanup(dir) }
        let rows = try TestSupport.query(db, "SELECT runner, outcome FROM test_runs ORDER BY event_id")
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0[0].text != nil })
        #expect(rows.contains { $0[1].text == "success" })
    }

    @Test("the classes index exists and is used for class lookups")
    func index() throws {
        let (dir, db) = try samplesStore()
        defer { TestSupport.cleanup(dir) }
        let indexes = try TestSupport.query(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events' ORDER BY 1")
        #expect(indexes.map { $0[0].text }.contains("events_classes"))
        let plan = try TestSupport.query(db, "EXPLAIN QUERY PLAN SELECT id FROM events WHERE classes <> 0 AND classes & 1 <> 0")
        #expect(plan.contains { ($0.last?.text ?? "").contains("events_classes") })
        let migrations = try TestSupport.query(db, "SELECT name FROM schema_migrations ORDER BY name")
        #expect(migrations.map { $0[0].text } == Schema.migrations.map(\.name))
    }

    @Test("a store created by the first migration is upgraded in place by the second")
    func upgrade() throws {
        let dir = TestSupport.temporaryDirectory()
        defer { TestSupport.cleanup(dir) }
        let db = try Database(path: dir + "/old.sqlite", access: .readWrite)
        try db.execute("CREATE TABLE schema_migrations(name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)")
        try db.execute(Schema.migrations[0].sql)
        try db.execute("INSERT INTO schema_migrations VALUES ('0001_initial_store', 0)")
        try db.execute("PRAGMA application_id=\(Schema.applicationID)")
        #expect(throws: HarnessAuditError.self) { try StoreStatistics.load(path: dir + "/old.sqlite") }
        try TestSupport.ingest([TestSupport.fixture("promises/multi_member.jsonl.gz")], database: dir + "/old.sqlite")
        #expect(try TestSupport.statistics(dir + "/old.sqlite").events == 10)
    }
}
