import Foundation

/// Whether this test process itself still listens on a TCP port. Asking "does anything accept connections on
/// the port" cannot tell a stopped server from another test's server that the kernel gave the same port number
/// a moment later; the process's own descriptors can.
enum OwnListeningSockets {
    /// True when one of this process's descriptors is a socket listening on `port` (IPv4 or IPv6).
    static func contains(port: Int) -> Bool {
        let listening = Set(["/proc/net/tcp", "/proc/net/tcp6"].flatMap { listeningInodes(in: $0, port: port) })
        guard !listening.isEmpty, let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else {
            return false
        }
        return descriptors.contains { descriptor in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)") else {
                return false
            }
            return listening.contains(target)
        }
    }

    /// The `socket:[inode]` names of the sockets in LISTEN state (0A) on `port` in a `/proc/net/tcp*` table.
    private static func listeningInodes(in table: String, port: Int) -> [String] {
        guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { return [] }
        let hexPort = String(format: "%04X", port)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 9, fields[1].hasSuffix(":" + hexPort), fields[3] == "0A" else { return nil }
            return "socket:[\(fields[9])]"
        }
    }
}
