import Foundation

/// Secret values the tests store, all carrying one marker, so a leak scan can look for every value at once
/// without knowing which ones a test made.
///
/// The marker is ASCII letters and digits, so JSON escaping cannot disguise it in a body or a log line.
enum SecretValues {
    /// Text in every value and in nothing else the tests send.
    static let marker = "qz7VALUEqz"

    /// A fresh distinctive value; `label` makes failure messages readable.
    static func make(_ label: String = "v") -> String {
        "\(marker)-\(label)-\(randomHex(16))"
    }

    /// Where the marker occurs in `bytes`, if anywhere.
    static func contains(_ bytes: [UInt8]) -> Bool {
        let needle = Array(marker.utf8)
        guard bytes.count >= needle.count else { return false }
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0] && bytes[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}

/// Random lowercase hex, for values and names that cannot collide or occur by chance.
func randomHex(_ count: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    let digits = Array("0123456789abcdef")
    return String((0..<count).map { _ in digits[Int.random(in: 0..<16, using: &generator)] })
}
