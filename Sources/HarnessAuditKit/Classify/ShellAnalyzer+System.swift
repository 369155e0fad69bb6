/// System administration: disabling security or logging, disks, firewalls, users.
extension ShellAnalyzer {
    /// Services whose stopping disables auditing or protection.
    /// Words of a macOS launch agent's or daemon's label that name a security or logging vendor.
    static let securityVendorWords = ["crowdstrike", "falcon", "sentinel", "carbonblack", "cbdefense", "defender", "wdav",
                                      "osquery", "santa", "sophos", "jamf.protect", "jamfprotect", "cylance", "tanium", "elastic.endpoint",
                                      "little-snitch", "littlesnitch", "lulu", "blockblock", "auditd", "syslogd"]

    static let securityServices: Set<String> = [
        "auditd", "apparmor", "selinux", "firewalld", "ufw", "falco", "osqueryd", "osquery", "wazuh-agent",
        "crowdstrike", "falcon-sensor", "sysmon", "rsyslog", "syslog", "syslog-ng", "journald", "systemd-journald",
        "fail2ban", "clamav-daemon", "aide", "tripwire", "auditbeat", "filebeat", "elastic-agent", "datadog-agent",
        "sentinelone", "cbagentd", "ossec", "iptables", "nftables",
    ]

    mutating func system(_ command: ResolvedCommand) -> Bool {
        let p = command.program
        let a = command.args
        let texts = a.texts
        switch p {
        case "systemctl", "service", "rc-service", "launchctl":
            family(p, texts.first)
            let stops = ["stop", "disable", "mask", "kill", "unload", "bootout", "remove"]
            let units = texts.map { $0.replacingAll(".service", with: "") }
            // launchctl names a plist or a label (`/Library/LaunchDaemons/com.crowdstrike.falcond.plist`,
            // `system/com.sentinelone.sentineld`): its words say whose it is.
            let vendor = p == "launchctl" ? texts.first { text in
                !text.hasPrefix("-") && ShellAnalyzer.securityVendorWords.contains { text.lowercased().contains($0) }
            } : nil
            if let unit = units.first(where: { ShellAnalyzer.securityServices.contains($0) }) ?? vendor,
               texts.contains(where: { stops.contains($0) }) {
                add(.highRisk, "stops a security or logging service (\(p) … \(unit))")
            }
            // A service or agent that starts on its own from now on (`systemctl --user enable x`, `launchctl load
            // ~/Library/LaunchAgents/x.plist`): persistence.
            let installs = ["enable", "link", "load", "bootstrap", "submit"]
            if let verb = texts.first(where: { !$0.hasPrefix("-") }), installs.contains(verb), p == "systemctl" || p == "launchctl" {
                add(.highRisk, "installs a service that starts on its own (\(p) \(verb); persistence: it outlasts the session)")
            }
        case "claude", "claude-code", "codex", "gemini", "gemini-cli", "aider", "opencode", "goose", "cursor-agent", "amp", "qwen", "crush":
            // Another agent started with its approvals or sandbox off: it acts with nobody confirming anything. Its own
            // options only: what follows `--` is its prompt.
            family(p, texts.first { !$0.hasPrefix("-") })
            let lowered = texts.prefix { $0 != "--" }.map { $0.lowercased() }
            var off: String?
            for (index, flag) in lowered.enumerated() {
                let next = index + 1 < lowered.count ? lowered[index + 1] : ""
                let value = flag.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? next
                switch flag.split(separator: "=").first.map(String.init) ?? flag {
                case "--dangerously-skip-permissions", "--dangerously-bypass-approvals-and-sandbox", "--yolo", "--yes-always",
                     "--allow-dangerously-skip-permissions":
                    off = texts[index]
                case "-y" where p == "gemini" || p == "qwen":
                    off = texts[index]
                case "--permission-mode" where value == "bypasspermissions",
                     "--approval-mode" where value == "yolo",
                     "-a" where value == "never" && p == "codex", "--ask-for-approval" where value == "never",
                     "-s" where value == "danger-full-access" && p == "codex", "--sandbox" where value == "danger-full-access":
                    off = "\(texts[index]) \(value)"
                case "-c", "--config":
                    if value.replacingAll(" ", with: "").contains("approval_policy=\"never\"") || value.contains("approval_policy=never")
                        || value.contains("danger-full-access") {
                        off = "\(texts[index]) \(value)"
                    }
                default:
                    break
                }
            }
            if let off { add(.highRisk, "starts the agent \(p) with its approvals off (\(off))") }
            // `claude config set -g defaultMode bypassPermissions`: the harness's own settings, loosened by its CLI.
            if lowered.first == "config", lowered.dropFirst().first == "set" || lowered.dropFirst().first == "add",
               ["bypasspermissions", "never", "yolo", "danger-full-access"].contains(where: { word in lowered.contains { $0.contains(word) } }) {
                add(.privilege, "loosens \(p)'s own approvals through its CLI (\(texts.joined(separator: " ")))")
            }
        case "ngrok", "cloudflared", "localtunnel", "lt", "bore", "frpc":
            // Exposes a port of this machine to the internet (`ngrok tcp 22`, `cloudflared tunnel --url …`).
            family(p, texts.first)
            if !texts.isEmpty, !["version", "help", "--version", "-h", "--help", "update", "config"].contains(texts[0]) {
                add(.highRisk, "opens this machine to the internet through a tunnel (\(p) \(texts.joined(separator: " ")))")
                add(.network, "opens a tunnel with \(p)")
            }
        case "eksctl":
            family(p, texts.prefix(2).joined(separator: " "))
            let name = a.value("--name", "-n", "--cluster") ?? a.positionals(valued: ["--name", "-n", "--cluster", "--region", "-r", "-f",
                                                                                     "--config-file"]).dropFirst(2).first?.text
            if let name { environmentName(name, kind: .cluster, source: "eksctl cluster") }
            if texts.first == "delete" { add(.delete, "deletes \(texts.dropFirst().first ?? "a resource") with eksctl") }
            if ["create", "upgrade", "scale", "update"].contains(texts.first ?? "") { add(.deploy, "changes a cluster with eksctl \(texts[0])") }
        case "setenforce":
            family(p, nil)
            if texts.first == "0" || texts.first?.lowercased() == "permissive" { add(.highRisk, "turns SELinux enforcement off (setenforce 0)") }
        case "auditctl":
            family(p, nil)
            if a.value("-e") == "0" || a.has("-D") { add(.highRisk, "disables or clears kernel audit rules (auditctl \(texts.joined(separator: " ")))") }
        case "ufw":
            family(p, texts.first)
            if texts.first == "disable" { add(.highRisk, "disables the firewall (ufw disable)") }
        case "iptables", "ip6tables", "nft":
            family(p, nil)
            if a.has("-F", "--flush") || texts.contains("flush") || (a.has("-P", "--policy") && texts.contains("ACCEPT")) {
                add(.highRisk, "removes firewall rules (\(p) \(texts.joined(separator: " ")))")
            }
        case "spctl", "csrutil":
            family(p, nil)
            if texts.contains("--master-disable") || texts.contains("disable") { add(.highRisk, "disables OS protection (\(p) \(texts.joined(separator: " ")))") }
        case "mkfs", "mkswap", "fdisk", "sfdisk", "parted", "gdisk", "sgdisk", "wipefs", "blkdiscard", "cryptsetup":
            family(p, nil)
            add(.highRisk, "changes disks or partitions (\(p))")
            for device in a.positionals().map(\.text) where device.hasPrefix("/dev/") {
                result.target(ActionTarget(.path, device, operation: "write"))
            }
        case "shutdown", "reboot", "halt", "poweroff",
             "init" where texts.first == "0" || texts.first == "6":
            family(p, nil)
            add(.highRisk, "stops or restarts the machine (\(p))")
        case "crontab":
            family(p, nil)
            if a.hasShort("r") {
                add(.delete, "removes the crontab (crontab -r)")
            } else if a.hasShort("e") || !a.positionals().isEmpty {
                add(.write, "changes scheduled jobs (crontab)")
                // Installing a crontab (a file, or `-` from standard input) schedules code that runs on its own.
                if !a.positionals().isEmpty { add(.highRisk, "installs a crontab (persistence: it outlasts the session)") }
            }
        case "useradd", "adduser", "usermod", "userdel", "groupadd", "gpasswd", "passwd", "chpasswd", "visudo", "chage":
            family(p, nil)
            add(.privilege, "changes local users or their rights (\(p))")
            if p == "usermod" && texts.contains(where: { ["sudo", "wheel", "admin", "docker", "root"].contains($0) }) {
                add(.highRisk, "adds a user to an administrative group (usermod)")
            }
            if p == "userdel" { add(.delete, "deletes a user (userdel)") }
        case "set":
            family("set", nil)
            if texts.contains("+o") && texts.contains("history") { add(.highRisk, "turns off shell history (set +o history)") }
            if texts.isEmpty { add(.sensitiveRead, "dumps all shell variables (set)") }
        case "journalctl":
            family("journalctl", nil)
            if let option = texts.first(where: { $0.hasPrefix("--vacuum-") }) {
                add(.delete, "deletes system journal files (journalctl \(option))")
            }
        case "kill", "pkill", "killall":
            family(p, nil)
            let raw = a.words.map(\.text).joined(separator: " ")
            // `pkill falcon-sensor`, `kill $(pidof auditd)`, `kill -9 $(pgrep -f falcon-sensor)`: the process named in a
            // substitution that finds it.
            let finder = raw.containsASCII("pgrep") || raw.containsASCII("pidof")
            if texts.contains(where: { ShellAnalyzer.securityServices.contains($0) })
                || finder && ShellAnalyzer.securityServices.contains(where: { raw.containsASCII($0) }) {
                add(.highRisk, "kills a security or logging process (\(p))")
            }
        case "mount", "umount", "modprobe", "insmod", "rmmod", "sysctl":
            family(p, nil)
            if p == "sysctl" && !a.has("-w") && !texts.contains(where: { $0.contains("=") }) { return true }
            if p == "mount" && texts.isEmpty { return true }
            add(.highRisk, "changes kernel or mount state (\(p))")
        case "chroot", "nsenter", "unshare":
            family(p, nil)
            add(.highRisk, "enters another namespace or root (\(p))")
            let rest = a.positionals(valued: ["-t", "--target", "-m", "-u", "-i", "-n", "-p", "-U"])
            if p == "chroot" && rest.count > 1 { nested(argv: Array(rest.dropFirst()), origin: "chroot") }
            // `unshare -r rm -rf /srv`, `nsenter -t 1 -m rm …`: the command after the options runs too.
            if p != "chroot", !rest.isEmpty { nested(argv: rest, origin: p) }
        case "unset":
            family("unset", nil)
            for name in a.positionals().map(\.text) where ["HISTFILE", "HISTSIZE", "HISTFILESIZE", "PROMPT_COMMAND"].contains(name) {
                add(.highRisk, "disables shell history (unset \(name))")
            }
        case "apply_patch", "applypatch":
            family("apply_patch", nil)
            let text = a.texts.first(where: PatchParser.isPatch) ?? command.stdinText ?? ""
            merge(ActionClassifier(policy: context.policy).patch(text, context: context))
        case "cmd", "cmd.exe":
            family("cmd", nil)
            if let index = texts.firstIndex(where: { $0.lowercased() == "/c" || $0.lowercased() == "/k" }), index + 1 < texts.count {
                merge(PowerShellAnalyzer.classify(script: texts[(index + 1)...].joined(separator: " "), context: context))
            }
        case "eval":
            family("eval", nil)
            let text = a.words.map(\.text).joined(separator: " ")
            // `eval "$(ssh-agent -s)"`, `eval "$(pyenv init -)"`: the set-up code a known tool prints (the tool itself is
            // analysed as the substitution it is).
            if let tool = ShellAnalyzer.environmentSetup(text) {
                result.note("evaluates the shell set-up \(tool) prints")
                return true
            }
            if a.words.contains(where: \.hasExpansion) {
                add(.obfuscated, "evaluates text built at run time (eval \(text))")
                add(.highRisk, "hides the command it runs: evaluates text built at run time (eval \(text))")
            }
            // `eval "$(curl …)"`: the code evaluated is downloaded.
            downloadedCode(a.words.map(\.text), runBy: "eval")
            nested(text, origin: "eval")
        case ":":
            family(":", nil)
        default:
            if p.hasPrefix("mkfs.") || p.hasPrefix("mke2fs") || p.hasPrefix("newfs") {
                family(p, nil)
                add(.highRisk, "formats a file system (\(p))")
                return true
            }
            return false
        }
        return true
    }
}
