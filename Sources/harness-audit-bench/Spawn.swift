import Foundation
import HarnessAuditKit
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process and measures its wall time and peak resident memory (`wait4`).
enum Spawn {
    struct Run {
        var status: Int32
        var seconds: Double
        var peakRSSMiB: Double
    }

    static func run(_ argv: [String], stdoutPath: String = "/dev/null") -> Run? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        let started = Date()
        guard posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ) == 0 else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { return nil }
        let seconds = Date().timeIntervalSince(started)
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        // Linux reports ru_maxrss in KiB.
        return Run(status: exitStatus, seconds: seconds, peakRSSMiB: Double(usage.ru_maxrss) / 1024)
    }

    /// Runs a command and returns its standard output (nil on failure).
    static func capture(_ argv: [String]) -> String? {
        let path = NSTemporaryDirectory() + "harness-audit-bench-\(getpid()).out"
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let run = run(argv, stdoutPath: path), run.status == 0 else { return nil }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// Runs a shell command line with `/bin/sh -c`.
    static func shell(_ command: String) -> Run? {
        run(["/bin/sh", "-c", command])
    }
}

/// The machine the figures come from.
enum Machine {
    static var description: String {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let memInfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let memory = memInfo.split(separator: "\n").first { $0.hasPrefix("MemTotal") }?
            .split(separator: " ").compactMap { Int($0) }.first.map { "\($0 / 1_048_576) GiB" } ?? "?"
        return "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores (\(model)), \(memory) RAM; "
            + "SQLite \(HarnessAuditVersion.sqlite)"
    }
}
