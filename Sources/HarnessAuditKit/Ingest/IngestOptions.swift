/// Options of one ingest run.
public struct IngestOptions: Sendable {
    /// The database file; created when missing.
    public var databasePath: String
    /// Lines longer than this are recorded as rejected (`line too long`) without being buffered.
    public var maximumLineBytes: Int = 64 << 20
    /// Lines per batch (one write transaction each).
    public var batchLines: Int = 8192
    /// Bytes of line data per batch.
    public var batchBytes: Int = 1 << 20
    /// How long a second ingester waits for the write lock before failing, in milliseconds.
    public var busyTimeoutMillis: Int32 = 300_000
    /// Called on the writer thread after every batch.
    public var progress: (@Sendable (IngestProgress) -> Void)?
    /// Benchmarks only: read and decode everything but write no event (measures the stages before
    /// the store alone). The store then holds the sources as "ingesting".
    public var discardEvents = false

    public init(databasePath: String) {
        self.databasePath = databasePath
    }
}

/// A snapshot of a running ingest, for progress display.
public struct IngestProgress: Sendable {
    public var filesDone: Int
    public var filesTotal: Int
    public var currentFile: String
    public var bytesRead: Int64
    public var events: Int64
    public var lines: Int64
    public var elapsedSeconds: Double
}
