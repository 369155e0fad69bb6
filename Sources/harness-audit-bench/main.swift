import Foundation
import HarnessAuditKit
import HarnessAuditSamples

// The benchmark (README, Performance): `swift run -c release harness-audit-bench [--events N] [--runs R]
// [--scaling] [--skip-python] [--dir DIR]`.
//
// It generates a deterministic corpus (harness-v1 and Claude Code hook sessions, gzip), then runs,
// each in its own process so peak memory is measured alone: ingest into a fresh store, check with
// every built-in rule (over all time, then over the last full month), report, and the classification
// alone. Where python3 has duckdb or sqlite-utils, it loads the same corpus with them in the same run
// and prints the ratios.

// MARK: Worker modes (the bench runs itself in a child process for each measurement)

let arguments = Array(CommandLine.arguments.dropFirst())
if let mode = arguments.first, mode.hasPrefix("__") {
    do {
        switch mode {
        case "__ingest":
            var options = IngestOptions(databasePath: arguments[1])
            options.progress = nil
            let summary = try Ingestor(options: options).run(paths: [arguments[2]])
            print(summary.eventsAdded)
            FileHandle.standardError.write(Data(String(format: "  stages: parse %.2f s busy, write %.2f s busy, wall %.2f s\n",
                                                       summary.parseSeconds, summary.writeSeconds, summary.elapsedSeconds).utf8))
        case "__decode":
            var options = IngestOptions(databasePath: arguments[1])
            options.discardEvents = true
            let summary = try Ingestor(options: options).run(paths: [arguments[2]])
            print(summary.parseSeconds)
            FileHandle.standardError.write(Data(String(format: "  decode only: parse %.2f s busy, wall %.2f s\n",
                                                       summary.parseSeconds, summary.elapsedSeconds).utf8))
        case "__check":
            // `__check STORE [month] [-o FILE]`: what `check --format json -o FILE` does, the rules, redaction
            // and the JSON document streamed to the file (without -o, rendered and dropped).
            var options = CheckOptions(databasePath: arguments[1])
            options.baseline = Baseline()
            let output = arguments.firstIndex(of: "-o").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
            if arguments.dropFirst(2).contains("month") {
                // The report's default period: the last full month in the store, as a periodic audit would check it.
                let period = try ReportPeriod.resolved(nil, store: Database(path: arguments[1], access: .readOnly), now: options.now)
                options.since = period.since
                options.until = period.until
                FileHandle.standardError.write(Data("  check window: \(period.title)\n".utf8))
            }
            var result = try CheckEngine.run(options)
            result.redact(Redactor(enabled: true))
            let file = try output.map { path throws(HarnessAuditError) in try AtomicFile(path: path) }
            FindingsJSONRenderer.write(result, options: FindingsRenderOptions(failOn: .high)) { file?.write($0) }
            try file?.commit()
            print(result.findings.count)
            for (stage, seconds) in result.timings.sorted(by: { $0.seconds > $1.seconds }).prefix(6) {
                FileHandle.standardError.write(Data("  \(stage): \(String(format: "%.2f", seconds)) s\n".utf8))
            }
        case "__report":
            // The default period (the last full month in the corpus, else all of it), Markdown and its charts.
            var options = ReportOptions(check: CheckOptions(databasePath: arguments[1]))
            options.output = arguments[2]
            let report = try ReportBuilder.build(options)
            let document = ReportComposer.compose(report)
            try OutputFile.write(ReportMarkdownRenderer.render(document), to: arguments[2])
            for chart in document.charts {
                try OutputFile.write(chart.svg, to: URL(fileURLWithPath: arguments[2]).deletingLastPathComponent().path + "/" + chart.fileName)
            }
            print(report.current.result.findings.count)
            FileHandle.standardError.write(Data("  report period: \(report.current.period.title)\n".utf8))
            for (stage, seconds) in report.timings {
                FileHandle.standardError.write(Data("  \(stage): \(String(format: "%.2f", seconds)) s\n".utf8))
            }
        case "__classify":
            print(try ClassificationBench.run(path: arguments[1]))
        default:
            exit(2)
        }
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("bench worker: \(error)\n".utf8))
        exit(3)
    }
}

// MARK: Options

struct Settings {
    var events = 2_000_000
    var runs = 3
    var scaling = false
    var python = true
    var directory = ".build/bench"
    var formatLines = 200_000

    init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--events" where index + 1 < arguments.count: index += 1; events = Int(arguments[index]) ?? events
            case "--runs" where index + 1 < arguments.count: index += 1; runs = max(1, Int(arguments[index]) ?? runs)
            case "--scaling": scaling = true
            case "--skip-python": python = false
            case "--dir" where index + 1 < arguments.count: index += 1; directory = arguments[index]
            case "--format-lines" where index + 1 < arguments.count: index += 1; formatLines = max(0, Int(arguments[index]) ?? formatLines)
            default:
                print("usage: harness-audit-bench [--events N] [--runs R] [--scaling] [--skip-python] [--dir DIR] [--format-lines N]")
                exit(2)
            }
            index += 1
        }
    }
}
let settings = Settings(arguments)
let events = settings.events, runs = settings.runs, scaling = settings.scaling, python = settings.python
let directory = settings.directory

