import CSQLite

/// The tables a statement reads, as SQLite's authorizer reports them while it compiles the statement
/// (a view, and the tables behind it).
extension Database {
    /// One table a statement reads: the schema it lives in (`main`, `temp` or an attached name) and its name.
    public struct TableRead: Hashable, Sendable {
        public var schema: String
        public var table: String
    }

    private final class ReadLog {
        var reads: Set<TableRead> = []
    }

    /// Compiles `sql` (without running it) and returns every table it reads. Throws what preparing it throws.
    public func tablesRead(_ sql: String) throws(HarnessAuditError) -> Set<TableRead> {
        let log = ReadLog()
        let context = Unmanaged.passUnretained(log).toOpaque()
        sqlite3_set_authorizer(handle, { context, action, table, _, schema, _ in
            if action == SQLITE_READ, let context, let table {
                let log = Unmanaged<ReadLog>.fromOpaque(context).takeUnretainedValue()
                log.reads.insert(TableRead(schema: schema.map { String(cString: $0) } ?? "main", table: String(cString: table)))
            }
            return SQLITE_OK
        }, context)
        defer { sqlite3_set_authorizer(handle, nil, nil) }
        // Prepared with the authorizer installed, then dropped: a statement prepared earlier is not reported.
        _ = try prepare(sql)
        return withExtendedLifetime(log) { log.reads }
    }
}
