/// Options that take a password as their next word, per program (for the redactor).
enum ShellPasswordFlags {
    static let byProgram: [String: Set<String>] = [
        "redis-cli": ["-a", "--pass"], "ldapsearch": ["-w"], "ldapmodify": ["-w"], "ldapadd": ["-w"], "ldapdelete": ["-w"],
        "az": ["-p", "--password", "--client-secret", "--value"], "sqlcmd": ["-P"], "bcp": ["-P"], "mongo": ["-p", "--password"],
        "mongosh": ["-p", "--password"], "mongodump": ["-p", "--password"], "mongorestore": ["-p", "--password"],
        "openssl": ["-passin", "-passout", "-pass", "-k"], "zip": ["-P", "--password"], "7z": ["-p"], "unzip": ["-P"],
        "rabbitmqctl": ["-p"], "vault": ["-token"], "keytool": ["-storepass", "-keypass", "-srcstorepass", "-deststorepass"],
        "pg_dump": ["--password"], "smbclient": ["--password"], "snowsql": ["-p"], "influx": ["-p", "--password", "-t", "--token"],
        "wget": ["--password", "--http-password", "--ftp-password", "--proxy-password"], "useradd": ["-p", "--password"],
        "usermod": ["-p", "--password"], "ssh-keygen": ["-N", "-P"], "twine": ["-p", "--password"],
        "gpg": ["--passphrase"], "curl": ["--pass"],
    ]
}
