#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Copies a folder tree file by file, each file by one of three means: a reflink (a
/// copy-on-write clone sharing the data blocks: Btrfs, XFS, …), a hard link, or a byte copy
/// (`sendfile`, in the kernel). Symbolic links are recreated as links; permission bits
/// are kept.
struct FileTreeCopier {
    /// How one regular file is reproduced.
    enum FileMethod: Sendable {
        /// A reflink when the filesystem can, else a byte copy: always an independent file.
        case clone
        /// A hard link to the source file (shares the inode: a write in place shows in both).
        case hardLink
    }

    /// What a copy did.
    struct Tally: Sendable, Hashable {
        var files = 0
        var bytes: Int64 = 0
        var reflinked = 0
        var copied = 0
        var linked = 0
        var excluded = 0
    }

    /// Decides how each regular file of `size` bytes is reproduced.
    var method: @Sendable (_ size: Int64) -> FileMethod
    /// Whether an entry (path relative to the source root, `/`-separated) is left out; a left-out
    /// folder is not entered.
    var exclude: @Sendable (_ relativePath: String, _ isDirectory: Bool) -> Bool = { _, _ in false }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Copies the tree at `source` into `destination` (created; must not exist yet).
    func copyTree(from source: URL, to destination: URL) throws -> Tally {
        var tally = Tally()
        try makeDirectory(destination.path, mode: mode(of: source.path) ?? 0o755)
        try copyContents(of: source.path, to: destination.path, relative: "", tally: &tally)
        return tally
    }

    /// Copies the single file `source` to `destination` (the snapshot of a one-file `code`).
    func copyFile(from source: URL, to destination: URL) throws -> Tally {
        var tally = Tally()
        var info = stat()
        guard lstat(source.path, &info) == 0 else { throw Failure(description: "cannot read \(source.path): \(String(cString: strerror(errno)))") }
        try copyEntry(source.path, to: destination.path, info: info, tally: &tally)
        return tally
    }

    private func copyContents(of directory: String, to target: String, relative: String, tally: inout Tally) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw Failure(description: "cannot list \(directory): \(error.localizedDescription)")
        }
        for name in names {
            let path = directory + "/" + name
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }  // vanished meanwhile
            let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            if exclude(relativePath, isDirectory) {
                tally.excluded += 1
                continue
            }
            if isDirectory {
                try makeDirectory(target + "/" + name, mode: info.st_mode & 0o7777)
                try copyContents(of: path, to: target + "/" + name, relative: relativePath, tally: &tally)
            } else {
                try copyEntry(path, to: target + "/" + name, info: info, tally: &tally)
            }
        }
    }

    private func copyEntry(_ path: String, to target: String, info: stat, tally: inout Tally) throws {
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(path, &buffer, buffer.count - 1)
            guard count >= 0 else { throw failure("cannot read the link", path) }
            buffer[count] = 0
            guard symlink(buffer, target) == 0 else { throw failure("cannot create the link", target) }
        case S_IFREG:
            let size = Int64(info.st_size)
            switch method(size) {
            case .hardLink:
                guard link(path, target) == 0 else { throw failure("cannot hard-link \(path) to", target) }
                tally.linked += 1
            case .clone:
                if try cloneOrCopy(path, to: target, mode: info.st_mode & 0o7777, size: size) {
                    tally.reflinked += 1
                } else {
                    tally.copied += 1
                }
            }
            tally.files += 1
            tally.bytes += size
        default:
            break  // sockets, FIFOs, devices: not code
        }
    }

    /// A reflink when the filesystem supports it (returns `true`), else a kernel byte copy.
    private func cloneOrCopy(_ path: String, to target: String, mode: mode_t, size: Int64) throws -> Bool {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure("cannot open", path) }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard output >= 0 else { throw failure("cannot create", target) }
        defer { close(output) }
        #if os(Linux)
        // FICLONE = _IOW(0x94, 9, int): share the data blocks, copy on write.
        if ioctl(output, 0x4004_9409, input) == 0 { return true }
        var remaining = size
        while remaining > 0 {
            let n = sendfile(output, input, nil, Int(min(remaining, 1 << 30)))
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP {
                    try readWriteCopy(input, output, path: path, target: target)
                    return false
                }
                throw failure("cannot copy to", target)
            }
            if n == 0 { break }  // the file shrank meanwhile
            remaining -= Int64(n)
        }
        return false
        #else
        try readWriteCopy(input, output, path: path, target: target)
        return false
        #endif
    }

    private func readWriteCopy(_ input: Int32, _ output: Int32, path: String, target: String) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read", path)
            }
            if n == 0 { return }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, n - written) }
                if w < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot write", target)
                }
                written += w
            }
        }
    }

    private func makeDirectory(_ path: String, mode: mode_t) throws {
        guard mkdir(path, mode | 0o700) == 0 else { throw failure("cannot create the folder", path) }
    }

    private func mode(of path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    private func failure(_ what: String, _ path: String) -> Failure {
        Failure(description: "\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