let manager = FileManager.default
try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
let me = URL(fileURLWithPath: CommandLine.arguments[0]).path

print(Machine.description)

/// The corpus for `count` events, generated once and reused (its summary is kept beside it).
func corpus(_ count: Int) -> (path: String, summary: BenchCorpus.Summary) {
    let path = "\(directory)/corpus-\(count).jsonl.gz"
    let meta = path + ".meta"
    if manager.fileExists(atPath: path), let text = try? String(contentsOfFile: meta, encoding: .utf8) {
        let parts = text.split(separator: " ").compactMap { Int64($0) }
        if parts.count == 4 {
            return (path, BenchCorpus.Summary(events: Int(parts[0]), sessions: Int(parts[1]), uncompressedBytes: parts[2],
                                              compressedBytes: parts[3]))
        }
    }
    let started = Date()
    guard let summary = BenchCorpus.write(events: count, to: path) else { fatalError("cannot write \(path)") }
    try? "\(summary.events) \(summary.sessions) \(summary.uncompressedBytes) \(summary.compressedBytes)".write(
        toFile: meta, atomically: true, encoding: .utf8)
    print(String(format: "generated %@ in %.1f s", path, Date().timeIntervalSince(started)))
    return (path, summary)
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

struct Measurement {
    var seconds: Double
    var peakRSSMiB: Double
}

/// Runs a command `runs` times; the median time and the largest peak memory.
func measure(_ label: String, runs: Int, prepare: () -> Void = {}, _ argv: [String]) -> Measurement? {
    var times: [Double] = []
    var peak = 0.0
    for _ in 0..<runs {
        prepare()
        guard let run = Spawn.run(argv) else { return nil }
        guard run.status == 0 else {
            print("  \(label): failed (exit \(run.status))")
            return nil
        }
        times.append(run.seconds)
        peak = max(peak, run.peakRSSMiB)
    }
    return Measurement(seconds: median(times), peakRSSMiB: peak)
}

func removeStore(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: path + suffix) }
}

