import Foundation
import HarnessAuditKit
import HarnessAuditSamples

/// DuckDB and sqlite-utils on the same corpus, in the same run, when python3 has them.
enum PythonComparison {
    static func available(_ module: String) -> Bool {
        Spawn.shell("python3 -c 'import \(module)' >/dev/null 2>&1")?.status == 0
    }

    static func run(corpus: String, summary: BenchCorpus.Summary, directory: String, runs: Int, ours: Double, oursRSS: Double) {
        print("\ncomparisons on the same corpus (same run)")
        if available("duckdb") {
            let database = "\(directory)/duckdb-bench.duckdb"
            // The columns both formats share, typed; JSON columns for the tool inputs.
            let script = """
                import duckdb, os, sys
                path, db = sys.argv[1], sys.argv[2]
                if os.path.exists(db): os.remove(db)
                con = duckdb.connect(db)
                cols = {'schema':'VARCHAR','ts':'VARCHAR','timestamp':'VARCHAR','seq':'BIGINT','session_id':'VARCHAR',
                        'kind':'VARCHAR','hook_event_name':'VARCHAR','agent':'VARCHAR','actor':'VARCHAR','host':'VARCHAR',
                        'repo':'VARCHAR','cwd':'VARCHAR','tool':'VARCHAR','tool_name':'VARCHAR','call_id':'VARCHAR',
                        'tool_use_id':'VARCHAR','permission_mode':'VARCHAR','decision':'VARCHAR','decision_source':'VARCHAR',
                        'outcome':'VARCHAR','input':'JSON','tool_input':'JSON','prev_hash':'VARCHAR'}
                con.execute("CREATE TABLE events AS SELECT * FROM read_ndjson(?, columns=" + repr(cols) + ")", [path])
                print(con.execute("SELECT count(*) FROM events").fetchone()[0])
                """
            let scriptPath = "\(directory)/duckdb-bench.py"
            try? script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
            if let duck = measure(runs: runs, ["/usr/bin/env", "python3", scriptPath, corpus, database]) {
                let rate = Double(summary.events) / duck.seconds
                print(String(format: "  DuckDB (python, read_ndjson, 23 columns)  %7.2f s  %9@ events/s  peak RSS %6.1f MiB",
                             duck.seconds, Format.grouped(Int64(rate)), duck.peakRSSMiB))
                print(String(format: "  harness-audit / DuckDB: %.2f× the speed, %.2f× the memory", ours / rate, oursRSS / duck.peakRSSMiB))
            }
            for suffix in ["", ".wal"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        } else {
            print("  DuckDB: python3 has no duckdb module (pip install duckdb); skipped")
        }
        if Spawn.shell("command -v sqlite-utils >/dev/null 2>&1")?.status == 0 {
            // sqlite-utils is slow: a 200,000-event prefix of the corpus gives its rate.
            let count = min(200_000, summary.events)
            let database = "\(directory)/sqlite-utils-bench.sqlite"
            try? FileManager.default.removeItem(atPath: database)
            let command = "gzip -dc '\(corpus)' | head -n \(count) | sqlite-utils insert '\(database)' events - --nl --alter"
            if let run = Spawn.shell(command), run.status == 0 {
                let rate = Double(count) / run.seconds
                print(String(format: "  sqlite-utils insert --nl --alter (%@ events)  %7.2f s  %9@ events/s",
                             Format.grouped(count), run.seconds, Format.grouped(Int64(rate))))
                print(String(format: "  harness-audit / sqlite-utils: %.1f× the speed", ours / rate))
            }
            try? FileManager.default.removeItem(atPath: database)
        } else {
            print("  sqlite-utils: not installed (pip install sqlite-utils); skipped")
        }
    }

    static func measure(runs: Int, _ argv: [String]) -> (seconds: Double, peakRSSMiB: Double)? {
        var times: [Double] = []
        var peak = 0.0
        for _ in 0..<runs {
            guard let run = Spawn.run(argv), run.status == 0 else { return nil }
            times.append(run.seconds)
            peak = max(peak, run.peakRSSMiB)
        }
        return (times.sorted()[times.count / 2], peak)
    }
}
