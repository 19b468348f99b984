#include "ops/process.hpp"

#include <sys/resource.h>
#include <sys/statvfs.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vg::ops {

ProcessStats process_stats() {
    ProcessStats p;
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) {
            std::istringstream in(line.substr(6));
            std::uint64_t kb = 0;
            in >> kb;
            p.resident_bytes = kb * 1024;
            break;
        }
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++p.open_files;
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
        p.max_open_files = rl.rlim_cur == RLIM_INFINITY ? 0 : std::uint64_t(rl.rlim_cur);
    return p;
}

std::optional<DiskSpace> disk_space(const std::string& path) {
    struct statvfs s {};
    if (::statvfs(path.c_str(), &s) != 0) return std::nullopt;
    return DiskSpace{std::uint64_t(s.f_bavail) * s.f_frsize,
                     std::uint64_t(s.f_blocks) * s.f_frsize};
}

std::uint64_t file_size(const std::string& path) {
    std::error_code ec;
    auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : std::uint64_t(n);
}

}  // namespace vg::ops