func fileSize(_ path: String) -> Int64 {
    (try? manager.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
}

struct Figures {
    var ingest: Measurement
    var check: Measurement?
    var monthCheck: Measurement?
    var report: Measurement?
    var storeBytes: Int64
}

func runPipeline(_ count: Int) -> (BenchCorpus.Summary, Figures)? {
    let (path, summary) = corpus(count)
    let store = "\(directory)/bench-\(count).sqlite"
    print("\ncorpus: \(Format.grouped(summary.events)) events in \(Format.grouped(summary.sessions)) sessions, "
          + "\(Format.megabytes(summary.uncompressedBytes)) JSONL (\(summary.uncompressedBytes / Int64(max(summary.events, 1))) B/event), "
          + "\(Format.megabytes(summary.compressedBytes)) gzipped")
    guard let ingest = measure("ingest", runs: runs, prepare: { removeStore(store) }, [me, "__ingest", store, path]) else { return nil }
    let storeBytes = fileSize(store) + fileSize(store + "-wal")
    let check = measure("check", runs: runs, [me, "__check", store, "-o", "\(directory)/check-\(count).json"])
    let monthCheck = measure("check, last month", runs: runs, [me, "__check", store, "month", "-o", "\(directory)/check-\(count)-month.json"])
    let report = measure("report", runs: runs, [me, "__report", store, "\(directory)/report-\(count).md"])
    return (summary, Figures(ingest: ingest, check: check, monthCheck: monthCheck, report: report, storeBytes: storeBytes))
}

guard let (summary, figures) = runPipeline(events) else { exit(1) }
let eventsPerSecond = Double(summary.events) / figures.ingest.seconds
let megabytesPerSecond = Double(summary.uncompressedBytes) / 1_048_576 / figures.ingest.seconds
print("\nharness-audit (medians of \(runs) runs)")
print(String(format: "  ingest   %7.2f s  %9@ events/s  %6.1f MB/s (uncompressed)  peak RSS %6.1f MiB",
             figures.ingest.seconds, Format.grouped(Int64(eventsPerSecond)), megabytesPerSecond, figures.ingest.peakRSSMiB))
print(String(format: "  store    %@ = %.2f× the uncompressed input (raw lines kept, compressed)",
             Format.megabytes(figures.storeBytes), Double(figures.storeBytes) / Double(summary.uncompressedBytes)))
if let check = figures.check {
    print(String(format: "  check    %7.2f s  (all built-in rules)  peak RSS %6.1f MiB", check.seconds, check.peakRSSMiB))
}
if let check = figures.monthCheck {
    print(String(format: "  check    %7.2f s  (all built-in rules, --since/--until the last full month)  peak RSS %6.1f MiB",
                 check.seconds, check.peakRSSMiB))
}
if let report = figures.report {
    print(String(format: "  report   %7.2f s  (Markdown and charts, the default period, with the previous one)  peak RSS %6.1f MiB",
                 report.seconds, report.peakRSSMiB))
}

let corpusPath = corpus(events).path
if let run = Spawn.capture([me, "__classify", corpusPath]) {
    print("  classify " + run.trimmingCharacters(in: .whitespacesAndNewlines))
}

if scaling, let (bigSummary, bigFigures) = runPipeline(events * 2) {
    let ratio = bigFigures.ingest.seconds / figures.ingest.seconds
    print(String(format: "\nscaling: %@ events ingest in %.2f s = %.2f× the time of %@ (%.2f× the events)",
                 Format.grouped(bigSummary.events), bigFigures.ingest.seconds, ratio, Format.grouped(summary.events),
                 Double(bigSummary.events) / Double(summary.events)))
    if let big = bigFigures.check, let small = figures.check {
        print(String(format: "         check in %.2f s = %.2f× the time", big.seconds, big.seconds / small.seconds))
    }
    if let big = bigFigures.monthCheck, let small = figures.monthCheck {
        print(String(format: "         check of the last month in %.2f s = %.2f× the time", big.seconds, big.seconds / small.seconds))
    }
    if let big = bigFigures.report, let small = figures.report {
        print(String(format: "         report in %.2f s = %.2f× the time", big.seconds, big.seconds / small.seconds))
    }
    print(String(format: "         peak RSS %.1f MiB (vs %.1f MiB)", bigFigures.ingest.peakRSSMiB, figures.ingest.peakRSSMiB))
}

// Ingest of each other format a fleet ships, on its own corpus (0 lines: skipped).
if settings.formatLines > 0 {
    print("\ningest and check by format (\(Format.grouped(settings.formatLines)) lines each, medians of \(runs) runs)")
    for kind in FormatCorpus.Kind.allCases {
        let corpusDirectory = "\(directory)/formats-\(settings.formatLines)/\(kind.rawValue)"
        let meta = corpusDirectory + ".meta"
        var written: BenchCorpus.Summary?
        if let text = try? String(contentsOfFile: meta, encoding: .utf8) {
            let parts = text.split(separator: " ").compactMap { Int64($0) }
            if parts.count == 4 {
                written = BenchCorpus.Summary(events: Int(parts[0]), sessions: Int(parts[1]), uncompressedBytes: parts[2], compressedBytes: parts[3])
            }
        }
        if written == nil {
            try? manager.removeItem(atPath: corpusDirectory)
            try? manager.createDirectory(atPath: corpusDirectory, withIntermediateDirectories: true)
            written = FormatCorpus.write(kind, lines: settings.formatLines, directory: corpusDirectory)
            if let written {
                try? "\(written.events) \(written.sessions) \(written.uncompressedBytes) \(written.compressedBytes)".write(
                    toFile: meta, atomically: true, encoding: .utf8)
            }
        }
        guard let written else { print("  \(kind.rawValue): cannot write the corpus"); continue }
        let store = corpusDirectory + ".sqlite"
        var times: [Double] = [], peak = 0.0, events: Int64 = 0
        let output = NSTemporaryDirectory() + "harness-audit-bench-\(getpid()).events"
        for _ in 0..<runs {
            removeStore(store)
            guard let run = Spawn.run([me, "__ingest", store, corpusDirectory], stdoutPath: output), run.status == 0 else { break }
            times.append(run.seconds)
            peak = max(peak, run.peakRSSMiB)
            events = Int64((try? String(contentsOfFile: output, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        }
        try? manager.removeItem(atPath: output)
        guard times.count == runs else { print("  \(kind.rawValue): ingest failed"); continue }
        let seconds = median(times)
        func padded(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        print("  " + kind.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)
              + padded(Format.grouped(Int64(written.sessions)), 6) + " files" + padded(Format.grouped(events), 11) + " events"
              + String(format: "  %6.2f s", seconds) + padded(Format.grouped(Int64(Double(events) / seconds)), 10) + " events/s"
              + String(format: "  %6.1f MB/s  peak RSS %6.1f MiB", Double(written.uncompressedBytes) / 1_048_576 / seconds, peak))
        // `check` over each format's store: its sessions have their own shapes (one session per principal holding
        // a whole audit log), where a rule's cost can grow faster than its input.
        if let check = measure("\(kind.rawValue) check", runs: runs, [me, "__check", store, "-o", corpusDirectory + "-check.json"]) {
            print(String(repeating: " ", count: 20) + "check" + String(format: "  %6.2f s", check.seconds)
                  + padded(Format.grouped(Int64(Double(events) / check.seconds)), 10) + " events/s"
                  + String(format: "                peak RSS %6.1f MiB", check.peakRSSMiB))
        }
    }
}

if python {
    PythonComparison.run(corpus: corpusPath, summary: summary, directory: directory, runs: runs, ours: eventsPerSecond,
                         oursRSS: figures.ingest.peakRSSMiB)
}
