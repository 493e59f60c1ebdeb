/// Names for the file system magic numbers of `statfs`, so an error says "ext2/3/4" rather than a number.
enum FilesystemType {
    private static let names: [UInt32: String] = [
        0x0102_1994: "tmpfs", 0x8584_58f6: "ramfs", 0xEF53: "ext2/3/4", 0x5846_5342: "xfs", 0x9123_683E: "btrfs",
        0x794C_7630: "overlayfs", 0x6969: "nfs", 0x6573_5546: "fuse", 0x2FC1_2FC1: "zfs", 0x0102_1997: "9p",
    ]

    /// The file system's usual name, or its magic number in hexadecimal.
    static func name(ofMagic magic: Int32) -> String {
        let key = UInt32(bitPattern: magic)
        return names[key] ?? "file system 0x" + String(key, radix: 16)
    }
}
