import Crypto
import Foundation

/// The git blob sha1 of `data`: the ETag and blob name of a regular file.
func gitBlobSHA1(_ data: Data) -> String {
    var hash = Insecure.SHA1()
    hash.update(data: Data("blob \(data.count)\0".utf8))
    hash.update(data: data)
    return hash.finalize().map { String(format: "%02x", $0) }.joined()
}

/// The sha256 of `data`: the ETag and blob name of an LFS file.
func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
