import Glibc

/// Writes whole strings to a file descriptor (a terminal, a log file), retrying short writes.
struct DescriptorOutput: Sendable {
    let fileDescriptor: Int32

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.write(fileDescriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            offset += count
        }
        bytes.removeAll()
    }
}
