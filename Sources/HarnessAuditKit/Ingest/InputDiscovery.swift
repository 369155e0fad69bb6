#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input to ingest.
public struct InputItem: Equatable, Sendable {
    public enum Location: Equatable, Sendable {
        case file(String)
        case standardInput
    }

    /// The path as the user gave it (or the given directory joined with the found file).
    public var displayPath: String
    public var location: Location
}

/// A path that could not be used, with the reason.
public struct InputProblem: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Expands the paths given to `ingest`: files as they are, directories recursively
/// (files named `*.jsonl`, `*.ndjson`, `*.json`, `*.log`, and their rotations as logrotate names
/// them, `audit.log.1`, `audit.log-20261201`, each optionally `.gz` or `.zst`), `-` for standard input.
/// Symbolic-link loops and repeated files are visited once.
public enum InputDiscovery {
    public static let extensions = [".jsonl", ".ndjson", ".json", ".log"]

    public static func matchesExtension(_ name: String) -> Bool {
        let base = rotation(of: name.lowercased()).base
        return extensions.contains { base.hasSuffix($0) && base.count > $0.count }
    }

    /// A file name without its compression and rotation suffixes, and where the rotation stands in time: a number
    /// (`audit.log.1`, `hooks.jsonl.2.gz`: the higher, the older) as its negative, a date (`audit.log-20261201`) as
    /// itself; nil for the live file.
    static func rotation(of name: String) -> (base: String, age: Int?) {
        var base = name
        if base.hasSuffix(".gz") { base.removeLast(3) } else if base.hasSuffix(".zst") { base.removeLast(4) }
        let digits = base.reversed().prefix { $0.isASCII && $0.isNumber }.count
        if digits > 0, digits < base.count, digits <= 18 {
            let separator = base[base.index(base.endIndex, offsetBy: -digits - 1)]
            let value = Int(base.suffix(digits)) ?? 0
            if separator == "." || (separator == "-" && digits == 8) {
                base.removeLast(digits + 1)
                return (base, separator == "." ? -value : value)
            }
        }
        return (base, nil)
    }

    /// The order files of one directory are read in: by name, a log's rotations oldest first and the live file last
    /// (`hooks.jsonl.2.gz`, `hooks.jsonl.1.gz`, `hooks.jsonl`), so that actions without a time (Claude Code hook
    /// payloads) follow one another as they happened: a mode loosened in the newer file comes after the older file's.
    static func readingOrder(_ a: String, _ b: String) -> Bool {
        let (x, y) = (rotation(of: a), rotation(of: b))
        if x.base != y.base { return x.base < y.base }
        switch (x.age, y.age) {
        case let (p?, q?) where p != q: return p < q
        case (_?, nil): return true
        case (nil, _?): return false
        default: return a < b
        }
    }

    public static func expand(_ paths: [String]) -> (items: [InputItem], problems: [InputProblem]) {
        var items: [InputItem] = []
        var problems: [InputProblem] = []
        var seenFiles = Set<FileID>()
        var stdinSeen = false
        var explicitFiles: [Int] = []
        for path in paths {
            if path == "-" {
                if !stdinSeen { items.append(InputItem(displayPath: "-", location: .standardInput)) }
                stdinSeen = true
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                problems.append(InputProblem(path: path, reason: errnoReason(prefix: "cannot read")))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                var visiting = Set<FileID>()
                let before = items.count
                walk(directory: path, info: info, items: &items, problems: &problems, seen: &seenFiles,
                     visiting: &visiting)
                // A directory without any log file is almost always a wrong path: say so rather than pass.
                if items.count == before && !problems.contains(where: { $0.path.hasPrefix(path) }) {
                    problems.append(InputProblem(path: path, reason: "no log files (*.jsonl, *.ndjson, *.json, *.log, optionally .gz or .zst) in this directory"))
                }
            } else if (info.st_mode & S_IFMT) == S_IFREG || (info.st_mode & S_IFMT) == S_IFIFO {
                let id = FileID(info)
                if seenFiles.insert(id).inserted {
                    explicitFiles.append(items.count)
                    items.append(InputItem(displayPath: path, location: .file(path)))
                }
            } else {
                problems.append(InputProblem(path: path, reason: "not a regular file or directory"))
            }
        }
        // Files named one by one that are rotations of one log (`ingest logs/hooks.jsonl*`, which the shell expands live
        // file first) are read oldest first too, in the places they were given.
        var byLog: [String: [Int]] = [:]
        for index in explicitFiles {
            let name = items[index].displayPath
            let directory = name.lastIndex(of: "/").map { String(name[..<$0]) } ?? ""
            byLog[directory + "/" + rotation(of: basename(name)).base, default: []].append(index)
        }
        for slots in byLog.values where slots.count > 1 {
            let ordered = slots.map { items[$0] }.sorted { readingOrder(basename($0.displayPath), basename($1.displayPath)) }
            for (slot, item) in zip(slots, ordered) { items[slot] = item }
        }
        return (items, problems)
    }

    static func basename(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    private static func walk(directory: String, info: stat, items: inout [InputItem], problems: inout [InputProblem],
                             seen: inout Set<FileID>, visiting: inout Set<FileID>) {
        let id = FileID(info)
        guard visiting.insert(id).inserted else {
            problems.append(InputProblem(path: directory, reason: "symbolic link loop; skipped"))
            return
        }
        defer { visiting.remove(id) }
        guard let handle = opendir(directory) else {
            problems.append(InputProblem(path: directory, reason: errnoReason(prefix: "cannot list directory")))
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        closedir(handle)
        names.sort(by: readingOrder)
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names {
            let path = prefix + name
            var child = stat()
            guard stat(path, &child) == 0 else {
                var linkInfo = stat()
                if lstat(path, &linkInfo) == 0 && (linkInfo.st_mode & S_IFMT) == S_IFLNK {
                    if matchesExtension(name) {
                        problems.append(InputProblem(path: path, reason: errnoReason(prefix: "broken symbolic link")))
                    }
                    continue
                }
                problems.append(InputProblem(path: path, reason: errnoReason(prefix: "cannot read")))
                continue
            }
            let type = child.st_mode & S_IFMT
            if type == S_IFDIR {
                walk(directory: path, info: child, items: &items, problems: &problems, seen: &seen,
                     visiting: &visiting)
            } else if type == S_IFREG && matchesExtension(name) {
                if seen.insert(FileID(child)).inserted {
                    items.append(InputItem(displayPath: path, location: .file(path)))
                }
            }
        }
    }

    static func errnoReason(prefix: String) -> String {
        prefix + ": " + String(cString: strerror(errno))
    }
}
