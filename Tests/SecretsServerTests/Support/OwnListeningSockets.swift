import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whether this test process itself still listens on a TCP port. Asking "does anything accept connections on
/// the port" cannot tell a stopped server from another test's server that the kernel gave the same port number
/// a moment later; the process's own descriptors can.
///
/// Each descriptor is asked directly (`SO_ACCEPTCONN`, `getsockname`). Reading `/proc/net/tcp` instead is not
/// reliable while other tests open and close connections: the kernel produces that table in pieces, and an
/// entry can be skipped when the table changes between two reads, which once made this check miss a socket
/// that was listening.
enum OwnListeningSockets {
    /// True when one of this process's descriptors is a socket listening on `port` (IPv4 or IPv6).
    static func contains(port: Int) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return false }
        return names.compactMap { Int32($0) }.contains { isListening(descriptor: $0, port: port) }
    }

    /// True when `descriptor` is a socket in LISTEN state bound to `port`.
    private static func isListening(descriptor: Int32, port: Int) -> Bool {
        var accepting: Int32 = 0
        var optionLength = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &optionLength) == 0, accepting != 0 else {
            return false
        }
        var address = sockaddr_storage()
        var addressLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &addressLength) }
        }
        guard named == 0 else { return false }
        switch Int32(address.ss_family) {
        case AF_INET:
            let portInNetworkOrder = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
            }
            return Int(UInt16(bigEndian: portInNetworkOrder)) == port
        case AF_INET6:
            let portInNetworkOrder = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
            }
            return Int(UInt16(bigEndian: portInNetworkOrder)) == port
        default:
            return false
        }
    }
}
