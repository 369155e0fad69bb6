import Foundation
@testable import HarnessAuditKit

/// Paths, temporary stores and helpers shared by the tests.
enum TestSupport {
    /// A committed fixture file.
    static func fixture(_ relative: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// The repository root (for samples/, queries/, README.md).
    static var repositoryRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        fatalError("repository root not found")
    }

    /// A fresh temporary directory, removed by the caller with `cleanup`.
    static func temporaryDirectory(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "harness-audit-tests/\(safe)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func cleanup(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Ingests `paths` into the store at `database`.
    @discardableResult
    static func ingest(_ paths: [String], database: String, maximumLineBytes: Int? = nil) throws -> IngestSummary {
        var options = IngestOptions(databasePath: database)
        if let maximumLineBytes { options.maximumLineBytes = maximumLineBytes }
        return try Ingestor(options: options).run(paths: paths)
    }

    static func statistics(_ database: String) throws -> StoreStatistics {
        try StoreStatistics.load(path: database)
    }

    static func query(_ database: String, _ sql: String, _ bindings: [SQLValue] = []) throws -> [[SQLValue]] {
        let db = try Database(path: database, access: .readOnly)
        return try db.rows(sql, bindings)
    }

    static func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    static func write(_ text: String, to path: String) { write(Array(text.utf8), to: path) }

    /// Decodes lines with a fresh decoder; returns per line the events or the rejection.
    static func decode(_ lines: [String], path: String = "") -> [(events: [EventRecord], rejection: RejectedLine?)] {
        let decoder = LineDecoder()
        decoder.beginSource(path: path)
        var out: [(events: [EventRecord], rejection: RejectedLine?)] = []
        for (index, line) in lines.enumerated() {
            var events: [EventRecord] = []
            let bytes = Array(line.utf8)
            let result = bytes.withUnsafeBytes { decoder.decodeLine($0, number: Int64(index + 1), into: &events) }
            if case .rejected(let rejection) = result {
                out.append(([], rejection))
            } else {
                out.append((events, nil))
            }
        }
        return out
    }

    static func lines(ofFixture relative: String) -> [String] {
        let text = try! String(contentsOfFile: fixture(relative), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    // MARK: The built command-line tool

    static var binaryPath: String {
        #if os(Linux)
        let products = Bundle.main.bundleURL
        #else
        let products = Bundle(for: BundleMarker.self).bundleURL.deletingLastPathComponent()
        #endif
        return products.appendingPathComponent("harness-audit").path
    }

    final class BundleMarker {}

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the tool with `arguments`; `stdin` is written to its standard input.
    static func run(_ arguments: [String], stdin: Data? = nil, currentDirectory: String? = nil,
                    environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["HARNESS_AUDIT_DB"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }
}
