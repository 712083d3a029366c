#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// Bytes that can be read at any offset: the release file (through `pread`) or
/// a nested archive held in memory. Zip needs this for its central directory.
protocol RandomAccessSource: AnyObject {
    /// Length in bytes.
    var size: Int64 { get }
    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension RandomAccessSource {
    /// Up to `count` bytes at `offset` (fewer at the end of the source).
    func bytes(at offset: Int64, count: Int) throws -> [UInt8] {
        guard count > 0, offset >= 0, offset < size else { return [] }
        let wanted = Int(min(Int64(count), size - offset))
        var result = [UInt8](repeating: 0, count: wanted)
        let got = try result.withUnsafeMutableBytes { try read(at: offset, into: $0) }
        if got < wanted { result.removeSubrange(got...) }
        return result
    }
}

/// The release file, read through its descriptor; never mapped or copied whole.
final class FileSource: RandomAccessSource {
    let path: String
    let size: Int64
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        // O_NONBLOCK so that a FIFO dropped into the Inbox cannot hang the open.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw SluiceError(.io, "cannot open the release file: \(FileSource.errnoText())", item: path)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let text = FileSource.errnoText()
            close(fd)
            throw SluiceError(.io, "cannot stat the release file: \(text)", item: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw SluiceError(.io, "the release is not a regular file", item: path)
        }
        descriptor = fd
        size = Int64(info.st_size)
    }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, base + done, buffer.count - done, off_t(offset + Int64(done)))
            if n > 0 {
                done += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                throw SluiceError(.io, "read failed at offset \(offset + Int64(done)): \(FileSource.errnoText())", item: path)
            }
        }
        return done
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }

    deinit {
        close(descriptor)
    }
}

/// A nested archive held in memory (already bounded by the member budget).
final class MemorySource: RandomAccessSource {
    let storage: [UInt8]
    var size: Int64 { Int64(storage.count) }

    init(_ storage: [UInt8]) {
        self.storage = storage
    }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard offset >= 0, offset < size, buffer.count > 0 else { return 0 }
        let start = Int(offset)
        let count = min(buffer.count, storage.count - start)
        storage.withUnsafeBytes { all in
            guard let from = all.baseAddress, let to = buffer.baseAddress else { return }
            to.copyMemory(from: from + start, byteCount: count)
        }
        return count
    }
}
