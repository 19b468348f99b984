// What the process and its files weigh, for /metrics and /readyz (Linux: /proc, statvfs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace vg::ops {

struct ProcessStats {
    std::uint64_t resident_bytes = 0;  // VmRSS of /proc/self/status
    std::uint64_t open_files = 0;      // entries of /proc/self/fd
    std::uint64_t max_open_files = 0;  // the soft limit
};
ProcessStats process_stats();

struct DiskSpace {
    std::uint64_t available_bytes = 0;  // to an unprivileged process
    std::uint64_t total_bytes = 0;
};
// The file system holding path; nullopt when it cannot be read.
std::optional<DiskSpace> disk_space(const std::string& path);

// 0 when the file does not exist.
std::uint64_t file_size(const std::string& path);

}  // namespace vg::ops
