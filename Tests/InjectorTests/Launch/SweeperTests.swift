import Foundation
import Testing

@testable import Injector

#if canImport(Glibc)
    import Glibc
#endif

/// A runner killed in shared-memory mode leaves its directory behind; the next runner removes those of dead
/// runners only.
struct SweeperTests {
    /// A directory named as a runner's secrets directory under `parent`, holding one read-only file.
    static func plant(in parent: String, pid: Int32, startTime: Int64) throws -> String {
        // A random suffix, as mkdtemp makes: test processes running side by side plant in the same /dev/shm.
        let suffix = String((0..<6).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
        let path = "\(parent)/jobrunner-\(pid)-\(startTime)-\(suffix)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        _ = FileManager.default.createFile(atPath: path + "/token", contents: Data("left".utf8), attributes: [.posixPermissions: 0o400])
        return path
    }

    @Test("leftovers of dead runners are removed and counted; live runners' directories stay")
    func sweepsOnlyDeadRunners() throws {
        let scratch = ScratchDirectory()
        let me = RunnerIdentity.current
        let deadPid = try Self.plant(in: scratch.path, pid: Int32.max, startTime: 12345)
        let reusedPid = try Self.plant(in: scratch.path, pid: me.pid, startTime: me.startTime + 1)
        let live = try Self.plant(in: scratch.path, pid: me.pid, startTime: me.startTime)
        let unrelated = scratch.path + "/jobrunner-notes"
        try FileManager.default.createDirectory(atPath: unrelated, withIntermediateDirectories: false)

        #expect(SecretDirectorySweeper.sweepLeftovers(in: scratch.path) == 2)
        #expect(!pathExists(deadPid))
        #expect(!pathExists(reusedPid))
        #expect(pathExists(live))
        #expect(pathExists(unrelated))
    }

    @Test("directories of other users are left alone")
    func othersDirectoriesStay() throws {
        try #require(geteuid() == 0, "needs root to hand a directory to another user")
        let scratch = ScratchDirectory()
        let foreign = try Self.plant(in: scratch.path, pid: Int32.max, startTime: 1)
        #expect(chown(foreign, 65534, 65534) == 0)
        #expect(SecretDirectorySweeper.sweepLeftovers(in: scratch.path) == 0)
        #expect(pathExists(foreign))
    }

    @Test("the public sweep looks in /dev/shm")
    func sweepsDevShm() throws {
        let leftover = try Self.plant(in: TmpfsSecretDirectory.parentPath, pid: Int32.max, startTime: 777)
        defer { try? FileManager.default.removeItem(atPath: leftover) }
        // No count here: any runner starting meanwhile on this machine may sweep the leftover first.
        SecretDirectorySweeper.sweepLeftovers()
        #expect(!pathExists(leftover))
    }

    @Test("a directory reserved by this runner survives a sweep")
    func reservedDirectorySurvives() throws {
        let directory = try TmpfsSecretDirectory.reserve()
        defer { try? directory.remove() }
        SecretDirectorySweeper.sweepLeftovers()
        #expect(pathExists(directory.path))
    }
}
