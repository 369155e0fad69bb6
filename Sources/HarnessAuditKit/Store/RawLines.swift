/// Reads raw lines back from the store's compressed blocks, byte for byte as they were
/// in the decompressed input (without the newline).
public enum RawLines {
    /// Every stored line of a source, in order.
    public static func lines(in db: Database, sourceID: Int64) throws(HarnessAuditError) -> [[UInt8]] {
        let statement = try db.prepare("""
            SELECT first_line, line_count, raw_size, data FROM raw_blocks WHERE source_id = ? ORDER BY first_line
            """)
        try statement.bind(1, sourceID)
        var byLine: [Int64: [UInt8]] = [:]
        var maxLine: Int64 = 0
        while try statement.step() {
            let first = statement.int64(0) ?? 1
            let lines = try split(try decompress(statement), expected: Int(statement.int64(1) ?? 0))
            for (offset, line) in lines.enumerated() {
                byLine[first + Int64(offset)] = line
                maxLine = max(maxLine, first + Int64(offset))
            }
        }
        guard maxLine > 0 else { return [] }
        return (1...maxLine).map { byLine[$0] ?? [] }
    }

    /// One stored line, or nil when no block holds it.
    public static func line(in db: Database, sourceID: Int64, line: Int64) throws(HarnessAuditError) -> [UInt8]? {
        let statement = try db.prepare("""
            SELECT first_line, line_count, raw_size, data FROM raw_blocks
            WHERE source_id = ? AND first_line <= ? ORDER BY first_line DESC LIMIT 1
            """)
        try statement.bind([.integer(sourceID), .integer(line)])
        guard try statement.step() else { return nil }
        let first = statement.int64(0) ?? 1
        let count = statement.int64(1) ?? 0
        guard line < first + count else { return nil }
        let lines = try split(try decompress(statement), expected: Int(count))
        let index = Int(line - first)
        return index < lines.count ? lines[index] : nil
    }

    private static func decompress(_ statement: Statement) throws(HarnessAuditError) -> [UInt8] {
        let rawSize = Int(statement.int64(2) ?? 0)
        let data = statement.blob(3) ?? []
        try Zstd.requireLibrary()
        do {
            return try data.withUnsafeBytes { try Zstd.decompress($0, expectedSize: rawSize) }
        } catch {
            throw .database(code: 0, message: "a raw block is corrupt: \(error)", sql: nil)
        }
    }

    private static func split(_ block: [UInt8], expected: Int) throws(HarnessAuditError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        lines.reserveCapacity(expected)
        var start = 0
        for (index, byte) in block.enumerated() where byte == 0x0A {
            lines.append(Array(block[start..<index]))
            start = index + 1
        }
        return lines
    }
}
