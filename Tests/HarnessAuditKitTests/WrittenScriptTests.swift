import Foundation
import Testing
@testable import HarnessAuditKit

/// A shell script the agent writes and then runs is classified by what it holds: writing a command into
/// a file first keeps it out of no finding.
@Suite("Scripts written, then run")
struct WrittenScriptTests {
    /// A Claude Code `PreToolUse` hook line of session `session` in `/home/alice/app`.
    static func call(_ tool: String, _ input: [String: Any], session: String = "s1", id: Int) -> String {
        let object: [String: Any] = [
            "session_id": session, "cwd": "/home/alice/app", "permission_mode": "default",
            "hook_event_name": "PreToolUse", "tool_name": tool, "tool_input": input, "tool_use_id": "toolu_\(id)",
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The classes of each decoded line's events, by line.
    static func classes(_ lines: [String]) -> [ActionClasses] {
        TestSupport.decode(lines).map { line in
            line.events.reduce(into: ActionClasses()) { $0.formUnion(ActionClasses(rawValue: $1.classes)) }
        }
    }

    static func targets(_ lines: [String], line: Int) -> String {
        TestSupport.decode(lines)[line].events.compactMap(\.targets).joined()
    }

    static func production(_ lines: [String], line: Int) -> String? {
        TestSupport.decode(lines)[line].events.compactMap(\.production).first
    }

    static let wipe = "#!/bin/bash\nset -e\nrm -rf /srv/data\nkubectl --context prod delete namespace payments\n"

    @Test("Write then `bash x.sh`, `./x.sh`, `sh -e x.sh` or `source x.sh`: the run is the script's delete and production change")
    func writtenThenRun() {
        for run in ["bash cleanup.sh", "./cleanup.sh", "sh -e ./cleanup.sh", "source cleanup.sh", ". /home/alice/app/cleanup.sh",
                    "chmod +x cleanup.sh && ./cleanup.sh", "cd /home/alice && app/cleanup.sh", "sudo ./cleanup.sh", "nohup bash cleanup.sh &"] {
            let lines = [
                WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/cleanup.sh", "content": WrittenScriptTests.wipe], id: 1),
                WrittenScriptTests.call("Bash", ["command": run], id: 2),
            ]
            let found = WrittenScriptTests.classes(lines)
            #expect(found[0] == .write, "writing the script runs nothing (\(run))")
            #expect(found[1].contains(.delete), "\(run)")
            #expect(WrittenScriptTests.production(lines, line: 1)?.contains("kubectl context prod") == true,
                    "the script's kubectl delete in prod (\(run))")
            #expect(WrittenScriptTests.targets(lines, line: 1).contains("/srv/data"), "\(run)")
        }
    }

    @Test("a SQL file written, then run by a client (psql -f, mysql <, cat | psql): its statements are what ran")
    func sqlFileWrittenThenRun() {
        let sql = "BEGIN;\nDROP TABLE orders;\nCOMMIT;\n"
        for run in ["psql -h prod-db -f fix.sql", "mysql -h prod-db shop < fix.sql", "cat fix.sql | psql -h prod-db",
                    "psql -h prod-db -f /home/alice/app/fix.sql"] {
            let lines = [
                WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/fix.sql", "content": sql], id: 1),
                WrittenScriptTests.call("Bash", ["command": run], id: 2),
            ]
            let found = WrittenScriptTests.classes(lines)
            #expect(found[1].contains(.schema) && found[1].contains(.delete), "\(run)")
            #expect(WrittenScriptTests.production(lines, line: 1) != nil, "\(run)")
        }
        // A SQL file that only reads; one never written is as before (its effect unknown).
        let reads = [WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/q.sql", "content": "SELECT count(*) FROM orders;\n"], id: 1),
                     WrittenScriptTests.call("Bash", ["command": "psql -h prod-db -f q.sql"], id: 2)]
        #expect(!WrittenScriptTests.classes(reads)[1].contains(.schema))
        let unknown = WrittenScriptTests.classes([WrittenScriptTests.call("Bash", ["command": "psql -h prod-db -f other.sql"], id: 2)])
        #expect(unknown[0].contains(.write) && !unknown[0].contains(.schema))
    }

    @Test("the session's own script only: another session's, another file, or a script never written runs nothing known")
    func negatives() {
        let write = WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/cleanup.sh", "content": WrittenScriptTests.wipe], id: 1)
        for (run, session) in [("bash cleanup.sh", "s2"), ("bash other.sh", "s1"), ("cat cleanup.sh", "s1"), ("bash ../cleanup.sh", "s1"),
                               ("echo cleanup.sh", "s1")] {
            let found = WrittenScriptTests.classes([write, WrittenScriptTests.call("Bash", ["command": run], session: session, id: 2)])
            #expect(!found[1].contains(.delete), "\(run) in \(session)")
        }
        // Not a shell script: a Python file's text is not run as shell commands.
        let python = WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/tool.py", "content": "import os\nos.system('ls')\n# rm -rf /srv\n"], id: 1)
        #expect(!WrittenScriptTests.classes([python, WrittenScriptTests.call("Bash", ["command": "./tool.py"], id: 2)])[1].contains(.delete))
    }

    @Test("edits, appends and deletes follow the file: an edit that adds the delete counts, one that removes it does not")
    func editsFollowTheFile() {
        let write = WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/build.sh", "content": "#!/bin/sh\nnpm run build\n"], id: 1)
        let run = WrittenScriptTests.call("Bash", ["command": "sh build.sh"], id: 3)
        let addDelete = WrittenScriptTests.call("Edit", ["file_path": "/home/alice/app/build.sh", "old_string": "npm run build",
                                                          "new_string": "npm run build\nrm -rf ~/.ssh"], id: 2)
        #expect(!WrittenScriptTests.classes([write, run])[1].contains(.delete))
        #expect(WrittenScriptTests.classes([write, addDelete, run])[2].contains(.delete))
        let dangerous = WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/build.sh", "content": "#!/bin/sh\nrm -rf /srv\n"], id: 1)
        let removeDelete = WrittenScriptTests.call("Edit", ["file_path": "/home/alice/app/build.sh", "old_string": "rm -rf /srv",
                                                             "new_string": "echo done"], id: 2)
        #expect(!WrittenScriptTests.classes([dangerous, removeDelete, run])[2].contains(.delete))
        // An edit the remembered text cannot take: what the file holds is no longer known.
        let unknownEdit = WrittenScriptTests.call("Edit", ["file_path": "/home/alice/app/build.sh", "old_string": "not there",
                                                            "new_string": "x"], id: 2)
        #expect(!WrittenScriptTests.classes([dangerous, unknownEdit, run])[2].contains(.delete))
        // Appended by the shell, then run.
        let append = WrittenScriptTests.call("Bash", ["command": "echo 'git push --force origin main' >> build.sh"], id: 2)
        #expect(WrittenScriptTests.classes([write, append, run])[2].contains(.highRisk))
        // Deleted, then a file of that name run: not the deleted script.
        let remove = WrittenScriptTests.call("Bash", ["command": "rm build.sh"], id: 2)
        #expect(!WrittenScriptTests.classes([dangerous, remove, run])[2].contains(.delete))
    }

    @Test("written and run in one command line: a here-document through cat or tee, echo, printf")
    func sameLine() {
        let context = ClassificationContext(cwd: "/home/alice/app", home: "/home/alice")
        for line in [
            "cat > /tmp/x.sh <<'EOF'\nrm -rf /srv/data\nEOF\nbash /tmp/x.sh",
            "cat <<EOF > run.sh\n#!/bin/bash\nrm -rf /srv/data\nEOF\nchmod +x run.sh && ./run.sh",
            "tee run.sh <<'EOF' >/dev/null\nrm -rf /srv/data\nEOF\nsh run.sh",
            "echo 'rm -rf /srv/data' > run.sh; bash run.sh",
            "printf '#!/bin/sh\\nrm -rf /srv/data\\n' > run.sh && sh run.sh",
        ] {
            let result = ShellAnalyzer.classify(line, context: context)
            #expect(result.classes.contains(.delete), "\(line)")
            #expect(result.reasons.contains { $0.text.contains("a script written earlier") }, "the reason says where the command came from: \(line)")
        }
        // Written, not run.
        let written = ShellAnalyzer.classify("cat > /tmp/x.sh <<'EOF'\nrm -rf /srv/data\nEOF", context: context)
        #expect(!written.classes.contains(.delete))
    }

    @Test("a script that runs itself is followed once, not reported as nesting too deep")
    func selfRunning() {
        let lines = [
            WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/loop.sh", "content": "#!/bin/sh\nnpm test\n./loop.sh\n"], id: 1),
            WrittenScriptTests.call("Bash", ["command": "./loop.sh"], id: 2),
        ]
        let found = WrittenScriptTests.classes(lines)
        #expect(found[1].contains(.test) && !found[1].contains(.highRisk) && !found[1].contains(.obfuscated))
    }

    @Test("Codex apply_patch adding a script, then the run")
    func applyPatchThenRun() {
        let patch = "*** Begin Patch\n*** Add File: scripts/reset.sh\n+#!/usr/bin/env bash\n+psql -c 'DROP TABLE users'\n*** End Patch"
        let lines = [
            WrittenScriptTests.call("apply_patch", ["input": patch], id: 1),
            WrittenScriptTests.call("Bash", ["command": "bash scripts/reset.sh"], id: 2),
        ]
        let found = WrittenScriptTests.classes(lines)
        #expect(found[1].contains(.schema) && found[1].contains(.delete))
    }

    /// A Claude Code `PostToolUse` hook line: the same call, logged again after it ran.
    static func after(_ tool: String, _ input: [String: Any], id: Int) -> String {
        let object: [String: Any] = [
            "session_id": "s1", "cwd": "/home/alice/app", "permission_mode": "default", "hook_event_name": "PostToolUse",
            "tool_name": tool, "tool_input": input, "tool_response": ["success": true], "tool_use_id": "toolu_\(id)",
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Claude Code transcript entries: an assistant's tool use, and the user's tool result for it.
    static func transcriptCall(_ tool: String, _ input: [String: Any], id: Int, second: Int) -> String {
        let object: [String: Any] = [
            "type": "assistant", "sessionId": "t1", "cwd": "/home/alice/app", "uuid": "u-call-\(id)", "parentUuid": NSNull(),
            "timestamp": "2026-11-05T09:00:\(String(format: "%02d", second)).000Z", "version": "2.1.63",
            "message": ["role": "assistant", "id": "msg_\(id)", "type": "message",
                        "content": [["type": "tool_use", "id": "toolu_\(id)", "name": tool, "input": input]]],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func transcriptResult(id: Int, second: Int, error: String?) -> String {
        var result: [String: Any] = ["type": "tool_result", "tool_use_id": "toolu_\(id)", "content": error ?? "ok"]
        if error != nil { result["is_error"] = true }
        let object: [String: Any] = [
            "type": "user", "sessionId": "t1", "cwd": "/home/alice/app", "uuid": "u-result-\(id)", "parentUuid": "u-call-\(id)",
            "timestamp": "2026-11-05T09:00:\(String(format: "%02d", second)).500Z", "version": "2.1.63",
            "message": ["role": "user", "content": [result]],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("an edit logged twice (a hook before the call and one after it) is applied once: the edited script's delete counts")
    func editLoggedTwice() {
        let write = WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/build.sh", "content": "#!/bin/sh\nnpm run build\n"], id: 1)
        let edit: [String: Any] = ["file_path": "/home/alice/app/build.sh", "old_string": "npm run build", "new_string": "rm -rf /srv/data"]
        let multi: [String: Any] = ["file_path": "/home/alice/app/build.sh",
                                    "edits": [["old_string": "npm run build", "new_string": "npm run build\nrm -rf /srv/data"]]]
        let append = ["command": "echo 'rm -rf /srv/data' >> build.sh"]
        for (tool, input) in [("Edit", edit), ("MultiEdit", multi), ("Bash", append as [String: Any])] {
            let lines = [write, WrittenScriptTests.after("Write", ["file_path": "/home/alice/app/build.sh", "content": "#!/bin/sh\nnpm run build\n"], id: 1),
                         WrittenScriptTests.call(tool, input, id: 2), WrittenScriptTests.after(tool, input, id: 2),
                         WrittenScriptTests.call("Bash", ["command": "bash build.sh"], id: 3)]
            #expect(WrittenScriptTests.classes(lines)[4].contains(.delete), "\(tool)")
        }
    }

    @Test("a Write or Edit the person rejected, or an Edit that failed, changed nothing in the script")
    func rejectedOrFailed() {
        let rejected = "The user doesn't want to proceed with this tool use. The tool use was rejected."
        let dangerous = ["file_path": "/home/alice/app/deploy.sh", "content": "#!/bin/sh\nrm -rf /srv/data\n"]
        let harmless = ["file_path": "/home/alice/app/deploy.sh", "content": "#!/bin/sh\necho deploy\n"]
        let run = WrittenScriptTests.transcriptCall("Bash", ["command": "bash deploy.sh"], id: 9, second: 30)
        // The dangerous Write was rejected: the run is not a delete.
        let refusedWrite = [WrittenScriptTests.transcriptCall("Write", dangerous, id: 1, second: 1),
                            WrittenScriptTests.transcriptResult(id: 1, second: 2, error: rejected), run]
        #expect(!WrittenScriptTests.classes(refusedWrite)[2].contains(.delete))
        // Accepted, the same Write makes the run a delete (the test can fail).
        let acceptedWrite = [WrittenScriptTests.transcriptCall("Write", dangerous, id: 1, second: 1),
                             WrittenScriptTests.transcriptResult(id: 1, second: 2, error: nil), run]
        #expect(WrittenScriptTests.classes(acceptedWrite)[2].contains(.delete))
        // A harmless script, then a rejected Edit that would have made it dangerous.
        let edit: [String: Any] = ["file_path": "/home/alice/app/deploy.sh", "old_string": "echo deploy", "new_string": "rm -rf /srv/data"]
        let refusedEdit = [WrittenScriptTests.transcriptCall("Write", harmless, id: 1, second: 1),
                           WrittenScriptTests.transcriptResult(id: 1, second: 2, error: nil),
                           WrittenScriptTests.transcriptCall("Edit", edit, id: 2, second: 3),
                           WrittenScriptTests.transcriptResult(id: 2, second: 4, error: rejected), run]
        #expect(!WrittenScriptTests.classes(refusedEdit)[4].contains(.delete))
        // A dangerous script, then an Edit that failed to take the delete out: the delete is still there.
        let fix: [String: Any] = ["file_path": "/home/alice/app/deploy.sh", "old_string": "rm -rf /srv/data", "new_string": "echo skipped"]
        let failedEdit = [WrittenScriptTests.transcriptCall("Write", dangerous, id: 1, second: 1),
                          WrittenScriptTests.transcriptResult(id: 1, second: 2, error: nil),
                          WrittenScriptTests.transcriptCall("Edit", fix, id: 2, second: 3),
                          WrittenScriptTests.transcriptResult(id: 2, second: 4, error: "File has been modified since read, either by the user or by a linter."),
                          run]
        #expect(WrittenScriptTests.classes(failedEdit)[4].contains(.delete))
    }

    @Test("a script fed to a shell (`bash < x.sh`, `cat x.sh | sh`), one run by another, or written by `echo … | tee`")
    func otherWaysToRun() {
        let write = WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/deploy.sh", "content": WrittenScriptTests.wipe], id: 1)
        for run in ["bash < deploy.sh", "cat deploy.sh | sh", "sh -x < ./deploy.sh"] {
            #expect(WrittenScriptTests.classes([write, WrittenScriptTests.call("Bash", ["command": run], id: 2)])[1].contains(.delete), "\(run)")
        }
        // `bash -c 'ls' < deploy.sh` runs `ls`, not the file.
        #expect(!WrittenScriptTests.classes([write, WrittenScriptTests.call("Bash", ["command": "bash -c 'ls' < deploy.sh"], id: 2)])[1].contains(.delete))
        let outer = WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/outer.sh", "content": "#!/bin/sh\n./deploy.sh\n"], id: 3)
        #expect(WrittenScriptTests.classes([write, outer, WrittenScriptTests.call("Bash", ["command": "sh outer.sh"], id: 4)])[2].contains(.delete))
        let tee = WrittenScriptTests.call("Bash", ["command": "echo 'rm -rf /srv/data' | tee run.sh"], id: 5)
        #expect(WrittenScriptTests.classes([tee, WrittenScriptTests.call("Bash", ["command": "sh run.sh"], id: 6)])[1].contains(.delete))
    }

    @Test("a script changed by a program whose new content the line does not say is no longer known; chmod keeps it")
    func changedByOtherPrograms() {
        let write = WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/x.sh", "content": "#!/bin/sh\nrm -rf /srv/data\n"], id: 1)
        let run = WrittenScriptTests.call("Bash", ["command": "bash x.sh"], id: 3)
        for change in ["sed -i 's/rm -rf/echo/' x.sh", "cp safe.sh x.sh", "mv safe.sh x.sh", "git checkout -- x.sh", "git restore x.sh",
                       "perl -pi -e 's/rm/echo/' x.sh", "install -m 755 safe.sh x.sh"] {
            let lines = [write, WrittenScriptTests.call("Bash", ["command": change], id: 2), run]
            #expect(!WrittenScriptTests.classes(lines)[2].contains(.delete), "\(change)")
        }
        for keep in ["chmod +x x.sh", "touch x.sh", "chmod 755 x.sh && ls"] {
            let lines = [write, WrittenScriptTests.call("Bash", ["command": keep], id: 2), run]
            #expect(WrittenScriptTests.classes(lines)[2].contains(.delete), "\(keep)")
        }
    }

    @Test("MultiEdit's edits apply in turn, each to the result of the one before, once however often the call is logged")
    func chainedMultiEdit() {
        let write = WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/c.sh", "content": "#!/bin/sh\necho A\n"], id: 1)
        let multi: [String: Any] = ["file_path": "/home/alice/app/c.sh", "edits": [["old_string": "echo A", "new_string": "echo TMP"],
                                                                                  ["old_string": "echo TMP", "new_string": "rm -rf /srv/data"]]]
        let lines = [write, WrittenScriptTests.call("MultiEdit", multi, id: 2), WrittenScriptTests.after("MultiEdit", multi, id: 2),
                     WrittenScriptTests.call("Bash", ["command": "bash c.sh"], id: 3)]
        #expect(WrittenScriptTests.classes(lines)[3].contains(.delete))
    }

    @Test("a script over 1 MiB: its first 1 MiB is followed, and the run says the rest was not analysed")
    func longScript() {
        let padding = String(repeating: "# padding padding padding padding padding padding padding padding\n", count: 17_000)
        let content = "#!/bin/sh\nrm -rf /srv/data\n" + padding + "kubectl --context prod delete ns payments\n"
        let lines = [WrittenScriptTests.call("Write", ["file_path": "/home/alice/app/big.sh", "content": content], id: 1),
                     WrittenScriptTests.call("Bash", ["command": "bash big.sh"], id: 2)]
        let found = WrittenScriptTests.classes(lines)[1]
        #expect(found.contains(.delete) && found.contains(.obfuscated))
    }

    @Test("a CI script with a loop: a variable command word assigned plainly stays plain; the loop's own variable is not expanded")
    func loopsInScripts() {
        let context = ClassificationContext(cwd: "/home/alice/app", home: "/home/alice")
        let ci = ShellAnalyzer.classify("PY=python3; $PY -m venv .venv; for suite in unit integration; do pytest tests/$suite; done", context: context)
        #expect(!ci.classes.contains(.highRisk), "\(ci.reasons)")
        let read = ShellAnalyzer.classify("CMD=ls; read CMD; $CMD /srv", context: context)
        #expect(read.classes.contains(.highRisk), "a command word the line reads is hidden")
        let loop = ShellAnalyzer.classify("f=/tmp/x; for f in /srv/a /srv/b; do rm -rf $f; done", context: context)
        #expect(!loop.targets.contains { $0.value == "/tmp/x" }, "\(loop.targets)")
    }

    @Test("ScriptFiles: what counts as a shell script")
    func shellScripts() {
        #expect(ScriptFiles.isShellScript(path: "/a/x.sh", content: "ls"))
        #expect(ScriptFiles.isShellScript(path: "/a/deploy", content: "#!/usr/bin/env bash\nls"))
        #expect(ScriptFiles.isShellScript(path: "/a/deploy", content: "#!/usr/bin/env -S bash -e\nls"))
        #expect(!ScriptFiles.isShellScript(path: "/a/deploy", content: "ls"))
        #expect(!ScriptFiles.isShellScript(path: "/a/x.sh", content: "#!/usr/bin/env python3\nprint(1)"))
        #expect(!ScriptFiles.isShellScript(path: "/a/x.py", content: "print(1)"))
        #expect(!ScriptFiles.isShellScript(path: "/a/.sh", content: "ls"))
    }
}
